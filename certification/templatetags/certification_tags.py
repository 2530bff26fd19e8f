"""Template filters of the certification pages."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes_as_hours(minutes) -> str:
    """120 -> "2 h", 90 -> "1,5 h" (in the active language's number format)."""
    try:
        hours = round(int(minutes) / 60, 1)
    except (TypeError, ValueError):
        return ""
    shown = number_format(hours, decimal_pos=0 if hours == int(hours) else 1)
    return _("%(hours)s h") % {"hours": shown}
