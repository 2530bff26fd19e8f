"""The supervised-practice logbook: practice entries, their audit trail and period summaries.

States change only through supervision.logbook.services; reads live in
supervision.logbook.selectors. An approved entry is a permanent fact: it is never edited or
deleted, a correction is a new entry that points at it.
"""

from __future__ import annotations

import re
import secrets

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institut.method import Step
from institut.permanent import (
    PermanentInStatusModel,
    PermanentInStatusQuerySet,
    PermanentModel,
    PermanentQuerySet,
    permanent_triggers,
)

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 12 * 60

# Both patterns only say whether such a thing occurs, so each is cut to the shortest text that
# proves it: the last character of the local part, the separator, the first label of the domain
# and one character after its dot; nine digits. Every quantifier is bounded or possessive, so
# the time taken grows with the length of the text, never with its square.
# "a.b @ c.org", "a(at)c.org", "a [at] c.org".
EMAIL_PATTERN = re.compile(r"[\w.+-]\s*+(?:@|\(at\)|\[at\])\s*+[\w-]++\.[\w-]", re.IGNORECASE)
# Nine digits, possibly separated by spaces, dots or dashes, with an optional +33.
PHONE_PATTERN = re.compile(r"(?:\+\d{1,3}[\s.\-]?|\b)\d(?:[\s.\-]?\d){8}")


class LockedEntryError(Exception):
    """An approved practice entry cannot be changed or deleted in place."""


def validate_not_in_future(value) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("La date ne peut pas être dans le futur."), code="future_date")


def validate_anonymous(value: str) -> None:
    """Refuse text that contains an e-mail address or a phone number."""
    if EMAIL_PATTERN.search(value or ""):
        raise ValidationError(
            _(
                "Le texte ne doit pas contenir d'adresse e-mail : décrivez l'intervention sans "
                "permettre d'identifier quiconque."
            ),
            code="contains_email",
        )
    if PHONE_PATTERN.search(value or ""):
        raise ValidationError(
            _(
                "Le texte ne doit pas contenir de numéro de téléphone : décrivez l'intervention "
                "sans permettre d'identifier quiconque."
            ),
            code="contains_phone",
        )


class PracticeEntryQuerySet(PermanentInStatusQuerySet):
    def approved(self):
        return self.filter(status=PracticeEntry.Status.APPROVED)

    def counted(self):
        """Approved entries not replaced by an approved correction: what the totals add up."""
        replaced = PracticeEntry.objects.filter(
            corrects=models.OuterRef("pk"), status=PracticeEntry.Status.APPROVED
        )
        return self.approved().filter(~models.Exists(replaced))

    def awaiting_review(self):
        return self.filter(status=PracticeEntry.Status.SUBMITTED)


