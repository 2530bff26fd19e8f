"""Eligibility computed from the records of the other apps, requirement by requirement."""

from __future__ import annotations

import pytest

from certification import selectors, services
from institut.method import Step
from tests.certification import helpers
from tests.supervision.logbook.helpers import assign, make_entry

pytestmark = pytest.mark.calendar


def _by_code(result):
    return {r.code: r for r in result.requirements}


def test_it_meets_every_requirement_with_the_known_records(eligible, scheme):
    result = selectors.eligibility(eligible)
    assert result.met
    rows = _by_code(result)
    assert rows["courses"].done == 1 and rows["courses"].needed == 1
    assert rows["practice"].done == 14 and rows["practice"].needed == helpers.PRACTICE_HOURS
    for step in Step:
        assert rows[f"step:{step.value}"].done == 2
        assert rows[f"step:{step.value}"].needed == helpers.STEP_HOURS
    assert rows["supervision"].done == 2
    assert rows["charter"].met


def test_it_lists_nothing_as_met_for_a_new_trainee(trainee, scheme):
    result = selectors.eligibility(trainee)
    assert not result.met
    assert {r.code for r in result.unmet} == {r.code for r in result.requirements}
    rows = _by_code(result)
    assert rows["practice"].missing == helpers.PRACTICE_HOURS
    assert rows["practice"].url.endswith("/carnet-de-pratique/")
    assert rows["supervision"].url
    assert rows["charter"].url.endswith("/certification/#charte")


def test_it_needs_the_required_course_completed(trainee, trainer, course, charter, scheme):
    helpers.make_eligible(trainee, trainer, course=course, charter=charter)
    other = helpers.make_scheme(
        course_keys=[course.translation_key, "00000000-0000-0000-0000-000000000001"]
    )
    rows = _by_code(selectors.eligibility(trainee, scheme=other))
    assert rows["courses"].done == 1 and rows["courses"].needed == 2
    assert not rows["courses"].met
    assert [d["met"] for d in rows["courses"].details] == [True, False]


def test_it_counts_only_approved_practice(trainee, trainer, scheme):
    assign(trainee, trainer)
    helpers.approve_practice(trainee, trainer, steps=["confiance"], hours=3)
    make_entry(trainee, "submitted", steps=["confiance"], duration_minutes=600)
    rows = _by_code(selectors.eligibility(trainee))
    assert rows["practice"].done == 3
    assert rows["practice"].details == [{"pending_hours": 10.0}]
    assert rows["step:confiance"].met
    assert not rows["step:contrat"].met


def test_it_needs_hours_in_each_step(trainee, trainer, scheme):
    assign(trainee, trainer)
    helpers.approve_practice(trainee, trainer, steps=["confiance", "contrat"], hours=12)
    rows = _by_code(selectors.eligibility(trainee))
    assert rows["practice"].met
    assert rows["step:confiance"].met and rows["step:contrat"].met
    assert not rows["step:solutions"].met
    assert rows["step:solutions"].missing == helpers.STEP_HOURS


def test_a_requirement_short_by_minutes_is_not_met_nor_shown_as_met(
    client, trainee, trainer, scheme
):
    """Whether hours are enough is decided on the exact minutes, never on a rounded figure."""
    assign(trainee, trainer)
    minutes = helpers.PRACTICE_HOURS * 60 - 3
    make_entry(trainee, "approved", reviewer=trainer, steps=["confiance"], duration_minutes=minutes)
    row = _by_code(selectors.eligibility(trainee))["practice"]
    assert not row.met
    assert row.percent == 99
    client.force_login(trainee)
    page = client.get("/certification/").content.decode()
    assert f"{helpers.PRACTICE_HOURS - 1} h 57" in page
    assert "0 h 03" in page


def test_it_counts_attended_supervision(trainee, trainer, scheme):
    helpers.attend_supervision(trainee, trainer, hours=1.5)
    rows = _by_code(selectors.eligibility(trainee))
    assert rows["supervision"].done == 1.5
    assert rows["supervision"].missing == 0.5


def test_it_needs_the_current_charter_version(eligible, scheme):
    assert selectors.eligibility(eligible).met
    helpers.make_charter(version=2)
    rows = _by_code(selectors.eligibility(eligible))
    assert not rows["charter"].met


def test_it_records_charter_acceptance_with_date_and_version(trainee, charter):
    acceptance = services.charter_accept(user=trainee, charter=charter)
    assert acceptance.charter.version == 1
    assert acceptance.accepted_at is not None
    assert services.charter_accept(user=trainee, charter=charter).pk == acceptance.pk


def test_it_refuses_to_accept_an_old_charter_version(trainee, charter):
    helpers.make_charter(version=2)
    with pytest.raises(services.ValidationError):
        services.charter_accept(user=trainee, charter=charter)
