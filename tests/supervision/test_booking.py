"""Booking rules: capacity, waitlist, overlaps, cancellation window, audience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.utils import timezone

from institut.roles import Role
from supervision import services
from supervision.models import Booking, SupervisionEvent, SupervisionSession
from tests.factories import UserFactory
from tests.supervision.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

Status = Booking.Status


def trainees(count):
    return [UserFactory(roles=[Role.TRAINEE]) for _ in range(count)]


def test_it_books_a_place_and_audits_it(session, trainee):
    booking = services.booking_create(session=session, trainee=trainee)
    assert booking.status == Status.BOOKED
    event = SupervisionEvent.objects.get(booking=booking)
    assert (event.actor, event.from_status, event.to_status) == (trainee, "", Status.BOOKED)


def test_it_puts_people_on_the_waitlist_when_full(trainer):
    session = SessionFactory(trainer=trainer, capacity=2)
    people = trainees(4)
    bookings = [services.booking_create(session=session, trainee=p) for p in people]
    assert [b.status for b in bookings] == [Status.BOOKED] * 2 + [Status.WAITLISTED] * 2
    assert [b.waitlist_position for b in bookings[2:]] == [1, 2]


def test_it_promotes_the_first_waiting_person_on_cancellation_and_tells_them(
    trainer, mailoutbox, django_capture_on_commit_callbacks
):
    session = SessionFactory(trainer=trainer, capacity=1)
    first, second, third = trainees(3)
    booked = services.booking_create(session=session, trainee=first)
    waiting = services.booking_create(session=session, trainee=second)
    services.booking_create(session=session, trainee=third)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booked, actor=first)

    waiting.refresh_from_db()
    assert waiting.status == Status.BOOKED
    assert waiting.waitlist_position is None
    assert Booking.objects.get(trainee=third).status == Status.WAITLISTED
    promoted_mail = [m for m in mailoutbox if m.to == [second.email]]
    assert len(promoted_mail) == 1
    assert "place s'est libérée" in promoted_mail[0].subject
    assert SupervisionEvent.objects.filter(
        booking=waiting, action="promoted_from_waitlist", to_status=Status.BOOKED
    ).exists()


def test_it_refuses_overlapping_bookings(trainer, other_trainer, trainee):
    first = SessionFactory(trainer=trainer)
    overlapping = SessionFactory(
        trainer=other_trainer,
        starts_at=first.starts_at + timedelta(hours=1),
        ends_at=first.ends_at + timedelta(hours=1),
    )
    services.booking_create(session=first, trainee=trainee)
    with pytest.raises(services.BookingError, match="chevauche"):
        services.booking_create(session=overlapping, trainee=trainee)
    assert not Booking.objects.filter(session=overlapping).exists()


def test_it_allows_back_to_back_sessions(trainer, trainee):
    first = SessionFactory(trainer=trainer)
    after = SessionFactory(
        trainer=trainer, starts_at=first.ends_at, ends_at=first.ends_at + timedelta(hours=1)
    )
    services.booking_create(session=first, trainee=trainee)
    assert services.booking_create(session=after, trainee=trainee).status == Status.BOOKED


def test_it_refuses_a_second_booking_for_the_same_session(session, trainee):
    services.booking_create(session=session, trainee=trainee)
    with pytest.raises(services.BookingError):
        services.booking_create(session=session, trainee=trainee)


def test_it_records_a_cancellation_inside_the_window_as_late(trainer, trainee):
    session = SessionFactory(
        trainer=trainer,
        starts_at=timezone.now() + timedelta(hours=30),
        ends_at=timezone.now() + timedelta(hours=32),
    )
    booking = services.booking_create(session=session, trainee=trainee)
    later = timezone.now() + timedelta(hours=10)  # 20 h before the start
    cancelled = services.booking_cancel(booking=booking, actor=trainee, now=later)
    assert cancelled.status == Status.CANCELLED
    assert cancelled.cancelled_late is True


def test_it_records_a_cancellation_before_the_window_as_on_time(trainer, trainee):
    session = SessionFactory(
        trainer=trainer,
        starts_at=timezone.now() + timedelta(hours=30),
        ends_at=timezone.now() + timedelta(hours=32),
    )
    booking = services.booking_create(session=session, trainee=trainee)
    cancelled = services.booking_cancel(booking=booking, actor=trainee)
    assert cancelled.cancelled_late is False


@override_settings(SUPERVISION_CANCELLATION_WINDOW_HOURS=48)
def test_it_reads_the_cancellation_window_from_settings(trainer, trainee):
    session = SessionFactory(
        trainer=trainer,
        starts_at=timezone.now() + timedelta(hours=30),
        ends_at=timezone.now() + timedelta(hours=32),
    )
    booking = services.booking_create(session=session, trainee=trainee)
    assert services.booking_cancel(booking=booking, actor=trainee).cancelled_late is True


def test_it_refuses_booking_a_session_reserved_to_assigned_trainees(trainer, trainee):
    session = SessionFactory(
        trainer=trainer, audience=SupervisionSession.Audience.ASSIGNED_TRAINEES
    )
    with pytest.raises(services.BookingError):
        services.booking_create(session=session, trainee=trainee)
    services.supervisor_assign(trainee=trainee, supervisor=trainer, assigned_by=None)
    assert services.booking_create(session=session, trainee=trainee).status == Status.BOOKED


def test_it_refuses_booking_a_started_or_cancelled_session(trainer, trainee, past_session):
    with pytest.raises(services.BookingError):
        services.booking_create(session=past_session, trainee=trainee)
    session = SessionFactory(trainer=trainer)
    services.session_cancel(session=session, actor=trainer, reason="Formatrice malade")
    with pytest.raises(services.BookingError):
        services.booking_create(session=session, trainee=trainee)


def test_it_refuses_cancelling_someone_elses_booking(session, trainee, other_trainee):
    booking = services.booking_create(session=session, trainee=trainee)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, actor=other_trainee)


def test_it_tells_everyone_booked_or_waiting_when_the_trainer_cancels(
    trainer, mailoutbox, django_capture_on_commit_callbacks
):
    session = SessionFactory(trainer=trainer, capacity=1)
    booked, waiting = trainees(2)
    services.booking_create(session=session, trainee=booked)
    services.booking_create(session=session, trainee=waiting)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, actor=trainer, reason="Grève des transports")

    session.refresh_from_db()
    assert session.status == SupervisionSession.Status.CANCELLED
    assert session.sequence == 1
    assert set(session.bookings.values_list("status", flat=True)) == {Status.CANCELLED}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([booked.email, waiting.email])
    assert all("Grève des transports" in m.body for m in mailoutbox)
    assert SupervisionEvent.objects.filter(
        session=session, booking=None, action="session_cancelled", reason="Grève des transports"
    ).exists()


def test_it_cancels_a_whole_series_or_one_occurrence(trainer, trainee):
    from supervision.services import SessionData

    starts = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    series = services.series_create(
        trainer=trainer,
        data=SessionData(
            kind="group",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            mode="remote",
            video_url="https://visio.example.org/x",
            capacity=6,
        ),
        frequency="fortnightly",
        occurrences=4,
    )
    sessions = list(series.sessions.order_by("starts_at"))
    assert len(sessions) == 4
    assert (sessions[1].starts_at - sessions[0].starts_at).days in (13, 14)

    services.session_cancel(session=sessions[0], actor=trainer, reason="Férié")
    assert services.series_cancel(series=series, actor=trainer, reason="Fin du cycle") == 3
    assert not series.sessions.scheduled().exists()
