"""Background work of the courses app: thin, idempotent tasks that call services."""

from __future__ import annotations

from celery import shared_task

from courses import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def generate_attestation(enrolment_id: int) -> str | None:
    """Issue (once) and e-mail (once) the attestation of a completed course."""
    attestation = services.attestation_issue(enrolment_id=enrolment_id)
    if attestation is None:
        return None
    services.attestation_send(attestation_id=attestation.pk)
    return attestation.number
