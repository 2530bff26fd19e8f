"""The `date` filter of every template, written the way the page's language writes dates.

Registered as a built-in (settings TEMPLATES), it replaces Django's own: « 1er décembre 2026 »
on French pages, and no day-first numeric date (« 06/12/2026 ») on English ones.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as django_date

from institut.formats import date_format_for

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date`, with the format the current language writes dates with."""
    if value in (None, ""):
        return ""
    return django_date(value, date_format_for(value, arg))
