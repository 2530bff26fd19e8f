"""Records of the renewal audits: each month's draw, the audits it opened, their evidence and
every step. Draws and steps are never changed; audits and evidence are never deleted."""

from __future__ import annotations

import uuid
from datetime import date

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.audits.reasons import AUDIT_REASONS
from institut.permanent import AuditRow, NeverDeletedModel, PermanentModel, permanent_triggers
from institut.reasons import REASON_PERSONAL, CodedReason

# --- Renewal audits --------------------------------------------------------------------------


class RenewalAuditDraw(PermanentModel):
    """One month's random draw of the renewals to audit, with everything needed to redo it: the
    seed, the share, the population in order, and the algorithm."""

    ALGORITHM = "sha256-rank-v1"

    month = models.DateField(_("mois des renouvellements tirés"), unique=True)
    share_percent = models.PositiveSmallIntegerField(_("part tirée (%)"))
    seed = models.CharField(_("graine"), max_length=64)
    algorithm = models.CharField(max_length=32, default=ALGORITHM)
    population = models.JSONField(_("certificats renouvelés ce mois-là"), default=list)
    drawn = models.JSONField(_("certificats tirés"), default=list)
    drawn_at = models.DateTimeField(_("tiré le"), default=timezone.now)

    class Meta:
        verbose_name = _("tirage des audits de renouvellement")
        verbose_name_plural = _("tirages des audits de renouvellement")
        ordering = ["-month"]
        triggers = permanent_triggers()

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} · {len(self.drawn)}/{len(self.population)}"


class RenewalAudit(NeverDeletedModel):
    """The audit of one drawn renewal: evidence asked, uploaded, then the committee's outcome."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("justificatifs demandés")
        SUBMITTED = "submitted", _("justificatifs déposés")
        PASSED = "passed", _("audit concluant")
        FAILED = "failed", _("audit non concluant")

    draw = models.ForeignKey(RenewalAuditDraw, on_delete=models.PROTECT, related_name="audits")
    certificate = models.ForeignKey(
        "certification.Certificate", on_delete=models.PROTECT, related_name="renewal_audits"
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    deadline = models.DateField(_("justificatifs à déposer avant le"))
    requested_at = models.DateTimeField(_("demandés le"), default=timezone.now)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    suspension_proposed_at = models.DateTimeField(
        _("suspension proposée le"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("déposés le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("audit de renouvellement")
        verbose_name_plural = _("audits de renouvellement")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "certificate"], name="one_audit_per_draw"),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]
        # Never deleted; once the committee has given its outcome, never changed (an erasure
        # may still replace mentions of the holder in the reason).
        triggers = permanent_triggers(
            personal=["outcome_reason"],
            rows=pgtrigger.Q(old__status__in=["passed", "failed"]),
            never_deleted=True,
        )

    def __str__(self) -> str:
        return f"{self.certificate} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED

    def is_overdue(self, today: date | None = None) -> bool:
        """Evidence still awaited once the deadline's day is over (Paris), as the daily
        follow-up sees it: the reminder goes the day after the deadline."""
        return self.is_open and (today or timezone.localdate()) > self.deadline


def audit_evidence_upload_to(instance: RenewalAuditEvidence, filename: str) -> str:
    return f"certification/audits/{uuid.uuid4().hex}.pdf"


class RenewalAuditEvidence(NeverDeletedModel):
    """A document the holder joined to the audit: practice, supervision or training."""

    class Category(models.TextChoices):
        PRACTICE = "practice", _("heures de pratique")
        SUPERVISION = "supervision", _("supervision suivie")
        TRAINING = "training", _("formation continue")

    audit = models.ForeignKey(RenewalAudit, on_delete=models.PROTECT, related_name="evidence")
    category = models.CharField(_("nature"), max_length=16, choices=Category.choices)
    file = models.FileField(_("document"), upload_to=audit_evidence_upload_to)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"))
    note = models.CharField(_("précision"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("justificatif d'audit")
        verbose_name_plural = _("justificatifs d'audit")
        ordering = ["uploaded_at", "pk"]
        # Kept as uploaded; only an erasure removes the document and what names it.
        triggers = permanent_triggers(personal=["file", "original_name", "note"])

    def __str__(self) -> str:
        return self.original_name


AUDIT_ACTIONS = {
    "drawn": _("Tiré·e au sort pour un audit"),
    "evidence_added": _("Justificatif déposé"),
    "submitted": _("Justificatifs transmis à la commission"),
    "reminded": _("Rappel envoyé après le délai"),
    "suspension_proposed": _("Suspension proposée à la commission"),
    "passed": _("Audit concluant"),
    "failed": _("Audit non concluant"),
}


class RenewalAuditEvent(AuditRow, CodedReason):
    """One step of an audit: who, when, from which status to which, and why (a fixed note as a
    code and its parameters, certification.audits.reasons, read in the reader's language)."""

    ACTIONS = AUDIT_ACTIONS
    REASONS = AUDIT_REASONS

    audit = models.ForeignKey(RenewalAudit, on_delete=models.PROTECT, related_name="events")

    class Meta(AuditRow.Meta):
        triggers = permanent_triggers(personal=REASON_PERSONAL)

    def __str__(self) -> str:
        return f"{self.audit_id}: {self.action}"
