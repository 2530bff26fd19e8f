"""Training sessions, their half-day slots, placements, signed attendance, certificats de
réalisation, satisfaction and evidence packs.

Signed attendance, trainers' signatures, issued certificats de réalisation, convocations and the
audit trail are permanent: never updated or deleted in place (a correction is a new row that
points at the row it replaces). States change only through ``courses.training.services``.
"""

from __future__ import annotations

import functools
import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from institut.content_language import Wording, authored
from institut.formats import date_text
from institut.permanent import (
    CorrectedQuerySet,
    PermanentModel,
    PermanentQuerySet,
    permanent_triggers,
)
from institut.places import SessionPlace, SessionTrailEvent

__all__ = [
    "CLOSABLE_STATUSES",
    "SESSION_TRANSITIONS",
    "Attendance",
    "AttendanceMethod",
    "AttendanceStatus",
    "CompletionCertificate",
    "Convocation",
    "EvidencePack",
    "PlacementStatus",
    "SatisfactionAnswer",
    "SatisfactionKind",
    "SatisfactionQuestion",
    "SatisfactionRequest",
    "SatisfactionResponse",
    "SessionEvent",
    "SessionMode",
    "SessionPlacement",
    "SessionStatus",
    "SlotPeriod",
    "TrainerSignature",
    "TrainingSession",
    "TrainingSlot",
]


# --- Sessions and their half-days ----------------------------------------------------------------


class SessionStatus(models.TextChoices):
    """Where a training session stands."""

    PLANNED = "planned", _("programmée")
    CONFIRMED = "confirmed", _("confirmée")
    HELD = "held", _("réalisée")
    CLOSED = "closed", _("clôturée")
    CANCELLED = "cancelled", _("annulée")


# The one table of allowed status changes, checked in services._session_move(). A session is
# confirmed or cancelled before its first half-day only, and recorded as held after its last one
# (a planned session its trainer never confirmed is held all the same: it took place).
SESSION_TRANSITIONS: dict[str, set[str]] = {
    SessionStatus.PLANNED: {SessionStatus.CONFIRMED, SessionStatus.CANCELLED, SessionStatus.HELD},
    SessionStatus.CONFIRMED: {SessionStatus.HELD, SessionStatus.CANCELLED},
    SessionStatus.HELD: {SessionStatus.CLOSED},
    SessionStatus.CLOSED: set(),
    SessionStatus.CANCELLED: set(),
}

# The statuses of a session that is closed once its last half-day ended.
CLOSABLE_STATUSES = (SessionStatus.PLANNED, SessionStatus.CONFIRMED, SessionStatus.HELD)

# What a person reads while a planned or confirmed session runs or has run, before its trainer
# records it as held: the stored status is left as it is.
SESSION_PHASE_LABELS = {
    "running": pgettext_lazy("statut d'une session", "en cours"),
    "finished": pgettext_lazy("statut d'une session", "terminée"),
}


class SessionMode(models.TextChoices):
    """Where the session takes place."""

    IN_PERSON = "in_person", _("en présentiel")
    REMOTE = "remote", _("à distance (visioconférence)")


class TrainingSessionQuerySet(models.QuerySet):
    """Query vocabulary of sessions."""

    def open_for_placement(self):
        return self.filter(status__in=(SessionStatus.PLANNED, SessionStatus.CONFIRMED))

    def led_by(self, user):
        return self.filter(trainers=user)

    def with_counts(self):
        """Annotate placed_count and waitlist_count in the same query."""
        return self.annotate(
            placed_count=models.Count(
                "placements", filter=Q(placements__status=PlacementStatus.PLACED), distinct=True
            ),
            waitlist_count=models.Count(
                "placements",
                filter=Q(placements__status=PlacementStatus.WAITLISTED),
                distinct=True,
            ),
        )


