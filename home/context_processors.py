"""Template context of the site's pages: the Institut's details and legal pages (footer,
contact)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from home import selectors


def institut_details(request) -> dict:
    """The Institut's details and the URLs of its legal pages, read (from the cache) only when a
    template shows them."""
    return {
        "institut_details": SimpleLazyObject(selectors.institut_details),
        "legal_links": SimpleLazyObject(lambda: selectors.legal_links(request)),
    }
