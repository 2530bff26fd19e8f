"""The logbook demo: every state, several months, all seven steps, and idempotent."""

from __future__ import annotations

import pytest

from institut import demo as institut_demo
from institut.method import Step
from supervision.logbook import demo as logbook_demo
from supervision.logbook.models import (
    PeriodSummary,
    PracticeEntry,
    PracticeEntryEvent,
    PracticeEntryStep,
)
from supervision.logbook.selectors import practice_totals
from supervision.models import SupervisorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    cast = institut_demo.create_accounts()
    logbook_demo.create_demo(cast)
    return cast


def test_it_creates_entries_in_every_state_over_several_months(cast):
    entries = PracticeEntry.objects.filter(trainee=cast["trainee"])
    # Every state a logbook shows (a deleted draft is shown nowhere).
    shown = set(PracticeEntry.Status.values) - {PracticeEntry.Status.DELETED}
    assert set(entries.values_list("status", flat=True)) == shown
    months = {d.strftime("%Y-%m") for d in entries.values_list("date", flat=True)}
    assert len(months) >= 5
    assert entries.filter(corrects__isnull=False, status="approved").exists()


def test_it_covers_all_seven_steps_with_approved_hours(cast):
    totals = practice_totals(cast["trainee"])
    assert all(totals["by_step"][code] > 0 for code in Step.values)
    assert totals["pending_minutes"] > 0


def test_it_assigns_the_demo_trainee_to_the_demo_trainer(cast):
    assert SupervisorAssignment.objects.filter(
        trainee=cast["trainee"], supervisor=cast["trainer"]
    ).exists()


def test_it_has_a_confirmed_and_a_closed_period(cast):
    statuses = sorted(PeriodSummary.objects.values_list("status", flat=True))
    assert statuses == ["closed", "confirmed"]


def test_it_changes_nothing_the_second_time(cast):
    counts = (
        PracticeEntry.objects.count(),
        PracticeEntryStep.objects.count(),
        PracticeEntryEvent.objects.count(),
        PeriodSummary.objects.count(),
    )
    logbook_demo.create_demo(cast)
    assert counts == (
        PracticeEntry.objects.count(),
        PracticeEntryStep.objects.count(),
        PracticeEntryEvent.objects.count(),
        PeriodSummary.objects.count(),
    )