class TrainingSession(models.Model):
    """A session (session de formation) of a course: half-day slots, a place, trainers."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course_key = models.UUIDField(_("formation (clé de traduction)"), db_index=True)
    course_title = models.CharField(_("formation"), max_length=255)
    title = models.CharField(
        _("intitulé de la session"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Session de printemps, Lyon ». Vide : le titre de la formation."),
    )
    mode = models.CharField(
        _("modalité"), max_length=16, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    address = models.TextField(_("adresse"), blank=True)
    room = models.CharField(_("salle"), max_length=120, blank=True)
    video_url = models.URLField(_("lien de visioconférence"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("nombre de places"))
    price_cents = models.PositiveIntegerField(
        _("prix (centimes d'euro)"),
        null=True,
        blank=True,
        help_text=_("Vide : le prix de la formation. Les financements sont saisis par l'équipe."),
    )
    programme = models.TextField(
        _("programme"),
        blank=True,
        help_text=_(
            "Le déroulé des journées, repris dans la convocation et le dossier de preuves."
        ),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateur·rices"),
        related_name="training_sessions_led",
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped when dates or place change: calendar clients replace the events they hold.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_capacity_min_1"),
        ]

    def __str__(self) -> str:
        return self.display_title

    # The course's title in the page's language, once a page named it
    # (courses.selectors.name_courses).
    _course_name = ""

    @property
    def course_name(self) -> str:
        """The course as the page names it: in its language once named, else as saved."""
        return self._course_name or self.course_title

    @course_name.setter
    def course_name(self, value: str) -> None:
        self._course_name = value

    # The language of `course_name` once a page named it; the saved title is French.
    course_language = settings.LANGUAGE_CODE

    @property
    def display_title(self) -> str:
        return self.title or self.course_name

    @property
    def course_wording(self) -> Wording:
        """`course_name` and its language, for `|with_lang` (lang="fr" on an English page)."""
        return Wording(self.course_name, self.course_language)

    @property
    def display_wording(self) -> Wording:
        """`display_title` and its language: a title is typed in French."""
        return authored(self.title) if self.title else self.course_wording

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_closed(self) -> bool:
        return self.status == SessionStatus.CLOSED

    @property
    def is_open_for_placement(self) -> bool:
        return self.status in (SessionStatus.PLANNED, SessionStatus.CONFIRMED)

    @property
    def has_begun(self) -> bool:
        """Has its first half-day started? (Reads the prefetched half-days when there are.)"""
        first = self.first_slot
        return first is not None and first.has_started

    @property
    def has_ended(self) -> bool:
        """Has its last half-day ended? (Reads the prefetched half-days when there are.)"""
        last = self.last_slot
        return last is not None and last.has_ended

    @property
    def takes_placements(self) -> bool:
        """Open and not begun: its page is public and offers a place (as the list of sessions)."""
        return self.is_open_for_placement and not self.has_begun

    @property
    def can_be_edited(self) -> bool:
        """Open and not begun: its half-days, place and trainees may still change (the page's
        buttons, the edit and place pages and their services all read this)."""
        return self.takes_placements

    @property
    def can_be_confirmed(self) -> bool:
        """Planned and not begun: confirming a session that already took place means nothing."""
        return self.status == SessionStatus.PLANNED and not self.has_begun

    @property
    def can_be_cancelled(self) -> bool:
        """Open and not begun: a session that began is held, then closed, never cancelled."""
        return self.takes_placements

    @property
    def awaits_closing(self) -> bool:
        """Its last half-day ended and nobody closed it yet."""
        return self.status in CLOSABLE_STATUSES and self.has_ended

    @property
    def shown_status(self) -> str:
        """The status a person reads: « running » or « finished » by its half-days while the
        stored one is still planned or confirmed, else the stored one (reads prefetched slots)."""
        if not self.is_open_for_placement:
            return self.status
        if self.has_ended:
            return "finished"
        return "running" if self.has_begun else self.status

    @property
    def shown_status_label(self) -> str:
        shown = self.shown_status
        return SESSION_PHASE_LABELS.get(shown) or SessionStatus(shown).label

    @property
    def is_remote(self) -> bool:
        return self.mode == SessionMode.REMOTE

    @property
    def first_slot(self):
        """The first half-day (reads the prefetched half-days when there are)."""
        slots = list(self.slots.all())
        return slots[0] if slots else None

    @property
    def last_slot(self):
        slots = list(self.slots.all())
        return slots[-1] if slots else None


class SlotPeriod(models.TextChoices):
    """Half of a day: the attendance sheet is signed once per half-day."""

    MORNING = "morning", _("matin")
    AFTERNOON = "afternoon", _("après-midi")


class TrainingSlot(models.Model):
    """A half-day of a session, with its times; the trainer opens its signing in the room."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="slots")
    date = models.DateField(_("date"))
    period = models.CharField(_("demi-journée"), max_length=10, choices=SlotPeriod.choices)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    # The secret part of the signing link and QR code, made when the trainer opens signing.
    signing_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    signing_opened_at = models.DateTimeField(null=True, blank=True)
    signing_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signing_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demi-journée")
        verbose_name_plural = _("demi-journées")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "date", "period"], name="training_one_slot_per_half_day"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="training_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_period_display()}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def signing_window(self) -> tuple:
        """When trainees may sign: from a little before the start to the end of the half-day."""
        early = timedelta(minutes=settings.TRAINING_SIGNING_EARLY_MINUTES)
        return self.starts_at - early, self.ends_at

    @property
    def signing_opens_at(self):
        """When trainees may begin to sign (TRAINING_SIGNING_EARLY_MINUTES before the start)."""
        return self.signing_window()[0]

    def is_within_window(self, now=None) -> bool:
        opens, closes = self.signing_window()
        return opens <= (now or timezone.now()) <= closes

    def is_signing_open(self, now=None) -> bool:
        return (
            self.signing_opened_at is not None
            and self.signing_closed_at is None
            and self.is_within_window(now)
        )

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


