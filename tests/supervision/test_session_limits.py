"""A session lasts at most SUPERVISION_SESSION_MAX_HOURS, and credits no more than it lasted."""

from __future__ import annotations

import importlib
import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from supervision import selectors, services
from supervision.models import Booking, SupervisionRecord, SupervisionSession
from tests.factories import UserFactory
from tests.supervision.factories import SessionFactory, booked
from tests.supervision.test_session_edit import edit_data

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

report = importlib.import_module(
    "supervision.migrations.0005_report_sessions_over_the_limit"
).report_sessions_over_the_limit


def session_data(hours: float, **overrides) -> services.SessionData:
    starts = (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    fields = {
        "kind": SupervisionSession.Kind.GROUP,
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=int(hours * 60)),
        "mode": SupervisionSession.Mode.REMOTE,
        "video_url": "https://visio.example.org/salle",
        "capacity": 6,
        **overrides,
    }
    return services.SessionData(**fields)


def past_session_of(trainer, *, hours: float, days_ago: int = 2) -> SupervisionSession:
    """A session held before the limit existed (written directly, as old data was)."""
    starts = timezone.now() - timedelta(days=days_ago)
    return SessionFactory(
        trainer=trainer, starts_at=starts, ends_at=starts + timedelta(minutes=int(hours * 60))
    )


def old_record(session, trainee, *, minutes: int) -> SupervisionRecord:
    """An attendance recorded before credits were bounded."""
    # Written directly: the service bounds the minutes, and this is the data from before it did.
    booking = Booking.objects.create(session=session, trainee=trainee, status="attended")
    return SupervisionRecord.objects.create(
        booking=booking,
        session=session,
        trainee=trainee,
        kind=session.kind,
        status="attended",
        minutes=minutes,
        recorded_by=session.trainer,
    )


# --- Length of a session ----------------------------------------------------------------------


def test_it_publishes_a_session_of_exactly_the_limit(trainer):
    session = services.session_create(trainer=trainer, data=session_data(8))
    assert session.duration_minutes == 8 * 60


def test_it_refuses_a_session_longer_than_the_limit(trainer):
    with pytest.raises(ValidationError) as refused:
        services.session_create(trainer=trainer, data=session_data(8.25))
    assert refused.value.message_dict["ends_at"] == [
        "Une séance de supervision dure au plus 8 heures."
    ]
    assert not SupervisionSession.objects.exists()


def test_it_takes_the_limit_from_the_setting(settings, trainer):
    settings.SUPERVISION_SESSION_MAX_HOURS = 3
    with pytest.raises(ValidationError, match="au plus 3 heures"):
        services.session_create(trainer=trainer, data=session_data(4))


