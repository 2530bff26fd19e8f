"""The certification's parts of the person's space (/espace/): the committee's, with the
applications waiting for a decision, and the certificate holder's who follows no training."""

from __future__ import annotations

from typing import TYPE_CHECKING

from certification import permissions
from certification.models import Application
from institut import roles

if TYPE_CHECKING:
    from institut.models import User

SHOWN = 10

HOLDER = "holder"


def is_holder_outside_training(user: User) -> bool:
    """A certificate holder without the trainee role: the trainee part, which shows a trainee's
    certificate, is not theirs (one query, none for a trainee)."""
    return not roles.is_trainee(user) and permissions.holds_certificate(user)


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
