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


# The legal pages chosen in the Institut's details, by kind: the setting's field, in footer order.
LEGAL_PAGE_FIELDS = {
    "legal_notice": "legal_notice_page_id",
    "privacy_policy": "privacy_policy_page_id",
    "terms_of_sale": "terms_of_sale_page_id",
}


def _chosen_legal_pages() -> dict[str, int]:
    """{kind: page id} of the legal pages chosen in the Institut's details."""
    details = institut_details()
    chosen = {kind: getattr(details, field) for kind, field in LEGAL_PAGE_FIELDS.items()}
    return {kind: pk for kind, pk in chosen.items() if pk is not None}


def _live_versions(chosen: dict[str, int], language: str) -> dict:
    """{kind: page} of the chosen pages, each in `language` where it has a live translation,
    else the chosen page itself when it is live (one query); kinds with neither are left out."""
    from wagtail.models import Page

    keys = Page.objects.filter(pk__in=chosen.values()).values("translation_key")
    pages = list(Page.objects.live().filter(translation_key__in=keys).select_related("locale"))
    key_of = {page.pk: page.translation_key for page in pages}
    shown = {page.translation_key: page for page in pages if page.pk in chosen.values()}
    shown |= {p.translation_key: p for p in pages if p.locale.language_code == language}
    versions = {kind: shown.get(key_of.get(pk)) for kind, pk in chosen.items()}
    return {kind: page for kind, page in versions.items() if page is not None}


def legal_page(kind: str, language: str | None = None):
    """The live page of this kind (`LEGAL_PAGE_FIELDS`) in `language` (the active one by
    default), else the page chosen in the settings; None when none is chosen or live."""
    from django.conf import settings
    from django.utils import translation

    chosen = _chosen_legal_pages()
    if kind not in chosen:
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return _live_versions({kind: chosen[kind]}, language).get(kind)


def legal_links(request) -> dict[str, str]:
    """{kind: URL} of the legal pages chosen in the settings, in the active language (the chosen
    page itself where it has no translation): one query, kept until the next publication or
    settings change (the site's page-cache version); only the kinds that are chosen and live."""
    from django.utils import translation

    from institut import person_cache
    from institut.page_cache import site_pages

    chosen = _chosen_legal_pages()
    if not chosen:
        return {}
    language = translation.get_language()

    def read() -> dict[str, str]:
        pages = _live_versions(chosen, language)
        return {kind: page.get_url(request) for kind, page in pages.items()}

    version = site_pages.version_or_none()
    if version is None:
        return read()
    host = request.get_host() if request is not None else ""
    return person_cache.cached(f"legal-links:{version}:{host}:{language}", read)
