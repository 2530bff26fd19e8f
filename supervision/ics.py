"""iCalendar files: one invitation per booking (REQUEST or CANCEL) and each person's feed."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from institut.ics import attendee_address, person_address
from supervision import permissions

if TYPE_CHECKING:
    from institut.models import User
    from supervision.models import Booking, SupervisionSession

PRODID = "-//Institut Charles Rojzman//Supervision TST//FR"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
METHOD_PUBLISH = "PUBLISH"


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _organizer(session: SupervisionSession) -> vCalAddress:
    return person_address(session.trainer)


def _event(
    session: SupervisionSession,
    *,
    uid: str,
    sequence: int,
    zone: zoneinfo.ZoneInfo,
    cancelled: bool,
    show_link: bool,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.display_title)
    description = session.description
    if session.mode == session.Mode.REMOTE:
        location = session.video_url if show_link else str(session.get_mode_display())
    else:
        location = session.address
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _organizer(session)
    return event


def _add_timezones(calendar: Calendar, moments: list) -> None:
    """VTIMEZONE blocks for the zones in use, covering the events' dates (a year either side)."""
    if not moments:
        return
    margin = timedelta(days=366)
    calendar.add_missing_timezones(
        first_date=(min(moments) - margin).date(), last_date=(max(moments) + margin).date()
    )


def booking_calendar(booking: Booking, *, method: str) -> bytes:
    """The invitation sent with a booking e-mail, in the trainee's time zone."""
    session = booking.session
    trainee = booking.trainee
    calendar = _calendar(method)
    cancelled = method == METHOD_CANCEL
    event = _event(
        session,
        uid=booking.ics_uid,
        sequence=booking.ics_sequence,
        zone=trainee.zone,
        cancelled=cancelled,
        show_link=not cancelled and permissions.holds_place(trainee, session),
    )
    event.add("attendee", attendee_address(trainee), encode=0)
    calendar.add_component(event)
    _add_timezones(calendar, [session.starts_at, session.ends_at])
    return calendar.to_ical()


def feed_calendar(user: User, bookings, sessions) -> bytes:
    """A person's feed: their bookings as a trainee and their sessions as a trainer."""
    calendar = _calendar(METHOD_PUBLISH)
    calendar.add("x-wr-calname", "Supervision TST®")
    zone = user.zone
    for booking in bookings:
        calendar.add_component(
            _event(
                booking.session,
                uid=booking.ics_uid,
                sequence=booking.ics_sequence,
                zone=zone,
                cancelled=booking.session.is_cancelled,
                show_link=True,
            )
        )
    for session in sessions:
        calendar.add_component(
            _event(
                session,
                uid=f"supervision-{session.uid}@institut-charlesrojzman",
                sequence=session.sequence,
                zone=zone,
                cancelled=session.is_cancelled,
                show_link=True,
            )
        )
    moments = [b.session.starts_at for b in bookings] + [s.starts_at for s in sessions]
    _add_timezones(calendar, moments)
    return calendar.to_ical()
