"""Cached registry pages for anonymous visitors, and one version number that any change bumps.

A cached page is served again only within the client's rate limit, like the page itself.
"""

from __future__ import annotations

from institut import ratelimit
from institut.page_cache import PageCache

registry_pages = PageCache(
    "registry",
    "REGISTRY_CACHE_SECONDS",
    allow_hit=lambda request: ratelimit.allow(request),
)

invalidate = registry_pages.invalidate
cached_for_anonymous = registry_pages.cached_for_anonymous
