"""The in-person training parts of the person's space (/espace/): the trainer's half-days of the
day and their ended sessions still to close, and what the Institut's team has to act on
(evidence packs that failed, ended sessions nobody closed)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from courses import selectors as courses_selectors
from courses.training import selectors
from courses.training.models import PlacementStatus, SessionStatus, TrainingSlot

if TYPE_CHECKING:
    from institut.models import User


def trainer_slots_context(trainer: User, *, now: datetime | None = None) -> dict:
    """The half-days of the day in the sessions this trainer leads, their course named in the
    page's language (2 queries, 1 without any)."""
    day = timezone.localdate(now or timezone.now())
    slots = list(
        TrainingSlot.objects.filter(session__trainers=trainer, date=day)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session")
        .order_by("starts_at", "pk")
    )
    courses_selectors.name_courses([slot.session for slot in slots])
    return {"today_slots": slots}


def trainer_to_close_context(trainer: User, *, now: datetime | None = None) -> dict:
    """The ended sessions this trainer leads that wait to be closed, their course named in the
    page's language (2 queries, 1 without any)."""
    sessions = list(selectors.sessions_to_close(trainer, now=now))
    courses_selectors.name_courses(sessions)
    return {"sessions_to_close": sessions}


def sessions_to_close_count() -> int:
    """Ended sessions nobody closed yet, for the Institut's team (one query)."""
    return selectors.sessions_to_close().count()


def trainee_next_slot_context(trainee: User, *, now: datetime | None = None) -> dict:
    """The next half-day of a session the trainee is placed in, its course named in the page's
    language (2 queries, 1 without one)."""
    slot = (
        TrainingSlot.objects.filter(
            session__placements__trainee=trainee,
            session__placements__status=PlacementStatus.PLACED,
            starts_at__gt=now or timezone.now(),
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session")
        .order_by("starts_at", "pk")
        .first()
    )
    if slot is not None:
        courses_selectors.name_courses([slot.session])
    return {"next_training_slot": slot}


def failed_evidence_packs_count() -> int:
    """Sessions whose latest evidence pack failed (one query)."""
    return selectors.sessions_with_failed_evidence().count()
