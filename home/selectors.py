"""Reads of the site shared by every page."""

from __future__ import annotations

from django.core.cache import cache
from wagtail.models import Site

from home.models import InstitutSettings

DETAILS_KEY = "home:institut-details"


def institut_details() -> InstitutSettings:
    """The Institut's details for the footer, kept in the cache until they are edited."""
    try:
        details = cache.get(DETAILS_KEY)
    except Exception:  # the cache is down: read them from the database
        return read_institut_details()
    if details is None:
        details = read_institut_details()
        cache.set(DETAILS_KEY, details, timeout=None)
    return details


def read_institut_details() -> InstitutSettings:
    """The details from the default site's settings (unsaved defaults if there is no site)."""
    site = Site.objects.filter(is_default_site=True).first()
    return InstitutSettings.for_site(site) if site else InstitutSettings()


def email_branding():
    """Who signs the e-mails (institut.outbox): the Institut's name and details."""
    from django.conf import settings

    from institut.outbox.branding import Branding

    details = institut_details()
    return Branding(
        name=details.organisation_name,
        address=details.address,
        contact_email=details.contact_email,
        site_url=settings.SITE_URL,
    )


def forget_institut_details() -> None:
    cache.delete(DETAILS_KEY)
