"""What a place in a session is, wherever sessions are held (a training session's placement, a
supervision session's booking): a trainee holds at most one that is not cancelled, possibly on the
waitlist. Each app's model adds its session, its trainee and its statuses."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


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
