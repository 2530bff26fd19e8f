"""Background work of in-person training: thin, idempotent tasks that call services."""

from __future__ import annotations

import base64

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

from courses.training import services

# smtplib.SMTPException and connection errors are OSErrors.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}


@shared_task(**RETRY)
def send_email(payload: dict) -> bool:
    """Send one e-mail prepared by emails.email_send (its cause is already recorded once).

    Not idempotent: a run again after the server accepted the message would send it again,
    so it is not redelivered after a worker is lost (its cause is recorded once, by its key).
    """
    message = EmailMessage(
        subject=payload["subject"],
        body=payload["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[payload["to"]],
        headers={"X-Institut-Key": payload["key"]},
    )
    for name, content, mimetype in payload["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    message.send()
    return True


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
def build_evidence_pack(pack_id: int) -> str:
    """Build the ZIP of an evidence pack.

    Idempotent: a pack already built is left as it is; a half-built one is built again whole.
    """
    pack = services.evidence_pack_build(pack_id=pack_id)
    return pack.status if pack else "missing"
