"""An attended training day offered to the trainee's logbook as a pre-filled entry, through the
neutral source registry of institut.practice (supervision never imports courses)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.training import services
from supervision.logbook.models import PracticeEntry
from tests.courses.conftest import build_course
from tests.courses.training.conftest import during, place, slots
from tests.courses.training.helpers import run_half_day
from tests.supervision.logbook.helpers import form_post

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture
def course(catalogue):
    return build_course(
        catalogue, title="Les fondamentaux de la Thérapie Sociale", steps=["contrat", "conflits"]
    )


def hold_first_day(session, trainer, marks: dict) -> list:
    """The first day's two half-days, each placement's (status, minutes late) recorded and the
    sheet signed by the trainer. Returns the two half-days."""
    day = slots(session)[:2]
    for slot in day:
        run_half_day(slot, trainer, [(placement, *mark) for placement, mark in marks.items()])
    return day


def text(response) -> str:
    return html.unescape(response.content.decode())


def entry_url(key: str) -> str:
    return reverse("supervision:logbook_entry_from_practice", args=[key])


def test_an_attended_day_is_offered_prefilled_then_logged_once(
    client, session, course, trainee, other_trainee, trainer
):
    camille = place(session, trainee, course)
    yanis = place(session, other_trainee, course)
    morning, afternoon = hold_first_day(
        session, trainer, {camille: ("late", 30), yanis: ("absent", 0)}
    )
    key = f"training-day:{session.pk}:{morning.date.isoformat()}"
    client.force_login(trainee)
    with time_machine.travel(afternoon.ends_at + timedelta(hours=2), tick=False):
        home = text(client.get(reverse("supervision:logbook_home")))
        assert "Journée de formation : Les fondamentaux de la Thérapie Sociale" in home
        assert entry_url(key) in home

        form = client.get(entry_url(key))
        assert form.status_code == 200
        initial = {name: form.context["form"][name].value() for name in ("date", "hours")}
        # Two half-days of 3 h 30, 30 minutes late on each: 6 hours carried out.
        assert initial == {"date": morning.date, "hours": 6}
        assert form.context["form"]["minutes"].value() == 0
        assert form.context["form"]["steps"].value() == ["contrat", "conflits"]

        response = client.post(
            entry_url(key),
            form_post(date=morning.date.isoformat(), hours="6", minutes="0", steps=["contrat"]),
        )
        assert response.status_code == 302
        entry = PracticeEntry.objects.get()
        assert (entry.trainee, entry.status, entry.practice_key) == (trainee, "draft", key)
        assert (entry.date, entry.duration_minutes) == (morning.date, 360)

        assert entry_url(key) not in text(client.get(reverse("supervision:logbook_home")))
        assert client.get(entry_url(key)).status_code == 404
        assert client.post(entry_url(key), form_post()).status_code == 404
    assert PracticeEntry.objects.count() == 1


def test_a_day_is_offered_neither_to_another_trainee_nor_before_the_trainer_signs(
    client, session, course, trainee, other_trainee, trainer
):
    camille = place(session, trainee, course)
    yanis = place(session, other_trainee, course)
    morning, _afternoon = hold_first_day(
        session, trainer, {camille: ("present", 0), yanis: ("absent", 0)}
    )
    key = f"training-day:{session.pk}:{morning.date.isoformat()}"
    second_day = slots(session)[2]
    with time_machine.travel(during(second_day), tick=False):
        services.attendance_record(
            actor=trainer, slot=second_day, placement=yanis, status="present", reason="En salle"
        )
    unsigned = f"training-day:{session.pk}:{second_day.date.isoformat()}"
    client.force_login(other_trainee)
    with time_machine.travel(second_day.ends_at + timedelta(hours=2), tick=False):
        home = text(client.get(reverse("supervision:logbook_home")))
        assert "Journée de formation" not in home  # absent on day 1, day 2 not signed yet
        assert client.get(entry_url(key)).status_code == 404
        assert client.post(entry_url(key), form_post()).status_code == 404
        assert client.get(entry_url(unsigned)).status_code == 404
        assert client.get(entry_url("unknown-source:1")).status_code == 404
    assert not PracticeEntry.objects.exists()


def test_a_deleted_draft_offers_the_day_again(client, session, course, trainee, trainer):
    camille = place(session, trainee, course)
    morning, afternoon = hold_first_day(session, trainer, {camille: ("present", 0)})
    key = f"training-day:{session.pk}:{morning.date.isoformat()}"
    client.force_login(trainee)
    with time_machine.travel(afternoon.ends_at + timedelta(hours=2), tick=False):
        client.post(entry_url(key), form_post(date=morning.date.isoformat(), hours="7"))
        entry = PracticeEntry.objects.get()
        client.post(reverse("supervision:logbook_entry_delete", args=[entry.pk]))
        assert entry_url(key) in text(client.get(reverse("supervision:logbook_home")))


def session_page(client, session) -> str:
    response = client.get(reverse("courses:training_session", args=[session.pk]))
    assert response.status_code == 200
    return text(response)


def test_the_english_session_page_puts_no_space_before_the_colon_of_a_day_to_log(
    client, session, course, trainee, trainer
):
    camille = place(session, trainee, course)
    _morning, afternoon = hold_first_day(session, trainer, {camille: ("present", 0)})
    client.force_login(trainee)
    url = reverse("courses:training_session", args=[session.pk])
    with time_machine.travel(afternoon.ends_at + timedelta(hours=2), tick=False):
        page = text(client.get(f"/en{url}"))

    hidden = page[page.index('<span class="visually-hidden">: ') :]
    assert " :" not in hidden[: hidden.index("</span>")]


def test_the_session_page_offers_each_attended_day_until_it_is_logged(
    client, session, course, trainee, trainer
):
    camille = place(session, trainee, course)
    morning, afternoon = hold_first_day(session, trainer, {camille: ("present", 0)})
    key = f"training-day:{session.pk}:{morning.date.isoformat()}"
    client.force_login(trainee)
    with time_machine.travel(afternoon.ends_at + timedelta(hours=2), tick=False):
        page = session_page(client, session)
        assert "À consigner dans mon carnet de pratique" in page
        assert f'href="{entry_url(key)}"' in page
        assert page.count("/carnet-de-pratique/nouvelle-entree/pratique/") == 1

        client.post(entry_url(key), form_post(date=morning.date.isoformat(), hours="7"))
        assert PracticeEntry.objects.filter(practice_key=key).exists()
        page = session_page(client, session)
        assert entry_url(key) not in page
        assert "À consigner dans mon carnet de pratique" not in page


def test_the_session_page_offers_no_day_to_a_trainee_absent_that_day_nor_to_one_without_place(
    client, session, course, trainee, other_trainee, third_trainee, trainer
):
    camille = place(session, trainee, course)
    yanis = place(session, other_trainee, course)
    morning, afternoon = hold_first_day(
        session, trainer, {camille: ("present", 0), yanis: ("absent", 0)}
    )
    key = f"training-day:{session.pk}:{morning.date.isoformat()}"
    url = reverse("courses:training_session", args=[session.pk])
    with time_machine.travel(afternoon.ends_at + timedelta(hours=2), tick=False):
        client.force_login(other_trainee)
        page = session_page(client, session)
        assert "/carnet-de-pratique/nouvelle-entree/pratique/" not in page  # absent that day
        assert entry_url(key) not in page
        client.force_login(third_trainee)
        response = client.get(url)  # public while it takes placements; 404 once closed
        assert "/carnet-de-pratique/nouvelle-entree/pratique/" not in text(response)
        assert client.get(entry_url(key)).status_code == 404


def test_the_session_page_reads_as_many_queries_with_one_day_to_log_as_with_two(
    client, session, course, trainee, trainer
):
    camille = place(session, trainee, course)
    days = slots(session)
    run_half_day(days[0], trainer, [(camille, "present", 0)])
    client.force_login(trainee)
    url = reverse("courses:training_session", args=[session.pk])

    def queries_after(slot) -> tuple[int, str]:
        with time_machine.travel(slot.ends_at + timedelta(hours=2), tick=False):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                page = text(client.get(url))
        return len(queries), page

    with_one, page = queries_after(days[0])
    assert page.count("/carnet-de-pratique/nouvelle-entree/pratique/") == 1
    for slot in days[1:4]:  # the first two days; the last half-day would open the survey
        run_half_day(slot, trainer, [(camille, "present", 0)])
    with_two, page = queries_after(days[3])
    assert page.count("/carnet-de-pratique/nouvelle-entree/pratique/") == 2
    assert with_two == with_one


def test_an_attended_day_is_offered_with_the_english_label_separator(
    client, session, course, trainee, trainer
):
    camille = place(session, trainee, course)
    _morning, afternoon = hold_first_day(session, trainer, {camille: ("present", 0)})
    client.force_login(trainee)
    with time_machine.travel(afternoon.ends_at + timedelta(hours=2), tick=False):
        home = text(client.get("/en" + reverse("supervision:logbook_home")))

    assert 'Training day: <span lang="fr">Les fondamentaux de la Thérapie Sociale</span>' in home
    assert "Training day :" not in home
