"""The trainer's part of the person's space (/espace/): what to review, today, who needs attention.

Each function runs a fixed number of queries, whatever the number of trainees or entries.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from supervision.logbook.models import PracticeEntry
from supervision.logbook.selectors import review_queue, review_queue_count
from supervision.models import Booking, SupervisionSession
from supervision.selectors import trainees_of

if TYPE_CHECKING:
    from institut.models import User

REVIEW_SHOWN = 5
ATTENTION_SHOWN = 10
# An entry waiting longer than this for its review, or no supervision attended for this long,
# puts a trainee on the "needing attention" list.
REVIEW_WAIT = timedelta(days=7)
SUPERVISION_GAP = timedelta(days=90)


def today_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The start and end of `now`'s day in the current time zone."""
    day = timezone.localtime(now).date()
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def trainees_needing_attention(trainer: User, *, now: datetime) -> list:
    """The trainer's trainees with an entry waiting too long, or no recent supervision (1 query)."""
    oldest_waiting = (
        PracticeEntry.objects.awaiting_review()
        .filter(trainee=OuterRef("pk"))
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    last_supervision = (
        Booking.objects.filter(trainee=OuterRef("pk"), status=Booking.Status.ATTENDED)
        .order_by("-session__starts_at")
        .values("session__starts_at")[:1]
    )
    trainees = (
        trainees_of(trainer)
        .exclude(pk=trainer.pk)
        .annotate(
            oldest_waiting=Subquery(oldest_waiting), last_supervision=Subquery(last_supervision)
        )
        .filter(
            Q(oldest_waiting__lt=now - REVIEW_WAIT)
            | Q(last_supervision__isnull=True)
            | Q(last_supervision__lt=now - SUPERVISION_GAP)
        )
        .distinct()
    )
    people = list(trainees[: ATTENTION_SHOWN + 1])
    for person in people:
        person.waiting_too_long = bool(
            person.oldest_waiting and person.oldest_waiting < now - REVIEW_WAIT
        )
        person.no_recent_supervision = (
            person.last_supervision is None or person.last_supervision < now - SUPERVISION_GAP
        )
    return people


def trainer_panel_context(trainer: User, *, now: datetime | None = None) -> dict:
    """Entries waiting for this trainer's review and their supervision sessions of the day
    (4 queries)."""
    now = now or timezone.now()
    start, end = today_bounds(now)
    today = list(
        SupervisionSession.objects.filter(trainer=trainer, starts_at__gte=start, starts_at__lt=end)
        .scheduled()
        .with_counts()
        .order_by("starts_at")
    )
    return {
        "review_entries": list(review_queue(trainer)[:REVIEW_SHOWN]),
        "review_count": review_queue_count(trainer),
        "today_sessions": today,
    }


def attention_panel_context(trainer: User, *, now: datetime | None = None) -> dict:
    """The trainer's trainees needing attention (1 query)."""
    attention = trainees_needing_attention(trainer, now=now or timezone.now())
    return {
        "attention_trainees": attention[:ATTENTION_SHOWN],
        "attention_more": len(attention) > ATTENTION_SHOWN,
    }
