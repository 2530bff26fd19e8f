"""Reads of the site shared by every page."""

from __future__ import annotations

from django.core.cache import cache
from wagtail.models import Site

from home.models import InstitutSettings

DETAILS_KEY = "home:institut-details"


def institut_details() -> InstitutSettings:
    """The Institut's details (footer, documents), kept in the cache until they are edited."""
    try:
        details = cache.get(DETAILS_KEY)
    except Exception:  # the cache is down: read them from the database
        return _read_details()
    if details is None:
        details = _read_details()
        cache.set(DETAILS_KEY, details, timeout=None)
    return details


def _read_details() -> InstitutSettings:
    site = Site.objects.filter(is_default_site=True).first()
    return InstitutSettings.for_site(site) if site else InstitutSettings()


def forget_institut_details() -> None:
    cache.delete(DETAILS_KEY)
