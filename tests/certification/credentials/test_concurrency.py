"""Status list indexes under concurrent grants, on PostgreSQL: never the same bit twice."""

from __future__ import annotations

from collections import Counter

import pytest

from certification import services
from certification.credentials.models import StatusList, StatusListEntry
from certification.models import Application, Certificate
from certification.services import Decision
from institut.method import Step
from tests.certification.helpers import make_scheme
from tests.concurrency import run_together
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GRANTS = 20


def test_it_gives_twenty_certificates_granted_at_once_twenty_different_bits(committee_member):
    # A scheme with nothing to meet: every applicant is eligible at once.
    make_scheme(
        min_practice_hours=0,
        min_supervision_hours=0,
        requires_charter=False,
        requires_supervisor_opinion=False,
        **{f"min_hours_{step.value}": 0 for step in Step},
    )
    applications = [
        services.application_submit(
            applicant=UserFactory(full_name=f"Stagiaire {i}"), statement="Ma pratique."
        )
        for i in range(GRANTS)
    ]
    results = run_together(
        GRANTS,
        lambda i: services.application_decide(
            application=applications[i], actor=committee_member, decision=Decision.GRANT
        ),
    )
    assert all(isinstance(result, Application) for result in results), results
    assert Certificate.objects.count() == GRANTS
    for purpose in ("revocation", "suspension"):
        status_list = StatusList.objects.get(purpose=purpose)  # one list, opened once
        indexes = list(
            StatusListEntry.objects.filter(status_list=status_list).values_list("index", flat=True)
        )
        assert len(indexes) == GRANTS
        assert max(Counter(indexes).values()) == 1
        assert status_list.allocated == GRANTS
    assert StatusListEntry.objects.values("certificate").distinct().count() == GRANTS
