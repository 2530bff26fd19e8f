"""Attendance becomes supervision hours; a record is permanent, corrected by a new one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.urls import reverse

from supervision import selectors, services
from supervision.models import Booking, ImmutableRecordError, SupervisionRecord
from tests.supervision.factories import SessionFactory, booked

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_it_turns_attendance_into_supervision_hours(client, past_session, trainee, other_trainee):
    present = booked(past_session, trainee)
    missing = booked(past_session, other_trainee)
    client.force_login(past_session.trainer)
    response = client.post(
        reverse("supervision:attendance", args=[past_session.pk]),
        {
            f"presence_{present.pk}": "attended",
            f"minutes_{present.pk}": "",
            f"presence_{missing.pk}": "absent",
        },
    )
    assert response.status_code == 302
    assert selectors.supervision_minutes(trainee) == {"individual": 0, "group": 120, "total": 120}
    assert selectors.supervision_minutes(other_trainee)["total"] == 0
    present.refresh_from_db()
    missing.refresh_from_db()
    assert (present.status, missing.status) == ("attended", "absent")
    past_session.refresh_from_db()
    assert past_session.attendance_taken_at is not None


def test_it_counts_the_real_duration_when_given(past_session, trainee):
    booking = booked(past_session, trainee)
    services.attendance_take(
        session=past_session,
        actor=past_session.trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True, minutes=90)],
    )
    assert selectors.supervision_minutes(trainee)["group"] == 90


def test_it_separates_individual_and_group_hours(trainer, trainee, past_session):
    from datetime import timedelta

    individual = SessionFactory(
        trainer=trainer,
        kind="individual",
        capacity=1,
        starts_at=past_session.starts_at - timedelta(days=3),
        ends_at=past_session.starts_at - timedelta(days=3) + timedelta(minutes=60),
    )
    for session in (individual, past_session):
        booking = booked(session, trainee)
        services.attendance_take(
            session=session,
            actor=trainer,
            marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
        )
    assert selectors.supervision_minutes(trainee) == {"individual": 60, "group": 120, "total": 180}


def test_it_refuses_attendance_before_the_session_and_says_from_when(client, session, trainee):
    from django.utils import timezone

    from institut.formats import date_text

    booking = booked(session, trainee)
    client.force_login(session.trainer)
    url = reverse("supervision:attendance", args=[session.pk])
    manage = reverse("supervision:session_manage", args=[session.pk])

    posted = client.post(url, {f"presence_{booking.pk}": "attended"}, follow=True)
    shown = client.get(url, follow=True)

    start = date_text(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
    for response in (posted, shown):
        assert response.redirect_chain[-1][0] == manage
        page = response.content.decode()
        assert "La séance n&#x27;a pas encore commencé" in page
        assert start in page
    assert not SupervisionRecord.objects.exists()


def test_it_says_that_a_cancelled_session_has_no_attendance(client, session, trainee):
    client.force_login(session.trainer)
    services.session_cancel(session=session, actor=session.trainer, reason="Indisponible")

    response = client.get(reverse("supervision:attendance", args=[session.pk]), follow=True)

    assert "Cette séance est annulée" in response.content.decode()


def test_it_requires_a_presence_for_each_person(client, past_session, trainee):
    booking = booked(past_session, trainee)
    client.force_login(past_session.trainer)
    response = client.post(reverse("supervision:attendance", args=[past_session.pk]), {})
    assert response.status_code == 200
    assert f"presence_{booking.pk}" in response.context["form"].errors
    assert not SupervisionRecord.objects.exists()


def test_it_corrects_a_record_with_a_new_one_and_keeps_the_old(
    client, past_session, trainee, trainer
):
    booking = booked(past_session, trainee)
    (original,) = services.attendance_take(
        session=past_session,
        actor=trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=False)],
    )
    client.force_login(trainer)
    response = client.post(
        reverse("supervision:record_correct", args=[original.pk]),
        {
            "presence": "attended",
            "minutes": "100",
            "reason": "Arrivée en retard, notée absente par erreur",
        },
    )
    assert response.status_code == 302

    original.refresh_from_db()
    assert original.status == "absent" and original.minutes == 0  # untouched
    correction = SupervisionRecord.objects.get(supersedes=original)
    assert (correction.status, correction.minutes, correction.recorded_by) == (
        "attended",
        100,
        trainer,
    )
    assert correction.reason == "Arrivée en retard, notée absente par erreur"
    assert selectors.supervision_minutes(trainee)["total"] == 100
    booking.refresh_from_db()
    assert booking.status == "attended"
    assert booking.events.filter(action="attendance_corrected", from_status="absent").exists()


def test_it_refuses_a_correction_without_a_reason(past_session, trainee, trainer):
    from django.core.exceptions import ValidationError

    booking = booked(past_session, trainee)
    (record,) = services.attendance_take(
        session=past_session,
        actor=trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
    )
    with pytest.raises(ValidationError):
        services.supervision_record_correct(
            record=record, actor=trainer, attended=False, minutes=None, reason=" "
        )
    assert SupervisionRecord.objects.count() == 1


def test_it_never_edits_or_deletes_a_record_in_place(past_session, trainee, trainer):
    booking = booked(past_session, trainee)
    (record,) = services.attendance_take(
        session=past_session,
        actor=trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
    )
    record.minutes = 600
    with pytest.raises(ImmutableRecordError):
        record.save()
    with pytest.raises(ImmutableRecordError):
        record.delete()
    with pytest.raises(ImmutableRecordError):
        SupervisionRecord.objects.filter(pk=record.pk).update(minutes=1)
    with pytest.raises(ProtectedError):
        booking.delete()
    assert SupervisionRecord.objects.get().minutes == 120


def test_it_refuses_corrections_by_another_trainer(client, past_session, trainee, other_trainer):
    booking = booked(past_session, trainee)
    (record,) = services.attendance_take(
        session=past_session,
        actor=past_session.trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
    )
    client.force_login(other_trainer)
    url = reverse("supervision:record_correct", args=[record.pk])
    assert client.post(url, {"presence": "absent", "reason": "x"}).status_code == 404
    assert SupervisionRecord.objects.count() == 1


def test_it_shows_hours_on_the_trainee_panel_and_the_trainer_home(
    client, past_session, trainee, trainer
):
    services.supervisor_assign(trainee=trainee, supervisor=trainer, assigned_by=None)
    booking = booked(past_session, trainee)
    services.attendance_take(
        session=past_session,
        actor=trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True, minutes=90)],
    )
    context = selectors.trainee_panel_context(trainee)
    assert context["supervision_minutes"]["group"] == 90

    client.force_login(trainer)
    page = client.get(reverse("supervision:trainer_home")).content.decode()
    assert trainee.full_name in page
    assert "1 h 30" in page


def test_it_audits_a_duration_only_correction(past_session, trainee, trainer):
    booking = booked(past_session, trainee)
    (record,) = services.attendance_take(
        session=past_session,
        actor=trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
    )
    services.supervision_record_correct(
        record=record, actor=trainer, attended=True, minutes=45, reason="Départ anticipé"
    )
    event = booking.events.get(action="attendance_corrected")
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        trainer,
        "attended",
        "attended",
        "Départ anticipé",
    )
    assert selectors.supervision_minutes(trainee)["total"] == 45
    with pytest.raises(Exception, match="déjà été corrigé"):
        services.supervision_record_correct(
            record=record, actor=trainer, attended=True, minutes=30, reason="Encore"
        )


def test_it_signals_attendance_once_committed(
    past_session, trainee, trainer, django_capture_on_commit_callbacks
):
    from supervision.signals import attendance_recorded

    received = []

    def listener(sender, records, trainee_ids, **kwargs):
        received.append(trainee_ids)

    attendance_recorded.connect(listener)
    try:
        booking = booked(past_session, trainee)
        with django_capture_on_commit_callbacks(execute=True):
            services.attendance_take(
                session=past_session,
                actor=trainer,
                marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
            )
    finally:
        attendance_recorded.disconnect(listener)
    assert received == [[trainee.pk]]


def test_it_keeps_the_first_attendance_when_the_form_is_sent_twice(client, past_session, trainee):
    booking = booked(past_session, trainee)
    client.force_login(past_session.trainer)
    url = reverse("supervision:attendance", args=[past_session.pk])
    client.get(url)  # both tabs opened before either is sent
    services.attendance_take(
        session=past_session,
        actor=past_session.trainer,
        marks=[services.AttendanceMark(booking_id=booking.pk, attended=True)],
    )
    response = client.post(url, {f"presence_{booking.pk}": "absent"}, follow=True)
    assert response.status_code == 200
    assert "déjà été enregistrées" in response.content.decode()
    assert SupervisionRecord.objects.get().status == "attended"


def test_it_records_a_booked_with_its_audit_row(past_session, trainee):
    booking = services.booking_record_held(
        session=past_session, trainee=trainee, actor=past_session.trainer
    )
    assert booking.status == "booked"
    assert booking.events.get().action == "recorded"


def test_it_lets_only_the_sessions_trainer_record_a_booked(past_session, trainee, other_trainer):
    with pytest.raises(PermissionDenied):
        services.booking_record_held(session=past_session, trainee=trainee, actor=other_trainer)
    assert not Booking.objects.exists()


def test_it_records_no_booked_for_a_session_still_to_come(session, trainee):
    with pytest.raises(PermissionDenied):
        services.booking_record_held(session=session, trainee=trainee, actor=session.trainer)
