"""Cached registry pages for anonymous visitors, and one version number that any change bumps."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

VERSION_KEY = "registry:version"


def version() -> int:
    """The current version of the registry's cached pages (a new one after every change)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY, 1)
    return current


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or evicted): any new value makes old pages unreachable
        cache.set(VERSION_KEY, 2, timeout=None)


def invalidate() -> None:
    """Forget every cached registry page, now and again once the transaction commits.

    Bumping now keeps the change visible at once inside the same request; bumping after the
    commit drops a page that another request cached from the not-yet-committed state.
    """
    _bump()
    transaction.on_commit(_bump)


def _page_key(request) -> str:
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"registry:page:{version()}:{language}:{url}"


def cached_for_anonymous(view):
    """Serve a GET page from the cache to anonymous visitors; staff and holders see it live."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _page_key(request)
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
                settings.REGISTRY_CACHE_SECONDS,
            )
        return response

    return wrapper
