"""Row locks on PostgreSQL: concurrent bookings never exceed capacity; a reminder goes once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from institut.roles import Role
from supervision import notifications, services
from supervision.models import Booking
from tests.concurrency import run_together
from tests.factories import UserFactory
from tests.supervision.factories import SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_gives_exactly_five_places_to_twenty_concurrent_bookings():
    session = SessionFactory(capacity=5)
    people = [UserFactory(roles=[Role.TRAINEE]) for _ in range(20)]

    results = run_together(
        20, lambda i: services.booking_create(session=session, trainee=people[i])
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    statuses = list(Booking.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(Booking.Status.BOOKED) == 5
    assert statuses.count(Booking.Status.WAITLISTED) == 15
    positions = sorted(
        Booking.objects.filter(session=session, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, 16))


def test_it_refuses_concurrent_overlapping_bookings_of_one_trainee():
    trainee = UserFactory(roles=[Role.TRAINEE])
    first = SessionFactory()
    sessions = [first] + [
        SessionFactory(starts_at=first.starts_at, ends_at=first.ends_at) for _ in range(5)
    ]

    results = run_together(
        6, lambda i: services.booking_create(session=sessions[i], trainee=trainee)
    )

    assert sum(isinstance(r, Booking) for r in results) == 1
    assert all(isinstance(r, (Booking, services.BookingError)) for r in results)
    assert Booking.objects.filter(trainee=trainee).count() == 1


def test_it_sends_one_reminder_when_two_runners_race(mailoutbox):
    starts = timezone.now() + timedelta(hours=20)
    session = SessionFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    trainee = UserFactory(roles=[Role.TRAINEE])
    booking = services.booking_create(session=session, trainee=trainee)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(days=3))
    mailoutbox.clear()

    results = run_together(8, lambda i: notifications.send_reminder(booking.pk))

    assert results.count(True) == 1
    assert results.count(False) == 7
    assert len([m for m in mailoutbox if "Rappel" in m.subject]) == 1
