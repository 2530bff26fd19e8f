"""Builders of the credentials tests: a certificate granted by the committee, a status change."""

from __future__ import annotations

from django.utils import timezone

from certification import services
from certification.services import Decision
from tests.certification import helpers

STATEMENT = "Je pratique la Thérapie Sociale en établissement scolaire depuis trois ans."


def grant(applicant, committee_member, supervisor=None):
    """Apply, have the supervisor give an opinion, and grant, as people would."""
    application = services.application_submit(applicant=applicant, statement=STATEMENT)
    if supervisor is not None:
        helpers.favourable_opinion(application, supervisor)
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    application.refresh_from_db()
    return application.issued


def change_status(certificate, to_status, actor, public_reason):
    """A status change through the one service that changes statuses, effective today."""
    return services.certificate_change_status(
        certificate=certificate,
        to_status=to_status,
        actor=actor,
        reason="Décision de la commission après examen.",
        public_reason=public_reason,
        effective_on=timezone.localdate(),
    )
