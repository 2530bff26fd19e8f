"""Background work of the outbox: send one owed e-mail; the beat sends what is due or stuck."""

from __future__ import annotations

from celery import shared_task

from institut.outbox import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_email(email_id: int) -> bool:
    """Send one e-mail of the outbox and mark it sent.

    Idempotent: the row is claimed under its lock and only a queued row is sent; a run again
    finds it sent, or "sending" (then retry_due_emails sends it once more, same Message-ID,
    only after OUTBOX_SENDING_TIMEOUT).
    """
    return services.email_send(email_id=email_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def retry_due_emails() -> int:
    """Beat, every minute: the e-mails whose retry is due, and those a crash left "sending".

    Idempotent: each row is claimed under its lock before it is sent, so two runs at once or
    one after the other send each e-mail once.
    """
    return services.emails_send_due()
