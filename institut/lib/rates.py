"""Published rates (Qualiopi indicator 2): a share in whole percent, and the period of the last 12
months counted back from an instant, read the same way by the course and certification pages."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo


def percent(part: int, whole: int) -> int | None:
    """A share in whole percent, rounded half up (None of nothing)."""
    return (200 * part + whole) // (2 * whole) if whole else None


def year_before(day: date) -> date:
    """The same day twelve months earlier (28 February for a 29 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def last_twelve_months(now: datetime, zone: tzinfo) -> tuple[date, date, datetime]:
    """The period a rate covers: from the same day a year before today (in `zone`) to today,
    and the instant it opens (that day's midnight in `zone`); what counts happened after that
    instant and at `now` at the latest."""
    until = now.astimezone(zone).date()
    since = year_before(until)
    return since, until, datetime.combine(since, time.min, tzinfo=zone)
