"""Background work of in-person training: thin, idempotent tasks that call services."""

from __future__ import annotations

from celery import shared_task

from courses.training import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_mail() -> dict:
    """Beat entry: convocation reminders and à froid questionnaires that are due.

    Idempotent: each reminder and questionnaire is recorded by its key before it is queued,
    so a second run finds nothing due.
    """
    return services.due_mail_send()


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
)
def issue_certificates(session_id: int) -> list[str]:
    """Issue the certificats de réalisation of a closed session.

    Idempotent: a placement that has its certificate is skipped, each in its own transaction.
    """
    return services.certificates_issue(session_id=session_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_evidence_pack(pack_id: int, language: str | None = None) -> str:
    """Build the ZIP of an evidence pack, in the language of the page it was asked from.

    Idempotent: a pack already built is left as it is; a half-built one is built again whole.
    """
    pack = services.evidence_pack_build(pack_id=pack_id, language=language)
    return pack.status if pack else "missing"
