"""Template helpers of the supervision pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes shown as hours and minutes: 90 -> "1 h 30", 0 -> "0 h"."""
    minutes = int(minutes or 0)
    whole, rest = divmod(minutes, 60)
    if rest:
        return _("%(h)s h %(m)02d") % {"h": whole, "m": rest}
    return _("%(h)s h") % {"h": whole}
