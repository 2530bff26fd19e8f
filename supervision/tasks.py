"""Celery tasks: thin, idempotent, safe to run twice; mail-server errors are retried.

Each runs again after a crash (acks_late, reject_on_worker_lost): a second run sends nothing.
"""

from __future__ import annotations

import logging

from celery import shared_task

from supervision import notifications

logger = logging.getLogger(__name__)

# smtplib.SMTPException and connection errors are OSErrors; a retry sends nothing twice.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}


@shared_task(**RETRY, acks_late=True, reject_on_worker_lost=True)
def send_booking_email(booking_id: int, kind: str, sequence: int | None = None) -> bool:
    """Send one booking e-mail (confirmation, waitlist, update, cancellation) once.

    Idempotent: its key (kind, booking, sequence) is committed with the sending, so a second run
    sends nothing; a crash between the SMTP server's answer and the commit sends it again.
    """
    return notifications.send_booking_email(booking_id, kind, sequence)


@shared_task(**RETRY, acks_late=True, reject_on_worker_lost=True)
def send_reminder(booking_id: int) -> bool:
    """Send the 24-hour reminder of one booking, at most once.

    Idempotent: the booking's reminder_sent_at is set in the transaction that sends, so a second
    run finds it set and sends nothing.
    """
    return notifications.send_reminder(booking_id)


@shared_task(**RETRY, acks_late=True, reject_on_worker_lost=True)
def send_cosign_link(request_id: int) -> bool:
    """E-mail a logbook period's co-signing link to an external supervisor, once.

    Idempotent: its SentNotification key is committed with the sending, so a second run sends
    nothing; a crash between the SMTP server's answer and the commit sends it again.
    """
    from supervision.logbook import notifications as logbook_notifications

    return logbook_notifications.cosign_link_send(request_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_reminders() -> int:
    """Beat entry: remind every booking whose session starts within 24 h; returns how many.

    A reminder that fails to send stays unsent and is tried again at the next run.
    Idempotent: each reminder goes through send_reminder's once-only claim, so a second run (or
    two beats overlapping) reminds nobody twice.
    """
    sent = 0
    for pk in notifications.due_reminder_ids():
        try:
            sent += notifications.send_reminder(pk)
        except OSError:
            logger.exception("Reminder of booking %s not sent; next run tries again", pk)
    return sent
