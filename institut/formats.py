"""Values written the way the interface's current language writes them."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import dateformat, translation
from django.utils.formats import FORMAT_SETTINGS, get_format

from institut.lib.durations import format_duration, minutes_from_hours
from institut.lib.money import format_money


def current_locale() -> str:
    """The current language as a locale for Babel: "fr", "en"."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def money(cents: int, currency: str = "EUR") -> str:
    """An amount in the current language (12 000 cents -> « 120,00 € », « €120.00 »)."""
    return format_money(cents, currency, locale=current_locale())


def duration(minutes) -> str:
    """Minutes in the current language: « 20 h 35 », "20 h 35 min", « 2 h »."""
    return format_duration(minutes, locale=current_locale())


def hours_duration(hours) -> str:
    """Decimal hours (a certificat de réalisation's 20.58) in the current language: « 20 h 35 »."""
    return duration(minutes_from_hours(hours))


# Day-first numeric formats read as the month first by many English readers (« 06/12/2026 »):
# on English pages each is written with the month's name instead. The named formats
# (DATE_FORMAT, …) are the site's own in English: institut/locale_formats/en/formats.py.
ENGLISH_FORMATS = {
    "d/m/Y": "j M Y",
    "j/m/Y": "j M Y",
    "d/m/Y H:i": "j M Y, H:i",
    "j/m/Y H:i": "j M Y, H:i",
    "d/m/Y H:i:s": "j M Y, H:i:s",
    "j/m/Y H:i:s": "j M Y, H:i:s",
    "j/m H:i": "j M, H:i",
    "D j/m": "D j M",
    "m/Y": "M Y",
}
# French joins a date and its time with « à » (« 7 décembre 2026 à 08:26 », the French
# DATETIME_FORMAT); English with a comma (« 7 December 2026, 08:26 »).
FRENCH_AT = " à\u00a0"  # a no-break space: « à » and the time stay on one line
ENGLISH_AT = ", "
# « à » before a time, with a no-break or a plain space (a format written by hand).
AT_BEFORE_TIME = re.compile(" à[ \u00a0]")
# The day of the month, unescaped, when a month's name follows: « j F », « j M », « j N ».
DAY_BEFORE_MONTH = re.compile(r"(?<!\\)j(?= [FMN])")


def date_format_for(value, format_string: str | None = None) -> str:
    """The format a date is written with in the current language: a named format resolved,
    the English form of a day-first numeric one, and the French ordinal of the first day of a
    month (« 1er décembre 2026 »)."""
    format_string = format_string or "DATE_FORMAT"
    language = current_locale()
    if format_string in FORMAT_SETTINGS:
        format_string = get_format(format_string)
    if language == "en":
        return AT_BEFORE_TIME.sub(ENGLISH_AT, ENGLISH_FORMATS.get(format_string, format_string))
    if language == "fr" and getattr(value, "day", None) == 1:
        return DAY_BEFORE_MONTH.sub(r"1\\e\\r", format_string)
    return format_string


def date_text(value, format_string: str | None = None) -> str:
    """A date (or date-time) written the way the current language writes it."""
    return dateformat.format(value, date_format_for(value, format_string))
