"""Background work of the notifications: the daily digest."""

from __future__ import annotations

from celery import shared_task

from institut.notifications import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_daily_digest() -> int:
    """Beat, daily: one e-mail per person with the notifications they chose to get in a digest.

    Idempotent: the notifications taken are marked in the transaction that owes the e-mail,
    whose outbox key is per person and day; a run again finds nothing or the key taken.
    """
    return services.digest_send()
