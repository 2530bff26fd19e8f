"""Template filters of the certification pages."""

from __future__ import annotations

from django import template

from institut.formats import duration

register = template.Library()


@register.filter
def minutes_as_hours(minutes) -> str:
    """120 -> "2 h", 90 -> « 1 h 30 » / "1 h 30 min" (institut.formats.duration)."""
    try:
        return duration(int(minutes))
    except (TypeError, ValueError):
        return ""
