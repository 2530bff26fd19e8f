"""A planned or confirmed session reads « en cours » while its half-days run and « terminée »
once its last half-day ended, on every page that shows its status, without its stored status
being changed by the reading.

Every moment is built from the session's own half-days, never from today's date.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from courses.training import services
from courses.training.models import SessionStatus, TrainingSession
from tests.courses.training.conftest import during, place, slots
from tests.courses.training.helpers import run_session

pytestmark = pytest.mark.django_db


def before_it_begins(session):
    return slots(session)[0].starts_at - timedelta(hours=1)


def first_half_day_begun(session):
    return during(slots(session)[0])


def between_two_days(session):
    return slots(session)[1].ends_at + timedelta(hours=3)


def last_half_day_ended(session):
    return slots(session)[-1].ends_at + timedelta(minutes=1)


def trainee_pages(session):
    return [
        reverse("courses:training_session", args=[session.pk]),
        reverse("courses:training_my_sessions"),
    ]


def trainer_pages(session):
    return [
        reverse("courses:training_manage_list"),
        reverse("courses:training_manage", args=[session.pk]),
        reverse("courses:training_slot", args=[session.pk, slots(session)[0].pk]),
    ]


def badges(client, person, urls, moment, language="") -> list[str]:
    """The status badge of each page, as this person reads it at that moment."""
    client.force_login(person)
    found = []
    with time_machine.travel(moment, tick=False):
        for url in urls:
            response = client.get(language + url)
            assert response.status_code == 200, url
            badge = response.content.decode().split('class="badge training-status', 1)[1]
            found.append(badge.split(">", 1)[1].split("<", 1)[0])
    return found


@pytest.mark.parametrize(
    ("moment", "french", "english"),
    [
        (before_it_begins, "Programmée", "Scheduled"),
        (first_half_day_begun, "En cours", "In progress"),
        (between_two_days, "En cours", "In progress"),
        (last_half_day_ended, "Terminée", "Ended"),
    ],
)
def test_a_planned_session_reads_its_phase_on_the_trainee_s_and_trainer_s_pages(
    client, session, placed, trainee, trainer, moment, french, english
):
    when = moment(session)
    for person, urls in ((trainee, trainee_pages(session)), (trainer, trainer_pages(session))):
        assert badges(client, person, urls, when) == [french] * len(urls)
        assert badges(client, person, urls, when, "/en") == [english] * len(urls)
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_a_confirmed_session_reads_confirmed_until_it_begins_then_its_phase(
    client, session, placed, trainee, trainer
):
    services.session_confirm(actor=trainer, session=session)
    urls = trainee_pages(session)
    assert badges(client, trainee, urls, before_it_begins(session)) == ["Confirmée"] * 2
    assert badges(client, trainee, urls, first_half_day_begun(session)) == ["En cours"] * 2
    assert badges(client, trainee, urls, last_half_day_ended(session), "/en") == ["Ended"] * 2
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.CONFIRMED


def test_a_session_its_trainer_closed_reads_closed(client, session, placed, trainee, trainer):
    run_session(session, trainer, {placed: ("present", 0)})
    ended = last_half_day_ended(session)
    assert badges(client, trainer, trainer_pages(session), ended) == ["Clôturée"] * 3
    assert badges(client, trainee, trainee_pages(session), ended, "/en") == ["Closed"] * 2


def test_a_cancelled_session_still_reads_cancelled_once_its_dates_passed(
    client, course, session, trainee, trainer
):
    place(session, trainee, course)
    services.session_cancel(actor=trainer, session=session, reason="Formateur malade.")
    ended = last_half_day_ended(session)
    assert badges(client, trainer, trainer_pages(session)[:2], ended) == ["Annulée"] * 2
    assert badges(client, trainer, trainer_pages(session)[:2], ended, "/en") == ["Cancelled"] * 2
