"""The retention schedule applied every day (a Celery beat entry): what is past its period goes.

Every provider removes or pseudonymises its own rows; running it twice changes nothing the
second time. The schedule itself is written in docs/data-protection.md.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from institut.privacy.registry import providers

logger = logging.getLogger(__name__)


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Apply every provider's retention periods; returns, per provider, what was done."""
    now = now or timezone.now()
    done = {}
    for provider in providers():
        counts = dict(provider.apply_retention(now=now))
        done[provider.key] = counts
        if any(counts.values()):
            logger.info("Retention schedule, %s: %s", provider.key, counts)
    return done
