"""The committee's part of the person's space (/espace/): applications waiting for a decision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from certification.models import Application

if TYPE_CHECKING:
    from institut.models import User

SHOWN = 10


def committee_panel_context(user: User) -> dict:
    """The oldest applications waiting for the committee, and how many wait in all (2 queries).
    Those waiting for the applicant's complements are counted apart."""
    waiting = Application.objects.filter(status=Application.Status.SUBMITTED)
    return {
        "waiting_applications": list(
            waiting.select_related("applicant", "scheme").order_by("submitted_at", "pk")[:SHOWN]
        ),
        "waiting_count": waiting.count(),
        "more_requested_count": Application.objects.filter(
            status=Application.Status.MORE_REQUESTED
        ).count(),
    }
