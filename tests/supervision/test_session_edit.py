"""A trainer changes a session: participants get an updated invitation; capacity can free places."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision import services
from supervision.models import Booking
from tests.supervision.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def edit_data(session, **overrides):
    starts = timezone.localtime(session.starts_at)
    data = {
        "title": session.title,
        "kind": session.kind,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "mode": session.mode,
        "address": session.address,
        "video_url": session.video_url,
        "capacity": str(session.capacity),
        "minimum_participants": "",
        "description": session.description,
        "audience": session.audience,
    }
    data.update(overrides)
    return data


def test_it_moves_a_session_and_sends_the_update(
    client, session, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    services.booking_create(session=session, trainee=trainee)
    mailoutbox.clear()  # the confirmation
    later = timezone.localtime(session.starts_at) + timedelta(days=1)
    client.force_login(session.trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("supervision:session_edit", args=[session.pk]),
            edit_data(
                session,
                starts_at=later.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            ),
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.sequence == 1
    assert [m.to for m in mailoutbox] == [[trainee.email]]
    assert "a changé" in mailoutbox[0].subject


def test_it_promotes_waiting_people_when_capacity_grows(client, trainer, trainee, other_trainee):
    session = SessionFactory(trainer=trainer, capacity=1)
    services.booking_create(session=session, trainee=trainee)
    waiting = services.booking_create(session=session, trainee=other_trainee)
    client.force_login(trainer)
    client.post(
        reverse("supervision:session_edit", args=[session.pk]), edit_data(session, capacity="2")
    )
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.BOOKED


def test_it_refuses_a_capacity_below_the_places_taken(client, trainer, trainee, other_trainee):
    session = SessionFactory(trainer=trainer, capacity=2)
    services.booking_create(session=session, trainee=trainee)
    services.booking_create(session=session, trainee=other_trainee)
    client.force_login(trainer)
    response = client.post(
        reverse("supervision:session_edit", args=[session.pk]), edit_data(session, capacity="1")
    )
    assert response.status_code == 200
    assert "capacity" in response.context["form"].errors
    session.refresh_from_db()
    assert session.capacity == 2
