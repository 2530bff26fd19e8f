"""iCalendar files of a session: one event per day, in the session's time zone (TZID)."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import pgettext
from icalendar import Calendar, Event

from institut import downloads
from institut.ics import attendee_address, person_address

PRODID = "-//Institut Charles Rojzman//Formation TST//FR"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
METHOD_PUBLISH = "PUBLISH"


def session_zone() -> zoneinfo.ZoneInfo:
    """Sessions take place in France: their times are those of Europe/Paris."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def file_name(*parts: object) -> str:
    """A session's calendar file, named in the active language: « formation-20261026.ics »,
    « training-20261026.ics »."""
    word = pgettext("nom de fichier : session", "formation")
    return downloads.file_name(word, *parts, extension="ics")


def day_uid(session, day) -> str:
    return f"formation-{session.uid}-{day:%Y%m%d}@institut-charlesrojzman"


def _location(session, *, show_link: bool) -> str:
    if session.is_remote:
        return session.video_url if show_link else str(session.get_mode_display())
    return ", ".join(part for part in (session.room, " ".join(session.address.split())) if part)


def calendar(session, days: list[dict], *, method: str, attendee=None, show_link=True) -> bytes:
    """A calendar with one event per day of the session (first start to last end of the day)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    zone = session_zone()
    trainers = list(session.trainers.all())
    for day in days:
        event = Event()
        event.add("uid", day_uid(session, day["date"]))
        event.add("sequence", session.sequence)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", day["starts_at"].astimezone(zone))
        event.add("dtend", day["ends_at"].astimezone(zone))
        event.add("summary", session.display_title)
        location = _location(session, show_link=show_link)
        if location:
            event.add("location", location)
        halves = " · ".join(
            f"{slot.get_period_display()} "
            f"{timezone.localtime(slot.starts_at, zone):%H:%M}-"
            f"{timezone.localtime(slot.ends_at, zone):%H:%M}"
            for slot in day["slots"]
        )
        event.add("description", halves)
        cancelled = method == METHOD_CANCEL
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if trainers:
            event["organizer"] = person_address(trainers[0])
        if attendee is not None:
            event.add("attendee", attendee_address(attendee), encode=0)
        cal.add_component(event)
    if days:
        margin = timedelta(days=366)
        cal.add_missing_timezones(
            first_date=(days[0]["starts_at"] - margin).date(),
            last_date=(days[-1]["ends_at"] + margin).date(),
        )
    return cal.to_ical()
