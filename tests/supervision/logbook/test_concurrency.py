"""Row locks on PostgreSQL: two supervisors deciding at once give one decision, one audit row."""

from __future__ import annotations

import pytest

from institut.roles import Role
from supervision.logbook import services
from supervision.logbook.models import PracticeEntry, PracticeEntryEvent
from tests.concurrency import run_together
from tests.factories import UserFactory
from tests.supervision.logbook.helpers import assign, entry_data, make_entry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    trainee = UserFactory(roles=[Role.TRAINEE])
    supervisors = [UserFactory(roles=[Role.TRAINER]) for _ in range(4)]
    for supervisor in supervisors:
        assign(trainee, supervisor)
    return trainee, supervisors


def test_it_records_one_decision_when_supervisors_review_at_once(people):
    trainee, supervisors = people
    entry = make_entry(trainee, "submitted")

    def decide(i):
        if i % 2:
            return services.practice_entry_return(
                entry=entry, reviewer=supervisors[i], comment="À revoir."
            )
        return services.practice_entry_approve(entry=entry, reviewer=supervisors[i])

    results = run_together(4, decide)

    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, services.TransitionError) for r in results if isinstance(r, Exception))
    decisions = PracticeEntryEvent.objects.filter(entry=entry, action__in=["approve", "return"])
    assert decisions.count() == 1
    assert PracticeEntry.objects.get(pk=entry.pk).status == decisions.get().to_status


def test_it_makes_one_correction_when_corrections_are_sent_at_once(people):
    trainee, supervisors = people
    entry = make_entry(trainee, "approved", reviewer=supervisors[0])

    results = run_together(
        3,
        lambda i: services.practice_entry_correct(
            entry=entry, actor=trainee, **entry_data(duration_minutes=30 + i)
        ),
    )

    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert PracticeEntry.objects.filter(corrects=entry).count() == 1