# --- Placements ----------------------------------------------------------------------------------


class PlacementStatus(models.TextChoices):
    """A trainee's place in a session."""

    PLACED = "placed", _("place confirmée")
    WAITLISTED = "waitlisted", _("en liste d'attente")
    CANCELLED = "cancelled", _("annulée")


class SessionPlacement(SessionPlace):
    """A trainee enrolled in the course, placed in one of its sessions (or waiting for a place)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="placements"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stagiaire"),
        on_delete=models.PROTECT,
        related_name="training_placements",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="training_placements"
    )
    status = models.CharField(_("statut"), max_length=16, choices=PlacementStatus.choices)
    employer_name = models.CharField(
        _("employeur"),
        max_length=200,
        blank=True,
        help_text=_("Repris sur le certificat de réalisation."),
    )
    placed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("place en session")
        verbose_name_plural = _("places en session")
        ordering = ["session", "created_at", "pk"]
        constraints = [SessionPlace.one_active_per_trainee(name="training_one_active_placement")]

    @property
    def is_placed(self) -> bool:
        return self.status == PlacementStatus.PLACED


@functools.cache
def _periods_by_written_name() -> dict:
    """Each half-day period by its name as written in any of the site's languages (« après-midi »,
    "afternoon"), to its lazy label: read once, not for each event of a history."""
    periods = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            periods.update({str(label): label for _value, label in SlotPeriod.choices})
    return periods


class SessionEvent(SessionTrailEvent):
    """Audit trail: who changed a session or a placement, when, from which state, to which, why."""

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="events")
    placement = models.ForeignKey(
        SessionPlacement, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)

    ACTIONS = {
        "created": _("session programmée"),
        "updated": _("session modifiée"),
        "status": _("changement de statut"),
        "placed": _("place confirmée"),
        "waitlisted": _("mise en liste d'attente"),
        "promoted_from_waitlist": _("place libérée donnée à la liste d'attente"),
        "placement_cancelled": _("place annulée"),
        "session_cancelled": _("place annulée avec la session"),
        "signing_opened": _("émargement ouvert"),
        "sheet_signed": _("feuille signée"),
    }

    class Meta(SessionTrailEvent.Meta):
        verbose_name = _("historique de session")
        verbose_name_plural = _("historique des sessions")
        ordering = ["at", "pk"]

    # Events whose reason is the half-day as written when it happened: « 2026-11-04 après-midi ».
    HALF_DAY_ACTIONS = ("signing_opened", "sheet_signed")

    @property
    def action_label(self) -> str:
        return str(self.ACTIONS.get(self.action, self.action))

    @property
    def reason_text(self) -> str:
        """The reason; a half-day named as its sheet is, in the reader's language
        (« lundi 2 novembre 2026, après-midi »), whichever language it was recorded in."""
        if self.action not in self.HALF_DAY_ACTIONS:
            return self.reason
        day, _space, period = self.reason.partition(" ")
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return self.reason
        periods = _periods_by_written_name()
        if period not in periods:
            return self.reason
        return f"{date_text(day, 'l j F Y')}, {periods[period]}"

    def _status_label(self, value: str) -> str:
        """A place's or the session's status in words (« clôturée », not "closed")."""
        choices = PlacementStatus if self.placement_id else SessionStatus
        return str(dict(choices.choices).get(value, value))

    @property
    def from_label(self) -> str:
        return self._status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._status_label(self.to_status)


class Convocation(PermanentModel):
    """A convocation sent to a placed trainee: what it said and when (kept for the audit)."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("convocation")
        REMINDER = "reminder", _("rappel")
        UPDATE = "update", _("convocation modifiée")
        CANCELLATION = "cancellation", _("annulation")

    placement = models.ForeignKey(
        SessionPlacement, on_delete=models.PROTECT, related_name="convocations"
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    sequence = models.PositiveIntegerField(default=0)
    sent_to = models.EmailField(_("envoyée à"))
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("texte"))
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        verbose_name = _("convocation")
        verbose_name_plural = _("convocations")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind", "sequence"], name="training_one_convocation_each"
            )
        ]
        triggers = permanent_triggers(personal=["sent_to", "subject", "body"])

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.sent_to}"


