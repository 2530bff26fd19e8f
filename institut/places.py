"""What a place in a session is, wherever sessions are held (a training session's placement, a
supervision session's booking): a trainee holds at most one that is not cancelled, possibly on the
waitlist. Each app's model adds its session, its trainee and its statuses. And what a line of a
session's history is (`SessionTrailEvent`): each app's adds its session, its place and its date.
`waitlist_end` gives the position of a place put at the end of a session's waitlist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from institut.permanent import PermanentModel, PermanentQuerySet, permanent_triggers


class SessionPlace(models.Model):
    """A trainee's place in a session, or on its waitlist; cancelled places are kept."""

    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.trainee} · {self.session}"

    @staticmethod
    def one_active_per_trainee(*, name: str) -> models.UniqueConstraint:
        """The constraint: one place per trainee and session, cancelled ones aside."""
        return models.UniqueConstraint(
            fields=["session", "trainee"], condition=~Q(status="cancelled"), name=name
        )


class SessionTrailEvent(PermanentModel):
    """A line of a session's history: who changed the session or a place in it, when, from which
    status to which, and why.

    Permanent: PostgreSQL refuses UPDATE and DELETE; only a GDPR erasure rewrites `reason`. A
    concrete model's Meta extends this one's (`class Meta(SessionTrailEvent.Meta)`), which holds
    the triggers.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        abstract = True
        triggers = permanent_triggers(personal=["reason"])

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '∅'} → {self.to_status}"


def waitlist_end(waitlisted: models.QuerySet) -> int:
    """The position after the last of these waitlisted places (a session's): 1 if there are none."""
    last = waitlisted.aggregate(last=Max("waitlist_position"))["last"]
    return (last or 0) + 1
