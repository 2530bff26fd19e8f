"""Celery tasks: thin, idempotent, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from supervision import notifications


@shared_task
def send_booking_email(booking_id: int, kind: str, sequence: int | None = None) -> bool:
    """Send one booking e-mail (confirmation, waitlist, update, cancellation) once."""
    return notifications.send_booking_email(booking_id, kind, sequence)


@shared_task
def send_reminder(booking_id: int) -> bool:
    """Send the 24-hour reminder of one booking, at most once."""
    return notifications.send_reminder(booking_id)


@shared_task
def send_due_reminders() -> int:
    """Beat entry: remind every booking whose session starts within 24 h; returns how many."""
    return sum(notifications.send_reminder(pk) for pk in notifications.due_reminder_ids())
