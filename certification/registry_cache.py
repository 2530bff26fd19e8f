"""Cached registry pages for anonymous visitors, and one version number that any change bumps."""

from __future__ import annotations

from institut.page_cache import PageCache

registry_pages = PageCache("registry", "REGISTRY_CACHE_SECONDS")

version = registry_pages.version
invalidate = registry_pages.invalidate
cached_for_anonymous = registry_pages.cached_for_anonymous
