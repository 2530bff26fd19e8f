"""Wagtail's page view, with what is the same for everyone kept per publication (issue 16).

Wagtail finds the page of a URL by reading the site, the locale and every page from the root
down, then the view restrictions of the page and its ancestors: seven queries before the page
does anything. For signed-in people (whose pages are not cached whole, institut/page_cache.py),
the result is kept under the site's page-cache version, which every publication, unpublication,
move, deletion, site or restriction change bumps: the page (and its parent) are then read by id
in two queries. Only pages without view restrictions, reached at their own URL, are kept.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction

from institut import personal_pages
from institut.middleware import memo_for_reading
from institut.page_cache import site_pages
from institut.personal_pages import personal_page

logger = logging.getLogger(__name__)


@personal_page(opt_in=True)  # a signed-in person's lesson, whole (institut/personal_pages.py)
@memo_for_reading  # the site's version read once for the route, the outline and the links
def serve(request, path):
    """wagtail.views.serve, answered from a kept route when there is one."""
    kept = False
    if request.method in ("GET", "HEAD") and settings.PERSONAL_CACHE_SECONDS:
        try:
            kept = _route(request, path)
        except Exception:  # the cache is down: Wagtail routes as usual
            logger.warning("Route cache unavailable", exc_info=True)
    if not kept:  # a restricted page (or not known to be free): never kept whole for a person
        personal_pages.refuse(request)
    return wagtail_views.serve(request, path)


def _key(request, version: int, path: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"page-route:{version}:{request.get_host()}:{language}:{path}"


def _route(request, path: str) -> bool:
    """Route from the kept entry, or keep one; True when the page is known to be unrestricted."""
    version = site_pages.version_or_none()
    if version is None:
        return False
    key = _key(request, version, path)
    entry = cache.get(key)
    if entry is not None:
        return _use(request, entry)
    entry = _entry(request, path)
    if entry is not None:
        cache.set(key, entry, settings.PERSONAL_CACHE_SECONDS)
    return entry is not None


def _entry(request, path: str) -> tuple | None:
    """What to keep of Wagtail's own routing of this request (which stays on the request)."""
    result = Page.route_for_request(request, path)
    if result is None:
        return None
    page = result[0]
    if page.get_url(request) != request.path or page.get_view_restrictions():
        return None  # a sub-route of a routable page, or a restricted page: routed each time
    # None, read just now: Wagtail's own check of this request does not read them again.
    page.get_view_restrictions = PageViewRestriction.objects.none
    parent = getattr(page, "_cached_parent_obj", None)
    return (
        page._meta.label,
        page.pk,
        parent._meta.label if parent is not None else None,
        parent.pk if parent is not None else None,
        request._wagtail_site,
    )


def _use(request, entry: tuple) -> bool:
    label, pk, parent_label, parent_pk, site = entry
    page = apps.get_model(label).objects.filter(pk=pk).first()
    if page is None:
        return False  # gone without a signal: Wagtail routes (and answers 404)
    if parent_pk is not None:
        parent = apps.get_model(parent_label).objects.filter(pk=parent_pk).first()
        if parent is not None:
            page._cached_parent_obj = parent
    # No restriction when the route was kept; any new one bumps the version.
    page.get_view_restrictions = PageViewRestriction.objects.none
    request._wagtail_site = site
    request._wagtail_route_for_request = page.route(request, [])
    return True
