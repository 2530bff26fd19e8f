"""Sessions of half-days: creation, statuses with their audit, placement and the waitlist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from courses.training import services
from courses.training.models import (
    PlacementStatus,
    SessionEvent,
    SessionStatus,
    TrainingSession,
    TrainingSlot,
)
from courses.training.services import TrainingRefused
from tests.courses.training.conftest import enrol, first_day, make_session, place, slots

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_it_creates_a_session_of_half_days_led_by_its_trainer(session, trainer):
    slots = list(TrainingSlot.objects.filter(session=session))
    assert len(slots) == 6
    assert {slot.period for slot in slots} == {"morning", "afternoon"}
    assert list(session.trainers.all()) == [trainer]

    assert session.status == SessionStatus.PLANNED
    event = SessionEvent.objects.get(session=session)
    assert (event.action, event.actor, event.to_status) == ("created", trainer, "planned")


def test_it_refuses_a_session_that_starts_in_the_past(course, trainer):
    with pytest.raises(TrainingRefused, match="passé"):
        make_session(course, trainer, days_ahead=-1)


def test_it_audits_each_status_change_with_its_reason(session, trainer):
    services.session_confirm(actor=trainer, session=session)
    services.session_cancel(actor=trainer, session=session, reason="Salle inondée")
    events = list(SessionEvent.objects.filter(session=session, action="status"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("planned", "confirmed"),
        ("confirmed", "cancelled"),
    ]
    assert events[-1].reason == "Salle inondée"


def test_it_refuses_a_transition_the_table_does_not_allow(session, trainer):
    services.session_cancel(actor=trainer, session=session, reason="Trop peu d'inscrit·es")
    with pytest.raises(TrainingRefused):
        services.session_confirm(actor=trainer, session=session)


def test_it_refuses_to_cancel_without_a_reason(session, trainer):
    with pytest.raises(TrainingRefused, match="motif"):
        services.session_cancel(actor=trainer, session=session, reason="  ")


def test_it_places_an_enrolled_trainee_and_refuses_one_not_enrolled(
    session, course, trainee, other_trainee
):
    placement = place(session, trainee, course)
    assert placement.status == PlacementStatus.PLACED
    with pytest.raises(TrainingRefused, match="Inscrivez-vous d'abord"):
        services.placement_create(actor=other_trainee, session=session, trainee=other_trainee)


def test_it_puts_trainees_on_a_waitlist_and_promotes_the_first_when_a_place_frees(
    course, trainer, trainee, other_trainee, third_trainee
):
    session = make_session(course, trainer, capacity=1)
    first = place(session, trainee, course)
    second = place(session, other_trainee, course)
    third = place(session, third_trainee, course)
    assert (second.status, second.waitlist_position) == ("waitlisted", 1)
    assert (third.status, third.waitlist_position) == ("waitlisted", 2)
    services.placement_cancel(actor=trainee, placement=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == PlacementStatus.PLACED
    assert third.status == PlacementStatus.WAITLISTED


def test_it_refuses_a_second_place_in_the_same_session(placed, session, trainee):
    with pytest.raises(TrainingRefused, match="déjà"):
        services.placement_create(actor=trainee, session=session, trainee=trainee)


def test_another_trainers_session_answers_404(client, session, other_trainer):
    client.force_login(other_trainer)
    assert client.get(reverse("courses:training_manage", args=[session.pk])).status_code == 404
    slot = session.slots.first()
    for name, args in (
        ("training_slot", [session.pk, slot.pk]),
        ("training_sheet_pdf", [session.pk, slot.pk]),
        ("training_hours", [session.pk]),
        ("training_satisfaction_results", [session.pk]),
        ("training_manage_edit", [session.pk]),
    ):
        assert client.get(reverse(f"courses:{name}", args=args)).status_code == 404, name


def test_a_trainee_chooses_a_session_from_its_page(
    client, session, course, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    enrol(trainee, course)
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:training_session_choose", args=[session.pk]))
    assert response.status_code == 302
    assert session.placements.get().trainee == trainee
    assert len(mailoutbox) == 1
    page = client.get(reverse("courses:training_session", args=[session.pk])).content.decode()
    assert "Libérer ma place" in page


def session_post(course, **overrides) -> dict:
    day = first_day(4)
    data = {
        "course": course.pk,
        "title": "Session de printemps",
        "mode": "in_person",
        "address": "8 rue du Général Renault, 75011 Paris",
        "room": "Salle 2",
        "capacity": "10",
        "morning_starts": "09:00",
        "morning_ends": "12:30",
        "afternoon_starts": "13:30",
        "afternoon_ends": "17:00",
        "day_1": day.isoformat(),
        "morning_1": "on",
        "afternoon_1": "on",
        "day_2": (day + timedelta(days=1)).isoformat(),
        "morning_2": "on",
    }
    data.update(overrides)
    return data


def test_a_trainer_plans_a_session_through_the_form(client, course, trainer):
    client.force_login(trainer)
    response = client.post(reverse("courses:training_manage_create"), session_post(course))
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:training_manage", args=[session.pk])
    assert [(s.date, s.period) for s in session.slots.order_by("starts_at")] == [
        (first_day(4), "morning"),
        (first_day(4), "afternoon"),
        (first_day(4) + timedelta(days=1), "morning"),
    ]
    assert list(session.trainers.all()) == [trainer]


def test_a_trainer_types_the_session_s_price_in_euros(client, course, trainer):
    client.force_login(trainer)

    form = client.get(reverse("courses:training_manage_create")).content.decode()
    client.post(
        reverse("courses:training_manage_create"), session_post(course, price_euros="240,50")
    )

    assert "Prix (€)" in form and "centimes" not in form
    session = TrainingSession.objects.get()
    assert session.price_cents == 24050
    edit = client.get(reverse("courses:training_manage_edit", args=[session.pk])).content.decode()
    assert 'name="price_euros" value="240,50"' in edit


def test_the_session_form_days_are_iso_date_inputs_in_english_too(client, course, trainer):
    client.force_login(trainer)
    data = session_post(course, capacity="0")  # an error: the form is shown again, filled
    with translation.override("en"):
        page = client.post(reverse("courses:training_manage_create"), data)
    day = first_day(4).isoformat()
    assert f'type="date" name="day_1" value="{day}"' in page.content.decode()


@pytest.mark.parametrize("field", ["title", "address", "programme", "room"])
def test_an_oversized_field_gets_its_error_and_writes_nothing(client, course, trainer, field):
    client.force_login(trainer)
    response = client.post(
        reverse("courses:training_manage_create"), session_post(course, **{field: "x" * 200_000})
    )
    assert response.status_code == 200
    assert "caractères" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_trainee_cannot_open_the_session_form(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("courses:training_manage_create")).status_code == 404


def test_a_day_s_calendar_is_named_in_the_page_s_language(client, session, placed, trainee):
    client.force_login(trainee)
    day = slots(session)[0].date
    url = reverse("courses:training_day_ics", args=[session.pk, day.isoformat()])

    french = client.get(url)["Content-Disposition"]
    english = client.get(f"/en{url}")["Content-Disposition"]

    assert f'filename="formation-{day:%Y%m%d}.ics"' in french
    assert f'filename="training-{day:%Y%m%d}.ics"' in english


def test_the_hours_csv_is_named_in_the_page_s_language(client, session, trainer):
    client.force_login(trainer)
    url = reverse("courses:training_hours", args=[session.pk])

    french = client.get(url)["Content-Disposition"]
    english = client.get(f"/en{url}")["Content-Disposition"]

    assert f'filename="heures-session-{session.pk}.csv"' in french
    assert f'filename="hours-session-{session.pk}.csv"' in english