# --- Attendance (émargement) ---------------------------------------------------------------------


class AttendanceStatus(models.TextChoices):
    """A trainee's presence at a half-day."""

    PRESENT = "present", _("présent·e")
    LATE = "late", _("en retard")
    ABSENT = "absent", _("absent·e")
    EXCUSED = "excused", _("absence excusée")


# Statuses that count hours carried out.
ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceMethod(models.TextChoices):
    """How the attendance was recorded."""

    OWN_DEVICE = "own_device", _("signée par le ou la stagiaire sur son appareil")
    TRAINER = "trainer", _("saisie par le ou la formateur·rice")


class Attendance(PermanentModel):
    """A signed line of the attendance sheet: who, when, how, from where, and the sheet's hash."""

    slot = models.ForeignKey(TrainingSlot, on_delete=models.PROTECT, related_name="attendances")
    placement = models.ForeignKey(
        SessionPlacement, on_delete=models.PROTECT, related_name="attendances"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attendances"
    )
    status = models.CharField(_("présence"), max_length=10, choices=AttendanceStatus.choices)
    method = models.CharField(
        _("mode de signature"), max_length=12, choices=AttendanceMethod.choices
    )
    minutes_late = models.PositiveSmallIntegerField(_("minutes de retard"), default=0)
    reason = models.TextField(_("motif"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=300, blank=True)
    # SHA-256 of the slot's sheet (every row so far, this one included) when this row was written.
    sheet_hash = models.CharField(max_length=64)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    objects = CorrectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("émargement")
        verbose_name_plural = _("émargements")
        ordering = ["recorded_at", "pk"]
        constraints = [
            # One first row per trainee and half-day; every later row is a correction of it.
            models.UniqueConstraint(
                fields=["slot", "placement"],
                condition=Q(supersedes__isnull=True),
                name="training_one_first_signature",
            ),
            models.CheckConstraint(
                condition=Q(status="late") | Q(minutes_late=0),
                name="training_only_late_has_minutes_late",
            ),
        ]
        # The sheet's hash (which the trainer signs) covers every column but the device's
        # address and browser: only those may go, in an erasure.
        triggers = permanent_triggers(personal=["ip_address", "user_agent"])

    def __str__(self) -> str:
        return f"{self.trainee} · {self.slot} · {self.get_status_display()}"

    @property
    def counts(self) -> bool:
        return self.status in ATTENDED_STATUSES

    def minutes_carried_out(self, slot_minutes: int) -> int:
        if self.status == AttendanceStatus.PRESENT:
            return slot_minutes
        if self.status == AttendanceStatus.LATE:
            return max(slot_minutes - self.minutes_late, 0)
        return 0


class TrainerSignature(PermanentModel):
    """The trainer's signature of a half-day's sheet, with the hash of the sheet they signed."""

    slot = models.ForeignKey(
        TrainingSlot, on_delete=models.PROTECT, related_name="trainer_signatures"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    sheet_hash = models.CharField(max_length=64)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature du ou de la formateur·rice")
        verbose_name_plural = _("signatures des formateur·rices")
        ordering = ["signed_at", "pk"]
        triggers = permanent_triggers(personal=["ip_address", "user_agent"])

    def __str__(self) -> str:
        return f"{self.trainer} · {self.slot}"


# --- Certificat de réalisation -------------------------------------------------------------------


def certificate_upload_to(instance: CompletionCertificate, filename: str) -> str:
    # A random name: the file is only served through the views that check who asks.
    return f"certificats-realisation/{instance.issued_at:%Y}/{uuid.uuid4().hex}.pdf"


class CompletionCertificate(PermanentModel):
    """The certificat de réalisation of one trainee for one session (Ministry of Labour model)."""

    fill_once_fields = frozenset({"pdf"})

    number = models.CharField(_("numéro"), max_length=20, unique=True)
    placement = models.OneToOneField(
        SessionPlacement, on_delete=models.PROTECT, related_name="certificate"
    )
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="certificates"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="completion_certificates",
    )
    funding = models.ForeignKey(
        "courses.Funding", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trainee_name = models.CharField(_("stagiaire"), max_length=150)
    employer_name = models.CharField(_("employeur"), max_length=200, blank=True)
    action_title = models.CharField(_("intitulé de l'action"), max_length=255)
    first_day = models.DateField(_("du"))
    last_day = models.DateField(_("au"))
    hours_planned = models.DecimalField(_("durée prévue (heures)"), max_digits=6, decimal_places=2)
    hours_done = models.DecimalField(_("durée réalisée (heures)"), max_digits=6, decimal_places=2)
    online_hours = models.DecimalField(
        _("dont formation en ligne (heures)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
    )
    organisation_name = models.CharField(max_length=200)
    organisation_address = models.TextField(blank=True)
    declaration_number = models.CharField(max_length=20, blank=True)
    siret = models.CharField(max_length=20, blank=True)
    representative_name = models.CharField(max_length=150, blank=True)
    representative_title = models.CharField(max_length=100, blank=True)
    signed_in = models.CharField(max_length=100, blank=True)
    issued_at = models.DateTimeField(_("délivré le"))
    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, blank=True)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificat de réalisation")
        verbose_name_plural = _("certificats de réalisation")
        ordering = ["-issued_at", "-pk"]
        # The PDF is written after the row (as an invoice's); an erasure removes the names.
        triggers = permanent_triggers(allowed=["pdf"], personal=["trainee_name", "employer_name"])

    def __str__(self) -> str:
        return self.number


# --- Satisfaction --------------------------------------------------------------------------------


class SatisfactionKind(models.TextChoices):
    """At the end of the session (à chaud), or some months later (à froid)."""

    HOT = "hot", _("à chaud")
    COLD = "cold", _("à froid")


class SatisfactionQuestion(models.Model):
    """A question of the satisfaction questionnaire, edited by staff."""

    class AnswerType(models.TextChoices):
        SCALE = "scale", _("note de 1 à 5")
        TEXT = "text", _("réponse libre")

    kind = models.CharField(_("questionnaire"), max_length=8, choices=SatisfactionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(
        _("question (anglais)"), max_length=300, blank=True, help_text=_("Vide : en français.")
    )
    answer_type = models.CharField(
        _("type de réponse"), max_length=8, choices=AnswerType.choices, default=AnswerType.SCALE
    )
    required = models.BooleanField(_("réponse obligatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("posée"), default=True)
    is_headline = models.BooleanField(
        _("question principale"),
        default=False,
        help_text=_(
            "Le taux de satisfaction publié sur les pages des formations (questionnaire à "
            "chaud) est la part des réponses notées 4 ou 5 à cette question. Une seule question "
            "principale par questionnaire, posée et notée de 1 à 5. Sans question principale : "
            "la part des réponses dont la moyenne des notes est d'au moins 4."
        ),
    )

    class Meta:
        verbose_name = _("question de satisfaction")
        verbose_name_plural = _("questions de satisfaction")
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(is_headline=True),
                name="training_one_headline_per_kind",
                violation_error_message=_(
                    "Ce questionnaire a déjà une question principale : retirez-la d'abord."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_headline=False) | Q(answer_type="scale", is_active=True),
                name="training_headline_is_asked_scale",
                violation_error_message=_(
                    "La question principale doit être posée et notée de 1 à 5."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def text_in(self, language: str | None) -> str:
        if (language or "").startswith("en") and self.text_en:
            return self.text_en
        return self.text


class SatisfactionRequest(models.Model):
    """A trainee's own link to one questionnaire of one session; answered at most once."""

    placement = models.ForeignKey(
        SessionPlacement, on_delete=models.PROTECT, related_name="satisfaction_requests"
    )
    kind = models.CharField(max_length=8, choices=SatisfactionKind.choices)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("demande de satisfaction")
        verbose_name_plural = _("demandes de satisfaction")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"], name="training_one_request_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.placement} · {self.get_kind_display()}"


class SatisfactionResponse(PermanentModel):
    """The answers given through one request; shown to trainers without the trainee's name."""

    request = models.OneToOneField(
        SatisfactionRequest, on_delete=models.PROTECT, related_name="response"
    )
    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="satisfaction_responses"
    )
    kind = models.CharField(max_length=8, choices=SatisfactionKind.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse de satisfaction")
        verbose_name_plural = _("réponses de satisfaction")
        ordering = ["submitted_at", "pk"]
        triggers = permanent_triggers(personal=["comment"])

    def __str__(self) -> str:
        return f"{self.session} · {self.get_kind_display()}"


class SatisfactionAnswer(PermanentModel):
    """The answer to one question, with the question's text as it was asked."""

    response = models.ForeignKey(
        SatisfactionResponse, on_delete=models.PROTECT, related_name="answers"
    )
    question = models.ForeignKey(SatisfactionQuestion, on_delete=models.PROTECT, related_name="+")
    question_text = models.CharField(max_length=300)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="training_score_1_to_5",
            )
        ]
        triggers = permanent_triggers(personal=["text"])

    def __str__(self) -> str:
        return self.question_text


# --- Evidence packs ------------------------------------------------------------------------------


def evidence_upload_to(instance: EvidencePack, filename: str) -> str:
    return f"dossiers-preuves/{uuid.uuid4().hex}.zip"


class EvidencePack(models.Model):
    """One ZIP per session for a Qualiopi audit or a funder, built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        BUILDING = "building", _("en préparation")
        READY = "ready", _("prêt")
        FAILED = "failed", _("échec")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="evidence_packs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=evidence_upload_to, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("dossier de preuves")
        verbose_name_plural = _("dossiers de preuves")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.session} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)
