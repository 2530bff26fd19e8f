"""Row locks on PostgreSQL: one certificate per application, one open application per person."""

from __future__ import annotations

import pytest

from certification import services
from certification.models import Application, Certificate
from certification.services import Decision
from tests.certification import helpers
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

STATEMENT = "Je pratique la Thérapie Sociale en établissement scolaire depuis trois ans."


def test_it_issues_one_certificate_when_five_members_grant_at_once(
    eligible, committee_member, trainer
):
    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    helpers.favourable_opinion(application, trainer)
    results = run_together(
        5,
        lambda i: services.application_decide(
            application=application, actor=committee_member, decision=Decision.GRANT
        ),
    )
    assert sum(isinstance(r, Application) for r in results) == 1
    assert all(isinstance(r, Application | services.TransitionError) for r in results)
    assert Certificate.objects.count() == 1
    assert application.events.filter(action="granted").count() == 1


def test_it_keeps_one_open_application_when_a_trainee_submits_twice_at_once(eligible):
    results = run_together(
        4, lambda i: services.application_submit(applicant=eligible, statement=STATEMENT)
    )
    assert sum(isinstance(r, Application) for r in results) == 1
    assert Application.objects.count() == 1
