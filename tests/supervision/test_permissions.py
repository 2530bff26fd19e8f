"""Who may see and do what: another person's objects answer 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supervision import services
from supervision.models import Booking, SupervisionRecord
from tests.supervision.factories import SessionFactory, booked

pytestmark = pytest.mark.django_db


def test_it_hides_another_trainees_bookings(client, session, trainee, other_trainee):
    booking = services.booking_create(session=session, trainee=trainee)
    client.force_login(other_trainee)

    page = client.get(reverse("supervision:my_bookings"))
    assert page.status_code == 200
    assert page.context["upcoming"] == []

    response = client.post(reverse("supervision:booking_cancel", args=[booking.pk]))
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_it_refuses_attendance_for_another_trainers_session(
    client, past_session, other_trainer, trainee
):
    booking = booked(past_session, trainee)
    client.force_login(other_trainer)
    url = reverse("supervision:attendance", args=[past_session.pk])

    assert client.get(url).status_code == 404
    response = client.post(url, {f"presence_{booking.pk}": "attended"})
    assert response.status_code == 404
    assert not SupervisionRecord.objects.exists()
    assert (
        client.get(reverse("supervision:session_manage", args=[past_session.pk])).status_code == 404
    )


def test_it_refuses_attendance_through_the_service_too(past_session, other_trainer, trainee):
    from django.core.exceptions import PermissionDenied

    booking = booked(past_session, trainee)
    with pytest.raises(PermissionDenied):
        services.attendance_take(
            session=past_session,
            actor=other_trainer,
            marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
        )


def test_it_shows_the_video_link_only_to_booked_people(client, session, trainee, other_trainee):
    url = reverse("supervision:session_detail", args=[session.pk])
    client.force_login(other_trainee)
    page = client.get(url)
    assert page.status_code == 200
    assert session.video_url not in page.content.decode()

    services.booking_create(session=session, trainee=trainee)
    client.force_login(trainee)
    assert session.video_url in client.get(url).content.decode()


def test_it_hides_the_video_link_from_the_waitlist(client, trainer, trainee, other_trainee):
    session = SessionFactory(trainer=trainer, capacity=1)
    services.booking_create(session=session, trainee=other_trainee)
    services.booking_create(session=session, trainee=trainee)
    client.force_login(trainee)
    page = client.get(reverse("supervision:session_detail", args=[session.pk]))
    assert session.video_url not in page.content.decode()


def test_it_hides_sessions_reserved_to_assigned_trainees(client, trainer, trainee):
    session = SessionFactory(trainer=trainer, audience="assigned")
    client.force_login(trainee)
    assert client.get(reverse("supervision:session_detail", args=[session.pk])).status_code == 404
    assert session not in client.get(reverse("supervision:session_list")).context["sessions"]
    assert client.post(reverse("supervision:session_book", args=[session.pk])).status_code == 404


def test_it_keeps_trainer_pages_from_trainees(client, trainee, session):
    client.force_login(trainee)
    assert client.get(reverse("supervision:trainer_home")).status_code == 404
    assert client.get(reverse("supervision:session_create")).status_code == 404


def test_it_keeps_another_trainers_session_edit_and_cancel_away(client, session, other_trainer):
    client.force_login(other_trainer)
    for name in ("session_edit", "session_cancel", "session_manage"):
        assert client.get(reverse(f"supervision:{name}", args=[session.pk])).status_code == 404
    response = client.post(
        reverse("supervision:session_cancel", args=[session.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_it_sends_anonymous_visitors_to_log_in(client, session):
    response = client.get(reverse("supervision:session_list"))
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]
