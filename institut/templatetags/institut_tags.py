"""Template tags shared by every page: language links."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


def _page_url_in(page, language: str, request) -> str | None:
    """The URL of the page's translation in `language`, or None when it has none."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    translated = page.get_translation_or_none(locale)
    if translated is None or not translated.live:
        return None
    return translated.get_url(request)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per interface language, pointing at this page in that language."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if page is not None and hasattr(page, "get_translation_or_none"):
            url = _page_url_in(page, code, request)
            if url is None:
                # No translation of this page: go to that language's home page.
                url = translate_url("/", code) if code != settings.LANGUAGE_CODE else "/"
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links
