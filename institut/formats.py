"""Values written the way the interface's current language writes them."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from institut.lib.money import format_money


def current_locale() -> str:
    """The current language as a locale for Babel: "fr", "en"."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def money(cents: int, currency: str = "EUR") -> str:
    """An amount in the current language (12 000 cents -> « 120,00 € », « €120.00 »)."""
    return format_money(cents, currency, locale=current_locale())
