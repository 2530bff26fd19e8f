"""Fixtures of the credentials tests: a certificate granted through the committee's decision."""

from __future__ import annotations

import pytest

from certification import services
from certification.services import Decision

STATEMENT = "Je pratique la Thérapie Sociale en établissement scolaire depuis trois ans."


def grant(applicant, committee_member):
    """Apply and grant through the services, as a trainee and the committee would."""
    application = services.application_submit(applicant=applicant, statement=STATEMENT)
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    application.refresh_from_db()
    return application.issued


@pytest.fixture
def certificate(eligible, committee_member):
    return grant(eligible, committee_member)
