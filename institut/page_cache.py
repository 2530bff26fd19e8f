"""Whole pages cached for anonymous visitors, per namespace, with a version that any change bumps.

A namespace ("pages" for the Wagtail site, "registry" for the public registry) has one version
number in the cache; a cached page records the version it was made under, so bumping the version
forgets every page of the namespace at once, without listing keys.

Views opt in with `<namespace>.cached_for_anonymous`, which stores what they answer; the
`AnonymousPageCacheMiddleware` serves it back early in the middleware chain, with one cache
round trip (the page and the versions in a single `get_many`). Visitors with a session (signed
in, or a message waiting), non-GET requests, and responses that set a cookie or carry a CSRF
token are never cached nor served from the cache.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from institut.lib.request_memo import forget as forget_memoised
from institut.lib.request_memo import memoised

logger = logging.getLogger(__name__)

# Headers set by the views that a cached copy must carry again (the middleware below the cache's
# adds its own on the way out).
_SKIPPED_HEADERS = {"set-cookie", "content-length"}


class PageCache:
    """The cached pages of one namespace, kept `seconds_setting` seconds at most.

    `allow_hit(request)`, when given, is asked before a cached page is served (the registry's
    rate limit); when it says no, the request goes to the view as if nothing were cached.
    """

    namespaces: dict[str, PageCache] = {}

    def __init__(
        self,
        namespace: str,
        seconds_setting: str,
        *,
        allow_hit: Callable[[HttpRequest], bool] | None = None,
    ):
        self.namespace = namespace
        self.seconds_setting = seconds_setting
        self.version_key = f"{namespace}:version"
        self.allow_hit = allow_hit
        PageCache.namespaces[namespace] = self

    @property
    def seconds(self) -> int:
        return getattr(settings, self.seconds_setting)

    def version(self) -> int:
        """The current version of the namespace's pages (a new one after every change); read once
        per request (institut.lib.request_memo) by the routes, outlines and links it keys."""
        return memoised(("page_cache.version", self.namespace), self._read_version)

    def _read_version(self) -> int:
        current = cache.get(self.version_key)
        if current is None:
            cache.add(self.version_key, 1, timeout=None)
            current = cache.get(self.version_key, 1)
        return current

    def version_or_none(self) -> int | None:
        """version(), or None when the cache is down (then nothing is cached under it)."""
        try:
            return self.version()
        except Exception:
            logger.warning("Page cache unavailable", exc_info=True)
            return None

    def _bump(self) -> None:
        forget_memoised(("page_cache.version", self.namespace))
        try:
            cache.incr(self.version_key)
        except ValueError:  # not there yet (or evicted): any new value makes old pages unreachable
            cache.set(self.version_key, 2, timeout=None)

    def invalidate(self) -> None:
        """Forget every cached page of the namespace, now and again once the transaction commits.

        Bumping now keeps the change visible at once inside the same request; bumping after the
        commit drops a page that another request cached from the not-yet-committed state.
        """
        self._bump()
        transaction.on_commit(self._bump)

    def cached_for_anonymous(self, view):
        """Store what the view answers an anonymous GET, for the middleware to serve again."""

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (self.seconds and may_use_cache(request)):
                return view(request, *args, **kwargs)
            try:
                version = self.version()  # read before the page is made: a change meanwhile wins
            except Exception:  # the cache is down: the page is made, not kept
                logger.warning("Page cache unavailable", exc_info=True)
                return view(request, *args, **kwargs)
            response = view(request, *args, **kwargs)
            if _storable(request, response):
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                headers = [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in _SKIPPED_HEADERS
                ]
                entry = (self.namespace, version, response.status_code, headers, response.content)
                try:
                    cache.set(page_key(request), entry, min(self.seconds, until_midnight()))
                except Exception:
                    logger.warning("Page cache unavailable", exc_info=True)
            return response

        return wrapper


def until_midnight() -> int:
    """Seconds until the next midnight in the site's time zone: a page kept no later than that
    says what is true today (a certificate past its last valid day reads « expiré » from then)."""
    now = timezone.localtime()
    midnight = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return max(1, math.ceil((midnight - now).total_seconds()))


def may_use_cache(request: HttpRequest) -> bool:
    """An anonymous GET without a session: the only requests cached pages are for."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.user.is_authenticated
    )


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code in (200, 404)
        and not response.cookies
        and not getattr(response, "streaming", False)
        # The page holds a CSRF token (a form): it belongs to this visitor only.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def page_key(request: HttpRequest) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"anonymous-page:{language}:{url}"


class AnonymousPageCacheMiddleware:
    """Answer an anonymous GET from the cache when a view stored the page under today's version.

    Placed after LocaleMiddleware (the key includes the language) and the middleware that set
    the headers every page carries; a hit skips the rest of the chain and the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if may_use_cache(request):
            try:
                cached = self.cached_response(request)
            except Exception:  # the cache is down: every page is made again, none fails
                logger.warning("Page cache unavailable", exc_info=True)
                cached = None
            if cached is not None:
                return cached
        return self.get_response(request)

    def cached_response(self, request) -> HttpResponse | None:
        key = page_key(request)
        namespaces = PageCache.namespaces.values()
        found = cache.get_many([key, *(namespace.version_key for namespace in namespaces)])
        entry = found.get(key)
        if entry is None:
            return None
        namespace_name, version, status, headers, content = entry
        namespace = PageCache.namespaces.get(namespace_name)
        if namespace is None or found.get(namespace.version_key) != version:
            return None  # made before a change: the view makes it again
        if namespace.allow_hit is not None and not namespace.allow_hit(request):
            return None  # the view answers (the registry: 429)
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response


# The Wagtail site's pages (home, content pages, catalogue, courses, preview lessons).
site_pages = PageCache("pages", "PAGE_CACHE_SECONDS")
