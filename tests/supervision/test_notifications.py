"""E-mails and their calendar attachments; the reminder goes exactly once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from institut.outbox.models import OutboxEmail
from supervision import notifications, services, tasks
from supervision.models import Booking
from supervision.services import SessionData
from tests.supervision.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def calendar_of(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def only_event(calendar: Calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_it_sends_a_confirmation_with_a_calendar_invitation(
    session, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    trainee.time_zone = "America/Montreal"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(session=session, trainee=trainee)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [trainee.email]
    assert "réservée" in message.subject
    assert session.video_url in message.body
    local_start = timezone.localtime(session.starts_at, timezone=None)
    assert "America/Montreal" in message.body

    calendar = calendar_of(message)
    assert calendar["METHOD"] == "REQUEST"
    event = only_event(calendar)
    assert str(event["UID"]) == booking.ics_uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "America/Montreal"
    assert event["DTSTART"].dt == session.starts_at
    assert str(event["LOCATION"]) == session.video_url
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Montreal"]
    assert local_start  # rendered in the trainee's zone, compared through the calendar above


def test_it_sends_a_cancellation_with_method_cancel_and_a_higher_sequence(
    session, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(session=session, trainee=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, actor=session.trainer, reason="Salle indisponible")

    confirmation, cancellation = mailoutbox
    sent = only_event(calendar_of(confirmation))
    cancel_calendar = calendar_of(cancellation)
    cancelled = only_event(cancel_calendar)
    assert cancel_calendar["METHOD"] == "CANCEL"
    assert str(cancelled["UID"]) == str(sent["UID"]) == booking.ics_uid
    assert cancelled["SEQUENCE"] > sent["SEQUENCE"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert "Salle indisponible" in cancellation.body
    assert session.video_url not in cancellation.body


def test_it_sends_an_update_with_the_new_time_and_sequence(
    session, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    services.booking_create(session=session, trainee=trainee)
    mailoutbox.clear()  # the confirmation
    later = session.starts_at + timedelta(days=1)
    data = SessionData(
        kind=session.kind,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        mode=session.mode,
        video_url=session.video_url,
        capacity=session.capacity,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, actor=session.trainer, data=data)
    (update,) = mailoutbox
    event = only_event(calendar_of(update))
    assert calendar_of(update)["METHOD"] == "REQUEST"
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == later
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"


def test_it_sends_a_booking_email_once_when_the_task_runs_twice(session, trainee, mailoutbox):
    booking = services.booking_create(session=session, trainee=trainee)  # owes it
    assert tasks.send_booking_email(booking.pk, notifications.CONFIRMED, 0) is False
    assert tasks.send_booking_email(booking.pk, notifications.CONFIRMED, 0) is False
    assert len(mailoutbox) == 1
    assert OutboxEmail.objects.filter(kind="booking_confirmed").count() == 1


def test_it_tells_a_waitlisted_person_their_position_without_an_invitation(
    trainer, trainee, other_trainee, mailoutbox, django_capture_on_commit_callbacks
):
    session = SessionFactory(trainer=trainer, capacity=1)
    services.booking_create(session=session, trainee=other_trainee)
    mailoutbox.clear()  # the other trainee's confirmation
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(session=session, trainee=trainee)
    (message,) = mailoutbox
    assert "liste d'attente" in message.subject
    assert "position 1" in message.body
    assert message.attachments == []
    assert session.video_url not in message.body


def soon_session(trainer, hours=20):
    starts = timezone.now() + timedelta(hours=hours)
    return SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=2))


def book_long_ago(session, trainee):
    from django.core import mail

    from institut.outbox.services import emails_send_due

    booking = services.booking_create(session=session, trainee=trainee)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(days=7))
    emails_send_due()  # the confirmation went a week ago
    mail.outbox.clear()
    return booking


def test_it_sends_the_reminder_once_when_the_task_runs_twice(trainer, trainee, mailoutbox):
    booking = book_long_ago(soon_session(trainer), trainee)

    assert tasks.send_due_reminders() == 1
    assert tasks.send_due_reminders() == 0
    assert tasks.send_reminder(booking.pk) is False

    assert len(mailoutbox) == 1
    assert "Rappel" in mailoutbox[0].subject
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None


def test_it_does_not_remind_sessions_further_than_a_day_away(trainer, trainee, mailoutbox):
    book_long_ago(soon_session(trainer, hours=30), trainee)
    assert tasks.send_due_reminders() == 0
    assert mailoutbox == []


def test_it_does_not_remind_cancelled_bookings(trainer, trainee, mailoutbox):
    booking = book_long_ago(soon_session(trainer), trainee)
    services.booking_cancel(booking=booking, actor=trainee)
    assert tasks.send_due_reminders() == 0


def test_a_reminder_that_fails_to_send_is_owed_once_and_retried_by_the_outbox(
    trainer, trainee, monkeypatch, settings
):
    from institut.outbox.services import emails_send_due

    booking = book_long_ago(soon_session(trainer), trainee)

    def broken_send(self, fail_silently=False):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    assert tasks.send_reminder(booking.pk) is True
    assert emails_send_due() == 0
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None  # owed: the outbox keeps trying
    email = OutboxEmail.objects.get(kind="booking_reminder")
    assert email.status == "queued"
    assert "SMTP down" in email.last_error


def test_it_renders_the_email_in_the_recipients_time_zone(session, trainee):
    trainee.time_zone = "Asia/Tokyo"
    trainee.save()
    booking = services.booking_create(session=session, trainee=trainee)
    message = notifications.build_message(booking, notifications.CONFIRMED)
    tokyo = timezone.localtime(
        session.starts_at, timezone=__import__("zoneinfo").ZoneInfo("Asia/Tokyo")
    )
    assert tokyo.strftime("%H:%M") in message.body
    assert "Asia/Tokyo" in message.body


def test_it_renders_the_email_in_the_recipients_language(session, trainee):
    trainee.preferred_language = "en"
    trainee.save()
    booking = services.booking_create(session=session, trainee=trainee)
    message = notifications.build_message(booking, notifications.CONFIRMED)
    assert f"/en/seances-de-supervision/{session.pk}/" in message.body


def test_the_calendar_invitation_is_named_in_the_recipient_s_language(session, trainee):
    booking = services.booking_create(session=session, trainee=trainee)
    french = notifications.build_message(booking, notifications.CONFIRMED).attachments[0][0]
    trainee.preferred_language = "en"
    trainee.save()
    english = notifications.build_message(booking, notifications.CONFIRMED).attachments[0][0]

    assert (french, english) == ("seance-supervision.ics", "supervision-session.ics")


CATALOGUE = Path(__file__).resolve().parents[2] / "supervision/locale/en/LC_MESSAGES/django.mo"


@pytest.mark.skipif(
    not CATALOGUE.exists(),
    reason="English catalogue not compiled: pybabel compile -d supervision/locale -D django",
)
def test_it_writes_to_english_speakers_in_english(session, trainee):
    trainee.preferred_language = "en"
    trainee.save()
    booking = services.booking_create(session=session, trainee=trainee)
    message = notifications.build_message(booking, notifications.CONFIRMED)
    assert message.subject.endswith("Your supervision session is booked")
    assert message.body.startswith("Hello Camille,")
    assert "Where: remote" in message.body


def test_it_retries_a_failed_reminder_later(trainer, trainee, monkeypatch, mailoutbox):
    from institut.outbox.services import emails_send_due

    booking = book_long_ago(soon_session(trainer), trainee)
    original = notifications.EmailMultiAlternatives.send

    def broken_send(self, fail_silently=False):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    assert tasks.send_due_reminders() == 1
    assert emails_send_due() == 0
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", original)
    assert tasks.send_due_reminders() == 0  # owed once
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        assert emails_send_due() == 1
    assert [m.to for m in mailoutbox] == [[trainee.email]]
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None


@pytest.mark.parametrize(
    ("language", "pattern"),
    [
        ("fr", r"Séance du \d{1,2} \w+ \d{4} à \d{2}:\d{2}\."),
        ("en", r"Session on \d{1,2} \w+ \d{4} at \d{2}:\d{2}\."),
    ],
)
def test_the_booking_notification_says_the_day_then_at_what_time(
    session, trainee, language, pattern
):
    import re

    from institut.notifications.models import Notification

    trainee.preferred_language = language
    trainee.save()
    services.booking_create(session=session, trainee=trainee)

    text = Notification.objects.get(recipient=trainee).text
    assert re.fullmatch(pattern, text), text


@pytest.mark.parametrize(
    ("language", "zone", "said"),
    [
        ("fr", "Europe/Paris", "(heure de Paris)"),
        ("en", "Europe/Paris", "(Paris time)"),
        ("en", "America/Montreal", "(America/Montreal)"),
    ],
)
def test_the_booking_e_mail_names_the_time_zone_as_people_say_it(
    session, trainee, mailoutbox, django_capture_on_commit_callbacks, language, zone, said
):
    trainee.preferred_language = language
    trainee.time_zone = zone
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_create(session=session, trainee=trainee)
    (message,) = mailoutbox
    when = next(line for line in message.body.splitlines() if line.startswith(("Quand", "When")))
    assert when.endswith(said)
    assert "(Europe/Paris)" not in message.body
