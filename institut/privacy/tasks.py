"""Celery task of the retention schedule: thin, idempotent, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from institut.privacy.retention import retention_apply


@shared_task
def apply_retention_schedule() -> dict:
    """Beat entry (daily): remove or pseudonymise what is past its retention period."""
    return retention_apply()
