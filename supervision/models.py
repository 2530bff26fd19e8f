"""Supervision sessions, their bookings and the permanent record of supervision hours.

States change only through supervision.services; reads live in supervision.selectors.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institut.content_language import Wording, authored
from institut.permanent import CorrectedQuerySet, PermanentModel, permanent_triggers
from institut.places import SessionPlace, SessionTrailEvent
from institut.reasons import REASON_PERSONAL, CodedReason
from supervision.reasons import SUPERVISION_REASONS


class SupervisorAssignment(models.Model):
    """A trainer who supervises a trainee (used by sessions and the practice logbook)."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervisor_assignments",
        verbose_name=_("stagiaire"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervisee_assignments",
        verbose_name=_("superviseur·e"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attribué par"),
    )
    created = models.DateTimeField(_("attribué le"), default=timezone.now)

    class Meta:
        verbose_name = _("attribution de superviseur·e")
        verbose_name_plural = _("attributions de superviseur·es")
        ordering = ["trainee__full_name", "supervisor__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "supervisor"], name="supervision_unique_assignment"
            ),
            models.CheckConstraint(
                condition=~Q(trainee=F("supervisor")), name="supervision_assignment_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.trainee}"


class SessionSeries(models.Model):
    """A weekly or fortnightly run of sessions created in one go."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("chaque semaine")
        FORTNIGHTLY = "fortnightly", _("toutes les deux semaines")

    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_series",
        verbose_name=_("formateur·rice"),
    )
    frequency = models.CharField(_("fréquence"), max_length=16, choices=Frequency.choices)
    occurrences = models.PositiveSmallIntegerField(_("nombre de séances"))
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("série de séances")
        verbose_name_plural = _("séries de séances")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} ({self.occurrences})"

    @property
    def interval_days(self) -> int:
        return 7 if self.frequency == self.Frequency.WEEKLY else 14


class SupervisionSessionQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=SupervisionSession.Status.SCHEDULED)

    def upcoming(self, now=None):
        return self.filter(starts_at__gt=now or timezone.now())

    def past(self, now=None):
        return self.filter(starts_at__lte=now or timezone.now())

    def with_counts(self):
        """Annotate booked_count and waitlist_count (one query, no N+1)."""
        return self.annotate(
            booked_count=models.Count(
                "bookings", filter=Q(bookings__status__in=Booking.HOLDING_PLACE), distinct=True
            ),
            waitlist_count=models.Count(
                "bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED), distinct=True
            ),
        )


class SupervisionSession(models.Model):
    """A supervision session a trainer offers, individual or in a group, in person or remote."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individuelle")
        GROUP = "group", _("collective")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("en présentiel")
        REMOTE = "remote", _("à distance")

    class Audience(models.TextChoices):
        ALL_TRAINEES = "all", _("tous les stagiaires")
        ASSIGNED_TRAINEES = "assigned", _("uniquement mes stagiaires supervisé·es")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("programmée")
        CANCELLED = "cancelled", _("annulée")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
        verbose_name=_("formateur·rice"),
    )
    series = models.ForeignKey(
        SessionSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("série"),
    )
    title = models.CharField(_("titre"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.GROUP)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    mode = models.CharField(_("modalité"), max_length=16, choices=Mode.choices)
    address = models.TextField(_("adresse"), blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("nombre de places"))
    minimum_participants = models.PositiveSmallIntegerField(
        _("nombre minimum de participant·es"), null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    # The steps of the method the session works on (codes of institut.method.Step); they pre-fill
    # the logbook entry an attending trainee is offered.
    steps = models.JSONField(_("étapes de la méthode travaillées"), default=list, blank=True)
    audience = models.CharField(
        _("qui peut réserver"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.ALL_TRAINEES,
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    attendance_taken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupervisionSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance de supervision")
        verbose_name_plural = _("séances de supervision")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["trainer", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="supervision_session_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="supervision_capacity_min_1"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        if self.kind == self.Kind.INDIVIDUAL:
            return str(_("Supervision individuelle"))
        return str(_("Supervision collective"))

    @property
    def display_wording(self) -> Wording | str:
        """`display_title` for `|with_lang`: a title is typed in French (lang="fr" on an
        English page), the kind's name is in the page's language."""
        return authored(self.title) if self.title else self.display_title

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def creditable_minutes(self) -> int:
        """The most supervision time one attendance may credit: the session's duration, at
        most SUPERVISION_SESSION_MAX_HOURS (sessions created before that limit may last longer)."""
        return min(self.duration_minutes, settings.SUPERVISION_SESSION_MAX_HOURS * 60)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def places_left(self) -> int | None:
        """Requires the with_counts() annotation."""
        booked = getattr(self, "booked_count", None)
        return None if booked is None else max(self.capacity - booked, 0)


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Booking.ACTIVE)


class Booking(SessionPlace):
    """A trainee's place (or place on the waitlist) in a session."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("réservée")
        WAITLISTED = "waitlisted", _("en liste d'attente")
        CANCELLED = "cancelled", _("annulée")
        ATTENDED = "attended", _("présent·e")
        ABSENT = "absent", _("absent·e")

    # Statuses that hold a place in the session, and those a trainee still "holds".
    HOLDING_PLACE = (Status.BOOKED, Status.ATTENDED, Status.ABSENT)
    ACTIVE = (Status.BOOKED, Status.WAITLISTED, Status.ATTENDED, Status.ABSENT)

    session = models.ForeignKey(
        SupervisionSession, on_delete=models.PROTECT, related_name="bookings"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_bookings"
    )
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices)
    cancelled_late = models.BooleanField(_("annulation tardive"), default=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["session__starts_at", "created_at"]
        constraints = [
            SessionPlace.one_active_per_trainee(name="supervision_one_active_booking_per_session")
        ]

    @property
    def ics_uid(self) -> str:
        return f"supervision-{self.session.uid}-{self.pk}@institut-charlesrojzman"

    @property
    def ics_sequence(self) -> int:
        return self.session.sequence + self.sequence

    @property
    def awaits_attendance(self) -> bool:
        """Still booked for a session that has ended: its supervisor has not taken attendance."""
        return self.status == self.Status.BOOKED and self.session.ends_at <= timezone.now()


class SupervisionEvent(SessionTrailEvent, CodedReason):
    """Audit trail: who changed which session or booking, when, from which state, to which, why.

    Permanent: PostgreSQL refuses UPDATE and DELETE; only a GDPR erasure rewrites `reason` (and
    a fixed reason's parameters: supervision.reasons, read in the reader's language).
    """

    REASONS = SUPERVISION_REASONS

    session = models.ForeignKey(SupervisionSession, on_delete=models.PROTECT, related_name="events")
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(SessionTrailEvent.Meta):
        triggers = permanent_triggers(personal=REASON_PERSONAL)
        verbose_name = _("événement de supervision")
        verbose_name_plural = _("événements de supervision")
        ordering = ["created_at", "pk"]


class ImmutableRecordError(Exception):
    """A permanent record cannot be changed or deleted in place."""


class SupervisionRecord(PermanentModel):
    """A permanent fact: a trainee attended (or missed) a session, for so many minutes.

    PostgreSQL refuses UPDATE and DELETE (a correction is a new row that supersedes this one);
    only a GDPR erasure rewrites the correction's free-text `reason`.
    """

    class Status(models.TextChoices):
        ATTENDED = "attended", _("présent·e")
        ABSENT = "absent", _("absent·e")

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="records")
    session = models.ForeignKey(
        SupervisionSession, on_delete=models.PROTECT, related_name="records"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_records"
    )
    kind = models.CharField(max_length=16, choices=SupervisionSession.Kind.choices)
    status = models.CharField(_("présence"), max_length=16, choices=Status.choices)
    minutes = models.PositiveIntegerField(_("durée (minutes)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    reason = models.TextField(_("motif de la correction"), blank=True)

    refusal = ImmutableRecordError

    objects = CorrectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("relevé de supervision")
        verbose_name_plural = _("relevés de supervision")
        ordering = ["recorded_at", "pk"]
        triggers = permanent_triggers(personal=["reason"])
        constraints = [
            models.CheckConstraint(
                condition=Q(status="attended") | Q(minutes=0),
                name="supervision_record_absent_has_no_minutes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.session} · {self.minutes} min"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret iCalendar feed address; revoking deletes it, renewing replaces it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("flux iCalendar")
        verbose_name_plural = _("flux iCalendar")

    def __str__(self) -> str:
        return str(self.user)


class SentNotification(models.Model):
    """One row per e-mail sent, keyed so that a task run twice sends it once."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification envoyée")
        verbose_name_plural = _("notifications envoyées")

    def __str__(self) -> str:
        return self.key


# The logbook sub-domain's models belong to this app (label "supervision", same tables).
from supervision.logbook.models import (  # noqa: E402, F401
    LockedEntryError,
    PeriodCosignRequest,
    PeriodExternalConfirmation,
    PeriodSummary,
    PracticeEntry,
    PracticeEntryEvent,
    PracticeEntryStep,
)
