"""System checks of the site-wide settings that no single app owns."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def check_visibility_timeout(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The broker must not hand a task waiting for its retry to a second worker."""
    if not settings.CELERY_BROKER_URL:
        return []
    from institut.celery import longest_countdown, our_tasks

    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest = max((longest_countdown(task), task.name) for task in our_tasks())
    if timeout > longest[0]:
        return []
    return [
        checks.Warning(
            f"CELERY_VISIBILITY_TIMEOUT is {timeout} s, not above the longest retry countdown "
            f"({longest[0]} s, {longest[1]}): such a task would run twice.",
            hint="Set CELERY_VISIBILITY_TIMEOUT above it (the default, 1200 s, is).",
            id="institut.W001",
        )
    ]
