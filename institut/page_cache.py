"""Whole pages cached for anonymous visitors, per namespace, with a version that any change bumps.

A namespace ("pages" for the Wagtail site, "registry" for the public registry) has one version
number in the cache; cached pages are stored under it, so bumping it forgets them all at once,
without listing keys. Visitors with a session (signed in, or a message waiting),
non-GET requests and responses that set a cookie (a CSRF token, a session) always go to the view.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation


class PageCache:
    """The cached pages of one namespace, kept `seconds_setting` seconds at most."""

    def __init__(self, namespace: str, seconds_setting: str):
        self.namespace = namespace
        self.seconds_setting = seconds_setting
        self.version_key = f"{namespace}:version"

    @property
    def seconds(self) -> int:
        return getattr(settings, self.seconds_setting)

    def version(self) -> int:
        """The current version of the namespace's pages (a new one after every change)."""
        current = cache.get(self.version_key)
        if current is None:
            cache.add(self.version_key, 1, timeout=None)
            current = cache.get(self.version_key, 1)
        return current

    def _bump(self) -> None:
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

    def _page_key(self, request) -> str:
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        language = translation.get_language() or settings.LANGUAGE_CODE
        return f"{self.namespace}:page:{self.version()}:{language}:{url}"

    def cached_for_anonymous(self, view):
        """Serve a GET page from the cache to anonymous visitors; others see it live."""

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if (
                request.method != "GET"
                or not self.seconds
                # A session (signed in, or holding a message to show) gets the live page.
                or settings.SESSION_COOKIE_NAME in request.COOKIES
                or request.user.is_authenticated
            ):
                return view(request, *args, **kwargs)
            key = self._page_key(request)
            stored = cache.get(key)
            if stored is not None:
                content, content_type, status = stored
                return HttpResponse(content, content_type=content_type, status=status)
            response = view(request, *args, **kwargs)
            cacheable = response.status_code in (200, 404) and not response.cookies
            if cacheable and not getattr(response, "streaming", False):
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                cache.set(
                    key,
                    (response.content, response["Content-Type"], response.status_code),
                    self.seconds,
                )
            return response

        return wrapper


# The Wagtail site's pages (home, content pages, catalogue, courses, preview lessons).
site_pages = PageCache("pages", "PAGE_CACHE_SECONDS")
