"""A session whose first half-day has begun no longer takes placements: its page is for the
people in it and those who run it, as the list of sessions, which shows only sessions to come.

Every moment is built from the session's own half-days, themselves built from the test clock
(TEST_NOW), never from today's date.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from courses.training.models import SessionPlacement
from tests.courses.training.conftest import during, enrol, make_session, place, slots

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def first_half_day_begun(session):
    return during(slots(session)[0])


def last_half_day_ended(session):
    return slots(session)[-1].ends_at


MOMENTS = [first_half_day_begun, last_half_day_ended]


def page(session) -> str:
    return reverse("courses:training_session", args=[session.pk])


def page_seen(client, session, person, moment) -> str:
    """The session's page as this person reads it at that moment (it must answer)."""
    client.force_login(person)
    with time_machine.travel(moment(session), tick=False):
        response = client.get(page(session))
    assert response.status_code == 200, person
    return response.content.decode()


def test_before_it_begins_anyone_sees_the_page_and_an_enrolled_trainee_may_join(
    client, session, course, other_trainee
):
    enrol(other_trainee, course)
    assert client.get(page(session)).status_code == 200
    client.force_login(other_trainee)
    assert "Choisir cette session" in client.get(page(session)).content.decode()


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_trainee_without_a_place_gets_404_once_it_began(
    client, session, course, other_trainee, moment
):
    enrol(other_trainee, course)  # enrolled in the course, yet without a place in the session
    client.force_login(other_trainee)
    with time_machine.travel(moment(session), tick=False):
        assert client.get(page(session)).status_code == 404
        response = client.post(reverse("courses:training_session_choose", args=[session.pk]))
    assert response.status_code == 404
    assert not SessionPlacement.objects.filter(session=session, trainee=other_trainee).exists()


@pytest.mark.parametrize("moment", MOMENTS)
def test_another_trainer_gets_404_once_it_began(client, session, other_trainer, moment):
    client.force_login(other_trainer)
    with time_machine.travel(moment(session), tick=False):
        assert client.get(page(session)).status_code == 404


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_visitor_is_asked_to_sign_in_once_it_began(client, session, moment):
    """The convocation and the certificate's e-mail link to this page: a trainee with a place
    who is signed out finds it after signing in, not a page that says it does not exist."""
    with time_machine.travel(moment(session), tick=False):
        response = client.get(page(session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "Choisir cette session" not in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_trainee_with_a_place_keeps_the_page_without_joining_or_leaving(
    client, session, placed, trainee, moment
):
    content = page_seen(client, session, trainee, moment)
    assert "Ma présence et mes heures" in content
    assert "Libérer ma place" not in content
    assert "Choisir cette session" not in content


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_trainee_left_on_the_waitlist_reads_that_it_began_without_them(
    client, course, trainer, trainee, other_trainee, moment
):
    session = make_session(course, trainer, capacity=1)
    place(session, trainee, course)
    place(session, other_trainee, course)
    content = page_seen(client, session, other_trainee, moment)
    assert "Cette session a commencé sans qu'une place se libère pour vous" in content
    assert "Quitter la liste d'attente" not in content
    assert "Rejoindre la liste d'attente" not in content


@pytest.mark.parametrize("moment", MOMENTS)
def test_its_trainer_and_staff_keep_the_page(client, session, trainer, staff, moment):
    for person in (trainer, staff):
        content = page_seen(client, session, person, moment)
        assert "Gérer la session" in content
        assert "Choisir cette session" not in content
