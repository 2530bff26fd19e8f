"""Durations in every template (a built-in, settings TEMPLATES): hours and minutes written the
way the page's language writes them, never decimal hours.

    {{ entry.duration_minutes|duration }}   « 1 h 30 » / "1 h 30 min"
    {{ line.hours_done|hours_duration }}    « 20 h 35 » / "20 h 35 min"
"""

from __future__ import annotations

from django import template

from institut import formats

register = template.Library()


@register.filter
def duration(minutes) -> str:
    """Minutes as hours and minutes; "" for what is not a number."""
    try:
        return formats.duration(int(minutes or 0))
    except (TypeError, ValueError):
        return ""


@register.filter
def hours_duration(hours) -> str:
    """Decimal hours as hours and minutes; "" for what is not a number."""
    try:
        return formats.hours_duration(hours)
    except (ArithmeticError, TypeError, ValueError):
        return ""