class PracticeEntry(PermanentInStatusModel):
    """Time a trainee spent intervening in the field, reviewed by one of their supervisors.

    Once approved, the row is permanent: PostgreSQL refuses its UPDATE and DELETE (the other
    statuses stay editable); only a GDPR erasure rewrites the trainee's texts, `description` and
    `reflection`, keeping the date, duration and steps that certification counts.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SUBMITTED = "submitted", _("soumise")
        RETURNED = "returned", _("renvoyée")
        APPROVED = "approved", _("approuvée")
        # A draft its trainee deleted: kept (its audit rows point at it), shown nowhere.
        DELETED = "deleted", _("supprimée")

    class Setting(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", _("quartier")
        SCHOOL = "school", _("établissement scolaire")
        INSTITUTION = "institution", _("institution sociale ou de santé")
        ORGANISATION = "organisation", _("entreprise ou organisation")
        ASSOCIATION = "association", _("association")
        OTHER = "other", _("autre")

    class Role(models.TextChoices):
        LEAD = "lead", _("animation principale")
        CO_INTERVENTION = "co_intervention", _("co-intervention")
        OBSERVATION = "observation", _("observation")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_entries",
        verbose_name=_("stagiaire"),
    )
    date = models.DateField(_("date"), validators=[validate_not_in_future])
    duration_minutes = models.PositiveIntegerField(
        _("durée (minutes)"),
        validators=[
            MinValueValidator(MIN_DURATION_MINUTES),
            MaxValueValidator(MAX_DURATION_MINUTES),
        ],
    )
    setting = models.CharField(_("cadre"), max_length=20, choices=Setting.choices)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    group_size = models.PositiveIntegerField(
        _("nombre de participant·es"), validators=[MinValueValidator(1)]
    )
    description = models.TextField(
        _("description"), max_length=1000, validators=[validate_anonymous]
    )
    reflection = models.TextField(
        _("réflexion"), max_length=4000, blank=True, validators=[validate_anonymous]
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrige l'entrée"),
    )
    # What the entry logs, if it was pre-filled from a piece of practice (institut.practice;
    # selectors.entry_link): an attended supervision session by its booking, anything else by its
    # key ("training-day:12:2026-03-05").
    booking = models.ForeignKey(
        "supervision.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_entries",
        verbose_name=_("séance consignée"),
    )
    practice_key = models.CharField(_("pratique consignée"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relue par"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    permanent_status = Status.APPROVED
    refusal = LockedEntryError

    objects = PracticeEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du carnet de pratique")
        verbose_name_plural = _("entrées du carnet de pratique")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["trainee", "status", "date"]),
            models.Index(fields=["status", "submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_DURATION_MINUTES)
                & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="logbook_duration_15_min_to_12_h",
            ),
            models.CheckConstraint(
                condition=~Q(corrects=F("pk")), name="logbook_entry_not_its_own_correction"
            ),
            models.UniqueConstraint(fields=["corrects"], name="logbook_one_correction_per_entry"),
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(booking__isnull=False) & ~Q(status="deleted"),
                name="logbook_one_entry_per_attended_session",
            ),
            models.UniqueConstraint(
                fields=["trainee", "practice_key"],
                condition=~Q(practice_key="") & ~Q(status="deleted"),
                name="logbook_one_entry_per_practice",
            ),
        ]
        triggers = permanent_triggers(
            personal=["description", "reflection"], rows=pgtrigger.Q(old__status="approved")
        )

    def __str__(self) -> str:
        return f"{self.trainee} · {self.date} · {self.duration_minutes} min"

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise self.refused("deleted", self)
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def step_codes(self) -> list[str]:
        """The codes of the steps practised, in the method's order (uses prefetched rows)."""
        codes = {row.step for row in self.steps.all()}
        return [step.value for step in Step if step.value in codes]

    @property
    def step_labels(self) -> list[str]:
        return [Step(code).label for code in self.step_codes]


