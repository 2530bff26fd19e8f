"""Celery task of the retention schedule: thin, idempotent, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from institut.privacy.retention import retention_apply


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_retention_schedule() -> dict:
    """Beat entry (daily): remove or pseudonymise what is past its retention period.

    Idempotent: what was removed or pseudonymised no longer matches, so a second run does nothing.
    """
    return retention_apply()
