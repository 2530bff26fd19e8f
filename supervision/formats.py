"""Values of the supervision pages written once in Python, not by template filters per row."""

from __future__ import annotations

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _


def hours_label(minutes) -> str:
    """Minutes shown as hours and minutes: 90 -> "1 h 30", 0 -> "0 h"."""
    minutes = int(minutes or 0)
    whole, rest = divmod(minutes, 60)
    if rest:
        return _("%(h)s h %(m)02d") % {"h": whole, "m": rest}
    return _("%(h)s h") % {"h": whole}


def when_label(starts_at, ends_at) -> str:
    """The session's day and times in the current time zone and language, as the template
    supervision/_when.html writes them."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return (
        f"{dateformat.format(start, 'l j F Y')}, "
        f"{dateformat.time_format(start, 'H:i')}\u2013{dateformat.time_format(end, 'H:i')}"
    )


def with_when(sessions) -> list:
    """The sessions, each with `when` (its label) and `when_iso` (for <time datetime>)."""
    for session in sessions:
        session.when = when_label(session.starts_at, session.ends_at)
        session.when_iso = timezone.localtime(session.starts_at).isoformat()
    return sessions
