"""The language a piece of content is written in, so that French shown on an English page (content
not translated yet) is marked `lang="fr"`: screen readers then read it with French pronunciation.

Pages are translated with wagtail-localize; records that are not pages (the certification scheme,
the charter) keep their English beside the French in `<field>_en` fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class Wording:
    """A text and the language it is written in."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text


def active_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def translated_field(obj, name: str) -> Wording:
    """`obj.<name>` in the active language: `<name>_<language>` when filled, else the original
    (French)."""
    language = active_language()
    if language != settings.LANGUAGE_CODE:
        text = getattr(obj, f"{name}_{language}", "")
        if text:
            return Wording(text, language)
    return Wording(getattr(obj, name), settings.LANGUAGE_CODE)


def authored(text: str) -> Wording:
    """Text a person wrote (a practitioner's bio, city, languages): in the site's first language
    (French), as written, never translated."""
    return Wording(text, settings.LANGUAGE_CODE)


def page_language(page, shown_on=None) -> str | None:
    """The language a page's content is written in, or None when it is that of the page it is
    shown on (by default the page being served, whose locale is the active language).

    An alias (wagtail-localize's synchronised tree keeps one in English for every French page not
    translated yet) shows its source's content, so its source's language.
    """
    cached = getattr(page, "_content_language", None)
    if cached is not None:
        return cached or None
    from wagtail.models import Page

    if page.alias_of_id:
        language = (
            Page.objects.filter(pk=page.alias_of_id)
            .values_list("locale__language_code", flat=True)
            .first()
        )
    elif "locale" in page._state.fields_cache:  # read with its page: no query
        language = page.locale.language_code
    elif shown_on is None or page.locale_id == shown_on.locale_id:
        language = None
    else:
        language = page.locale.language_code
    page._content_language = language or ""
    return language


def content_language(value, shown_on=None) -> str | None:
    """The language of a page, an outline entry or a Wording, when known to differ."""
    language = getattr(value, "language", None)
    if language is not None:
        return language or None
    if hasattr(value, "alias_of_id"):
        return page_language(value, shown_on)
    return None
