"""Values of the supervision pages written once in Python, not by template filters per row."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS

from institut.formats import ENGLISH_AT, FRENCH_AT, current_locale


class DateWriter:
    """Dates as the templates write them ("j F Y", "l j F Y", "H:i") in the current language and
    time zone, naming the days and months once per page instead of once per date."""

    def __init__(self) -> None:
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.weekdays = {number: str(name) for number, name in WEEKDAYS.items()}
        # The first of the month is an ordinal in French, as the `date` filter writes it.
        french = current_locale() == "fr"
        self.first = "1er" if french else "1"
        # A date and its time as DATETIME_FORMAT joins them: « à » in French, a comma in English.
        self.at = FRENCH_AT if french else ENGLISH_AT

    def day(self, value) -> str:
        """2 mars 2026; 1er mars 2026."""
        day = self.first if value.day == 1 else value.day
        return f"{day} {self.months[value.month]} {value.year}"

    def moment(self, value) -> str:
        """2 mars 2026 à 14:00; 2 March 2026, 14:00 (a datetime, in the current time zone)."""
        local = timezone.localtime(value)
        return f"{self.day(local)}{self.at}{local:%H:%M}"

    def when(self, starts_at, ends_at) -> str:
        """The session's day and times, as the template supervision/_when.html writes them."""
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        weekday = self.weekdays[start.weekday()]
        return f"{weekday} {self.day(start)}, {start:%H:%M}\u2013{end:%H:%M}"


def with_when(sessions) -> list:
    """The sessions, each with `when` (its label) and `when_iso` (for <time datetime>)."""
    writer = DateWriter()
    for session in sessions:
        session.when = writer.when(session.starts_at, session.ends_at)
        session.when_iso = timezone.localtime(session.starts_at).isoformat()
    return sessions
