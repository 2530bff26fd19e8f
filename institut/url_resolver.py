"""The site's language-prefixed addresses, resolved once per address and language (issue 16).

Django tries the URL patterns in order until one matches. Wagtail's page view comes last (it
matches any path), so a lesson's address was tried against every pattern of every app before
it, on every request: a tenth of a millisecond, a fifth of what a bare view costs in all. What
an address resolves to depends only on the URL configuration, fixed while the process runs,
and on the active language (the prefix): the match is kept per (address, language), at most
`MAX_KEPT` of them (the table is emptied when full: bounded memory whatever addresses are
asked), without the list of the patterns tried before it (only Django's technical 404 page
shows it). An address that matches nothing is not kept.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import LocalePrefixPattern, URLResolver
from django.utils.translation import get_language

MAX_KEPT = 4096


class KeptMatchesResolver(URLResolver):
    """A URLResolver that keeps what each (address, language) resolved to.

    The match kept is never handed out: the resolver above this one (the root) builds a new
    ResolverMatch from it on every request.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict[tuple[str, str | None], object] = {}

    def resolve(self, path):
        key = (str(path), get_language())
        match = self._kept.get(key)
        if match is None:
            match = super().resolve(path)  # Resolver404 when nothing matches: not kept
            match.tried = None  # a hundred patterns for a page's address: not kept
            if len(self._kept) >= MAX_KEPT:
                self._kept.clear()
            self._kept[key] = match
        return match


def kept_i18n_patterns(*urls, prefix_default_language: bool = True) -> list:
    """django.conf.urls.i18n.i18n_patterns, resolved through a KeptMatchesResolver."""
    if not settings.USE_I18N:
        return i18n_patterns(*urls, prefix_default_language=prefix_default_language)
    return [
        KeptMatchesResolver(
            LocalePrefixPattern(prefix_default_language=prefix_default_language), list(urls)
        )
    ]
