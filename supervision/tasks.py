"""Celery tasks: thin, idempotent, safe to run twice.

Each runs again after a crash (acks_late, reject_on_worker_lost): a second run owes nothing
more. The e-mails are outbox rows (institut.outbox), which retries the mail server itself; the
services owe them in their own transactions, and the e-mail tasks remain for messages queued
before the outbox.
"""

from __future__ import annotations

from celery import shared_task

from supervision import notifications


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_booking_email(booking_id: int, kind: str, sequence: int | None = None) -> bool:
    """Owe one booking e-mail (confirmation, waitlist, update, cancellation) once.

    Idempotent: its outbox key (kind, booking, trainee, sequence) is unique, so a second run
    owes nothing more, and the outbox sends it once.
    """
    return notifications.send_booking_email(booking_id, kind, sequence)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_reminder(booking_id: int) -> bool:
    """Owe the 24-hour reminder of one booking, once.

    Idempotent: the booking's reminder_sent_at is set in the transaction that writes the outbox
    row, so a second run finds it set and owes nothing.
    """
    return notifications.send_reminder(booking_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_cosign_link(request_id: int) -> bool:
    """Owe a logbook period's co-signing link to an external supervisor, once.

    Idempotent: its outbox key (request, address) is unique, so a second run owes nothing more.
    """
    from supervision.logbook import notifications as logbook_notifications

    return logbook_notifications.cosign_link_send(request_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_reminders() -> int:
    """Beat entry: remind every booking whose session starts within 24 h; returns how many.

    A reminder that fails to send is retried by the outbox.
    Idempotent: each reminder goes through send_reminder's once-only claim, so a second run (or
    two beats overlapping) reminds nobody twice.
    """
    return sum(notifications.send_reminder(pk) for pk in notifications.due_reminder_ids())