class PracticeEntryStep(models.Model):
    """One step of the method practised during an entry (for per-step totals in one query)."""

    entry = models.ForeignKey(PracticeEntry, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("étape"), max_length=20, choices=Step.choices)

    class Meta:
        verbose_name = _("étape pratiquée")
        verbose_name_plural = _("étapes pratiquées")
        constraints = [
            models.UniqueConstraint(fields=["entry", "step"], name="logbook_unique_entry_step")
        ]

    def __str__(self) -> str:
        return self.get_step_display()

    def save(self, *args, **kwargs):
        if self.entry.permanent_in_database():
            raise LockedEntryError("The steps of an approved entry never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.entry.permanent_in_database():
            raise LockedEntryError("The steps of an approved entry never change.")
        return super().delete(*args, **kwargs)


class PracticeEntryEvent(PermanentModel):
    """Audit trail of an entry: who did what, when, from which state to which, and why."""

    entry = models.ForeignKey(PracticeEntry, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    refusal = LockedEntryError

    objects = PermanentQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du carnet de pratique")
        verbose_name_plural = _("événements du carnet de pratique")
        ordering = ["created_at", "pk"]
        # The trail is never rewritten: only an erasure scrubs the comment's mentions of the
        # person, and deletes the trail of the unapproved entries it deletes.
        triggers = permanent_triggers(personal=["comment"], erased_with_person=True)

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '-'} → {self.to_status}"


class PeriodSummary(PermanentInStatusModel):
    """A month or a period of the logbook closed by the trainee and signed by a supervisor.

    Once confirmed, the row is permanent: PostgreSQL refuses its UPDATE and DELETE.
    """

    class Status(models.TextChoices):
        CLOSED = "closed", _("clôturée")
        CONFIRMED = "confirmed", _("confirmée")

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_periods",
        verbose_name=_("stagiaire"),
    )
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    totals = models.JSONField(_("totaux"), default=dict)
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.CLOSED
    )
    closed_at = models.DateTimeField(_("clôturée le"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmée par"),
    )
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    confirmed_externally = models.BooleanField(
        _("confirmée par un·e superviseur·e extérieur·e"), default=False, editable=False
    )

    permanent_status = Status.CONFIRMED
    refusal = LockedEntryError

    objects = PermanentInStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilan de période")
        verbose_name_plural = _("bilans de période")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="logbook_period_order"),
            models.CheckConstraint(
                condition=Q(status="closed")
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False)
                | Q(confirmed_externally=True, confirmed_at__isnull=False),
                name="logbook_confirmed_period_is_signed",
            ),
        ]
        triggers = permanent_triggers(rows=pgtrigger.Q(old__status="confirmed"))

    def __str__(self) -> str:
        return f"{self.trainee} · {self.start} → {self.end}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def signer_name(self) -> str:
        """Who signed the period: the supervisor in the platform, or the one who signed by link."""
        if self.confirmed_by_id:
            return self.confirmed_by.full_name or self.confirmed_by.email
        if self.confirmed_externally:
            return self.external_confirmation.signer_name
        return ""


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


class PeriodCosignRequest(models.Model):
    """A trainee asks a supervisor without an account to confirm a closed period: the platform
    e-mails them a signed link that works once, until it expires."""

    period = models.ForeignKey(
        PeriodSummary, on_delete=models.PROTECT, related_name="cosign_requests"
    )
    supervisor_name = models.CharField(_("nom du ou de la superviseur·e"), max_length=150)
    supervisor_email = models.EmailField(_("e-mail du ou de la superviseur·e"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nonce = models.CharField(max_length=64, unique=True, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("lien valable jusqu'au"))
    used_at = models.DateTimeField(_("lien utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande de cosignature")
        verbose_name_plural = _("demandes de cosignature")
        ordering = ["-created_at", "-pk"]
        # Never deleted; once its link was used, never changed (the confirmation it led to
        # names the same supervisor). An erasure may remove the supervisor's name and address.
        triggers = permanent_triggers(
            personal=["supervisor_name", "supervisor_email"],
            rows=pgtrigger.Q(old__used_at__isnull=False),
            never_deleted=True,
        )

    def __str__(self) -> str:
        return f"{self.period} · {self.supervisor_email}"

    def delete(self, *args, **kwargs):
        raise LockedEntryError("A co-signing request is kept with the period.")


class PeriodExternalConfirmation(PermanentModel):
    """A period confirmed by a supervisor through the link: who signed (the name they typed and
    the address the link was sent to), when, from where. As permanent as the period it signs."""

    period = models.OneToOneField(
        PeriodSummary, on_delete=models.PROTECT, related_name="external_confirmation"
    )
    request = models.OneToOneField(
        PeriodCosignRequest, on_delete=models.PROTECT, related_name="confirmation"
    )
    signer_name = models.CharField(_("nom saisi par le ou la signataire"), max_length=150)
    signer_email = models.EmailField(_("adresse à laquelle le lien a été envoyé"))
    signed_at = models.DateTimeField(_("signée le"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=500, blank=True)

    refusal = LockedEntryError

    class Meta:
        verbose_name = _("cosignature par lien")
        verbose_name_plural = _("cosignatures par lien")
        ordering = ["-signed_at"]
        # As permanent as the period it signs; an erasure removes the signer's device details.
        triggers = permanent_triggers(personal=["ip_address", "user_agent"])

    def __str__(self) -> str:
        return f"{self.period} · {self.signer_name}"
