"""Template tags shared by every page: language links."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


def _translation_urls(page, request) -> dict[str, str]:
    """The URLs of the page's live translations (itself included), by language: one query, kept
    until the next publication (the site's page-cache version)."""
    from institut import person_cache
    from institut.page_cache import site_pages

    def read():
        from wagtail.models import Page

        translations = (
            Page.objects.live()
            .filter(translation_key=page.translation_key)
            .select_related("locale")
            .only("id", "path", "url_path", "depth", "locale__language_code")
        )
        return {item.locale.language_code: item.get_url(request) for item in translations}

    version = site_pages.version_or_none()
    if version is None:
        return read()
    key = f"page-translations:{version}:{request.get_host()}:{page.translation_key}"
    return person_cache.cached(key, read)


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per interface language, pointing at this page in that language."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    is_page = page is not None and hasattr(page, "translation_key")
    translated = _translation_urls(page, request) if is_page else {}
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if is_page:
            url = translated.get(code)
            if url is None:
                # No translation of this page: go to that language's home page.
                url = translate_url("/", code) if code != settings.LANGUAGE_CODE else "/"
        if url is None and context.get("language_by_query"):
            url = f"{request.path}?lang={code}"  # an address without a language prefix
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.filter
def lang_attr(value, shown_on=None) -> str:
    """` lang="fr"` on an element whose content (a page, an outline entry, a Wording) is written
    in another language than the interface's: French not translated yet on an English page."""
    from django.utils.html import format_html

    from institut.content_language import active_language, content_language

    language = content_language(value, shown_on)
    if not language or language == active_language():
        return ""
    return format_html(' lang="{}"', language)


@register.filter
def translated(obj, name: str):
    """`obj.<name>` in the active language, else in French (a Wording: `|lang_attr` marks it)."""
    from institut.content_language import translated_field

    return translated_field(obj, name)


@register.filter
def authored(text: str):
    """Text a person wrote, in French (a Wording: `|lang_attr` marks it on an English page)."""
    from institut.content_language import authored as authored_wording

    return authored_wording(text)


@register.filter
def with_lang(value, shown_on=None) -> str:
    """The value's text, in a `<span lang="fr">` when it is written in another language than
    the interface's (for a Wording or page title inside a translated sentence)."""
    from django.utils.html import format_html

    attribute = lang_attr(value, shown_on)
    text = getattr(value, "title", None) if hasattr(value, "alias_of_id") else value
    if not attribute:
        return format_html("{}", text)
    return format_html("<span{}>{}</span>", attribute, text)
