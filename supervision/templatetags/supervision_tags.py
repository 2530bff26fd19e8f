"""Template helpers of the supervision pages."""

from __future__ import annotations

from django import template

from supervision.formats import hours_label

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes shown as hours and minutes: 90 -> "1 h 30", 0 -> "0 h"."""
    return hours_label(minutes)
