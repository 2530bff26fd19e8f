"""Hours carried out, from the signed half-days: per trainee and session, and for certification."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from courses import selectors as course_selectors
from courses.training import selectors
from tests.courses.training.conftest import during, place, slots
from tests.courses.training.helpers import run_half_day

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_it_computes_hours_from_a_known_set_of_signatures(
    session, course, trainee, other_trainee, trainer
):
    camille = place(session, trainee, course)
    yanis = place(session, other_trainee, course)
    half_days = slots(session)  # three days, six half-days of 3 h 30
    for index, slot in enumerate(half_days):
        yanis_entry = (yanis, "present", 0)
        if index == 1:
            yanis_entry = (yanis, "late", 30)
        if index == 2:
            yanis_entry = (yanis, "excused", 0)
        # The last half-day is not signed by the trainer yet: its hours are not carried out.
        run_half_day(slot, trainer, [(camille, "present", 0), yanis_entry], sign=index < 5)
    lines = {line.placement.pk: line for line in selectors.session_sheet(session).lines}
    assert lines[camille.pk].hours_planned == Decimal("21.00")
    assert lines[camille.pk].hours_done == Decimal("17.50")
    assert lines[camille.pk].hours_pending == Decimal("3.50")
    assert lines[yanis.pk].hours_done == Decimal(
        "13.50"
    )  # 5 half-days of 3.5 h, minus 0.5 late and 3.5 excused
    assert course_selectors.training_hours(user=trainee)["total"] == 17 * 60 + 30
    assert course_selectors.training_hours(user=other_trainee)["in_person"] == 13 * 60 + 30


def test_the_trainee_sees_their_hours_on_the_session_page(
    client, session, course, trainee, trainer
):
    camille = place(session, trainee, course)
    run_half_day(slots(session)[0], trainer, [(camille, "late", 15)])
    client.force_login(trainee)
    page = client.get(f"/sessions-de-formation/{session.pk}/").content.decode()
    assert "Heures réalisées (feuilles signées)" in page
    assert "3 h 15" in page  # hours and minutes, never decimal hours ("3,25 h")
    assert "3,25" not in page
    english = client.get(f"/en/sessions-de-formation/{session.pk}/").content.decode()
    assert "3 h 15 min" in english


def test_my_sessions_gives_a_session_s_hours_once_it_has_begun(
    client, session, course, trainee, trainer
):
    camille = place(session, trainee, course)
    first = slots(session)[0]
    client.force_login(trainee)

    def my_sessions(moment, language=""):
        with time_machine.travel(moment, tick=False):
            return client.get(f"{language}/espace/sessions/").content.decode()

    # Not begun: no hours line at all (it used to read « Heures réalisées : » and nothing).
    assert "Heures réalisées :" not in my_sessions(first.starts_at - timedelta(hours=1))
    assert "Heures réalisées : 0 h" in my_sessions(during(first))
    run_half_day(first, trainer, [(camille, "late", 15)])
    after = first.ends_at + timedelta(minutes=1)
    assert "Heures réalisées : 3 h 15" in my_sessions(after)
    assert "Hours carried out: 3 h 15 min" in my_sessions(after, "/en")
