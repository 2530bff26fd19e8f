"""Reads of the site shared by every page."""

from __future__ import annotations

from django.core.cache import cache
from wagtail.models import Site

from home.models import InstitutSettings

DETAILS_KEY = "home:institut-details"


def institut_details() -> InstitutSettings:
    """The Institut's details (footer, documents), kept in the cache until they are edited."""
    details = cache.get(DETAILS_KEY)
    if details is None:
        site = Site.objects.filter(is_default_site=True).first()
        details = InstitutSettings.for_site(site) if site else InstitutSettings()
        cache.set(DETAILS_KEY, details, timeout=None)
    return details


def forget_institut_details() -> None:
    cache.delete(DETAILS_KEY)