def test_it_shows_the_limit_on_the_new_session_page(client, trainer):
    data = session_data(48)
    client.force_login(trainer)
    response = client.post(
        reverse("supervision:session_create"),
        {
            "kind": data.kind,
            "starts_at": timezone.localtime(data.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(data.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "mode": data.mode,
            "video_url": data.video_url,
            "capacity": "6",
            "audience": "all",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == [
        "Une séance de supervision dure au plus 8 heures."
    ]
    assert not SupervisionSession.objects.exists()


def test_it_refuses_lengthening_a_session_beyond_the_limit(client, session):
    client.force_login(session.trainer)
    ends = timezone.localtime(session.starts_at) + timedelta(hours=9)
    response = client.post(
        reverse("supervision:session_edit", args=[session.pk]),
        edit_data(session, ends_at=ends.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 200
    assert "au plus 8 heures" in response.context["form"].errors["ends_at"][0]
    session.refresh_from_db()
    assert session.duration_minutes == 120


def test_it_refuses_changing_the_duration_of_a_past_session(trainer):
    session = past_session_of(trainer, hours=2)
    data = session_data(
        3, starts_at=session.starts_at, ends_at=session.starts_at + timedelta(hours=3)
    )
    with pytest.raises(ValidationError) as refused:
        services.session_update(session=session, actor=trainer, data=data)
    (message,) = refused.value.message_dict["ends_at"]
    assert message.startswith("Cette séance a déjà commencé : son horaire et sa durée")
    session.refresh_from_db()
    assert session.duration_minutes == 120


def test_it_says_why_on_the_edit_page_of_a_past_session(client, trainer):
    session = past_session_of(trainer, hours=2)
    client.force_login(trainer)
    response = client.get(reverse("supervision:session_edit", args=[session.pk]), follow=True)
    assert response.redirect_chain == [
        (reverse("supervision:session_manage", args=[session.pk]), 302)
    ]
    assert "Cette séance a déjà commencé" in response.content.decode()


# --- Credited time ----------------------------------------------------------------------------


def test_it_credits_the_whole_session_when_no_duration_is_given(trainer, trainee):
    session = past_session_of(trainer, hours=2)
    booking = booked(session, trainee)
    (record,) = services.attendance_take(
        session=session,
        actor=trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
    )
    assert record.minutes == 120


def test_it_refuses_crediting_more_than_the_session_lasted(trainer, trainee):
    session = past_session_of(trainer, hours=2)
    booking = booked(session, trainee)
    with pytest.raises(ValidationError) as refused:
        services.attendance_take(
            session=session,
            actor=trainer,
            marks=[services.AttendanceMark(booking_id=booking.pk, attended=True, minutes=121)],
        )
    assert refused.value.message_dict["minutes"] == [
        "121 minutes, c'est plus que la séance (120 minutes au plus)."
    ]
    assert not SupervisionRecord.objects.exists()
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_it_says_so_on_the_attendance_page(client, trainer, trainee):
    session = past_session_of(trainer, hours=2)
    booking = booked(session, trainee)
    client.force_login(trainer)
    response = client.post(
        reverse("supervision:attendance", args=[session.pk]),
        {f"presence_{booking.pk}": "attended", f"minutes_{booking.pk}": "600"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"minutes_{booking.pk}"] == [
        "120 minutes au plus : la durée de la séance."
    ]
    assert not SupervisionRecord.objects.exists()


def test_it_refuses_a_correction_over_the_session(client, trainer, trainee):
    session = past_session_of(trainer, hours=2)
    booking = booked(session, trainee)
    (record,) = services.attendance_take(
        session=session,
        actor=trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True, minutes=60)],
    )
    with pytest.raises(ValidationError, match="plus que la séance"):
        services.supervision_record_correct(
            record=record, actor=trainer, attended=True, minutes=180, reason="Oubli."
        )
    client.force_login(trainer)
    response = client.post(
        reverse("supervision:record_correct", args=[record.pk]),
        {"presence": "attended", "minutes": "180", "reason": "Oubli."},
    )
    assert response.status_code == 200
    assert "minutes" in response.context["form"].errors
    assert SupervisionRecord.objects.count() == 1


def test_it_credits_old_records_no_more_than_their_session_and_the_limit(trainer, trainee):
    two_hours = past_session_of(trainer, hours=2, days_ago=10)
    two_days = past_session_of(trainer, hours=48, days_ago=20)
    old_record(two_hours, trainee, minutes=600)  # more than the session lasted
    old_record(two_days, trainee, minutes=48 * 60)  # the session itself is over the limit

    assert selectors.supervision_minutes(trainee)["group"] == 120 + 8 * 60
    listed = selectors.with_supervision_minutes(UserFactory._meta.model.objects.all())
    assert listed.get(pk=trainee.pk).group_minutes == 120 + 8 * 60


# --- The migration's report -------------------------------------------------------------------


def test_it_reports_the_sessions_over_the_limit_without_changing_them(trainer, trainee):
    two_days = past_session_of(trainer, hours=48, days_ago=20)
    past_session_of(trainer, hours=8, days_ago=5)
    old_record(two_days, trainee, minutes=48 * 60)
    out = io.StringIO()

    report(apps, None, out=out)

    text = out.getvalue()
    assert "1 supervision session(s) last more than 8 hours" in text
    assert f"session {two_days.pk} by {trainer.email}" in text
    assert "48.0 h, 1 attendance(s) recording 2880 min" in text
    two_days.refresh_from_db()
    assert two_days.duration_minutes == 48 * 60
    assert SupervisionRecord.objects.get().minutes == 48 * 60


def test_it_reports_nothing_to_review_when_every_session_is_within_the_limit(trainer):
    past_session_of(trainer, hours=2)
    out = io.StringIO()
    report(apps, None, out=out)
    assert "No supervision session lasts more than 8 hours." in out.getvalue()
