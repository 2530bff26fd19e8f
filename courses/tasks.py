"""Background work of the courses app: thin, idempotent tasks that call services.

Each runs again after a crash (acks_late, reject_on_worker_lost): a second run changes nothing.
"""

from __future__ import annotations

from celery import shared_task

from courses import services
from institut.celery import RETRY_ON_OS_ERROR


@shared_task(**RETRY_ON_OS_ERROR, acks_late=True, reject_on_worker_lost=True)
def generate_attestation(enrolment_id: int) -> str | None:
    """Issue (once) and e-mail (once) the attestation of a completed course.

    Idempotent: the attestation is issued under the enrolment's row lock only when none exists,
    and the e-mail is an outbox row keyed by the attestation, so a second run sends nothing.
    """
    attestation = services.attestation_issue(enrolment_id=enrolment_id)
    if attestation is None:
        return None
    services.attestation_send(attestation_id=attestation.pk)
    return attestation.number
