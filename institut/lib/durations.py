"""Durations written the way a language writes them: hours and minutes, never decimal hours."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Per language: with minutes, whole hours. French writes « 20 h 35 », English "20 h 35 min".
FORMS = {
    "fr": ("{h} h {m:02d}", "{h} h"),
    "en": ("{h} h {m:02d} min", "{h} h"),
}


def minutes_from_hours(hours) -> int:
    """Decimal hours as whole minutes, rounded to the nearest (20.58 -> 1235)."""
    value = Decimal(str(hours or 0)) * 60
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_duration(minutes, *, locale: str = "fr") -> str:
    """Minutes as hours and minutes: 1235 -> « 20 h 35 » (fr), "20 h 35 min" (en); 0 -> "0 h"."""
    whole, rest = divmod(int(minutes or 0), 60)
    with_minutes, whole_hours = FORMS.get(locale.split("-")[0], FORMS["fr"])
    return with_minutes.format(h=whole, m=rest) if rest else whole_hours.format(h=whole)
