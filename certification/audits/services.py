"""Renewal audits: a share of the renewals of each month is drawn at random; the holders drawn
upload evidence (practice, supervision, training) within a deadline; the committee records the
outcome; a missed deadline brings a reminder, then a proposal to suspend. Every step leaves an
audit row; e-mails go through `notifications`, once each.

The draw is reproducible: each certificate of the month's population is ranked by
SHA-256(seed, ":", id) and the lowest ranks are drawn, `ceil(population * share / 100)` of them;
the seed, the population and the algorithm's name are recorded with the draw.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certification import permissions, selectors
from certification.audits.reasons import audit_reason
from certification.models import (
    CertificateEvent,
    PublicReason,
    RenewalAudit,
    RenewalAuditDraw,
    RenewalAuditEvent,
    RenewalAuditEvidence,
)
from certification.services import check_document
from institut.locks import require_atomic
from institut.models import User
from institut.reasons import reason_columns

Status = RenewalAudit.Status
MAX_EVIDENCE = 10

AUDIT_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REQUESTED: frozenset({Status.SUBMITTED, Status.FAILED}),
    Status.SUBMITTED: frozenset({Status.PASSED, Status.FAILED}),
    Status.PASSED: frozenset(),
    Status.FAILED: frozenset(),
}


def _notify(audit_id: int, notice: str) -> None:
    """Owe the audit's e-mail to the outbox in the transaction of the change that causes it."""
    from certification import tasks

    tasks.notify_audit(audit_id, notice)


# --- The draw ---------------------------------------------------------------------------------


def sample_size(population: int, share_percent: int) -> int:
    """How many of `population` renewals a share draws: rounded up, so a share above zero
    audits at least one renewal of any month that had one."""
    return min(population, math.ceil(population * share_percent / 100))


def draw_sample(population: list[int], share_percent: int, seed: str) -> list[int]:
    """The certificates drawn, in draw order; the same inputs always give the same result."""

    def rank(certificate_id: int) -> str:
        return hashlib.sha256(f"{seed}:{certificate_id}".encode()).hexdigest()

    ranked = sorted(sorted(set(population)), key=rank)
    return ranked[: sample_size(len(ranked), share_percent)]


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def renewals_of(month: date) -> list[int]:
    """Certificates renewed (renewal granted) during that calendar month: by the renewal's
    date of effect, the day the committee granted it (Paris)."""
    end = month_start(month + timedelta(days=32))
    return sorted(
        set(
            CertificateEvent.objects.filter(
                public_reason=PublicReason.RENEWED, effective_on__gte=month, effective_on__lt=end
            ).values_list("certificate_id", flat=True)
        )
    )


def _record(audit: RenewalAudit, *, action: str, actor: User | None, to_status: str, note=""):
    RenewalAuditEvent.objects.create(
        audit=audit,
        actor=actor,
        action=action,
        from_status=audit.status if action != "drawn" else "",
        to_status=to_status,
        **reason_columns(note),
    )


def audit_draw(
    *,
    month: date,
    today: date | None = None,
    seed: str | None = None,
    share_percent: int | None = None,
):
    """Draw the audits of a month's renewals (once: a second call returns the first draw). The
    share is the scheme's unless given (the demo audits every renewal it made)."""
    today = today or timezone.localdate()
    month = month_start(month)
    existing = RenewalAuditDraw.objects.filter(month=month).first()
    if existing is not None:
        return existing
    scheme = selectors.current_scheme()
    share = scheme.renewal_audit_percent if scheme else 0
    if share_percent is not None:
        share = max(0, min(100, share_percent))
    deadline = today + timedelta(days=scheme.renewal_audit_deadline_days if scheme else 30)
    population = renewals_of(month)
    seed = seed or secrets.token_hex(16)
    try:
        with transaction.atomic():
            draw = RenewalAuditDraw.objects.create(
                month=month,
                share_percent=share,
                seed=seed,
                population=population,
                drawn=draw_sample(population, share, seed),
            )
            for certificate_id in draw.drawn:
                audit = RenewalAudit.objects.create(
                    draw=draw, certificate_id=certificate_id, deadline=deadline
                )
                _record(
                    audit,
                    action="drawn",
                    actor=None,
                    to_status=Status.REQUESTED,
                    note=audit_reason("drawn", month=month.strftime("%m/%Y"), seed=seed),
                )
                _notify(audit.pk, "request")
    except IntegrityError:  # drawn at the same moment by another run
        return RenewalAuditDraw.objects.get(month=month)
    return draw


def recent_draws(count: int = 12) -> list[RenewalAuditDraw]:
    """The latest draws, newest first, for the committee's page."""
    return list(RenewalAuditDraw.objects.order_by("-month")[:count])


# --- The holder's evidence --------------------------------------------------------------------


def _locked_audit(audit: RenewalAudit) -> RenewalAudit:
    require_atomic("_locked_audit")
    return RenewalAudit.objects.select_for_update().select_related("certificate").get(pk=audit.pk)


def _check_holder(audit: RenewalAudit, holder: User) -> None:
    if audit.certificate.holder_id != holder.pk:
        raise PermissionDenied
    if audit.status != Status.REQUESTED:
        raise ValidationError(_("Cet audit n'attend plus de justificatifs."))


@transaction.atomic
def audit_evidence_add(
    *, audit: RenewalAudit, holder: User, category: str, upload: UploadedFile, note: str = ""
) -> RenewalAuditEvidence:
    """The holder joins one PDF to the audit (while it asks for evidence)."""
    audit = _locked_audit(audit)
    _check_holder(audit, holder)
    if category not in RenewalAuditEvidence.Category.values:
        raise ValidationError({"category": _("Choisissez la nature du justificatif.")})
    if audit.evidence.count() >= MAX_EVIDENCE:
        raise ValidationError(
            _("Vous pouvez joindre au plus %(count)s documents.") % {"count": MAX_EVIDENCE}
        )
    check_document(upload)
    evidence = RenewalAuditEvidence(
        audit=audit,
        category=category,
        original_name=upload.name[:255],
        size=upload.size,
        note=note.strip()[:300],
    )
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    _record(
        audit,
        action="evidence_added",
        actor=holder,
        to_status=audit.status,
        note=audit_reason(
            "evidence_added", category=evidence.category, name=evidence.original_name
        ),
    )
    return evidence


@transaction.atomic
def audit_submit(*, audit: RenewalAudit, holder: User) -> RenewalAudit:
    """The holder sends the evidence to the committee; nothing can be added afterwards."""
    audit = _locked_audit(audit)
    _check_holder(audit, holder)
    categories = set(audit.evidence.values_list("category", flat=True))
    if not categories:
        raise ValidationError(_("Joignez au moins un justificatif avant de les transmettre."))
    _record(audit, action="submitted", actor=holder, to_status=Status.SUBMITTED)
    audit.status = Status.SUBMITTED
    audit.submitted_at = timezone.now()
    audit.save(update_fields=["status", "submitted_at"])
    return audit


# --- The committee ----------------------------------------------------------------------------


@transaction.atomic
def audit_decide(*, audit: RenewalAudit, actor: User, passed: bool, reason: str) -> RenewalAudit:
    """The committee records the outcome: concluding, or not (with the reason). A failed audit
    may then lead to a suspension, decided on the certificate like any status change."""
    if not permissions.can_decide(actor):
        raise PermissionDenied
    audit = _locked_audit(audit)
    to_status = Status.PASSED if passed else Status.FAILED
    if to_status not in AUDIT_TRANSITIONS[audit.status]:
        raise ValidationError(
            _("Cet audit ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {"from": Status(audit.status).label, "to": Status(to_status).label}
        )
    reason = reason.strip()
    if not passed and not reason:
        raise ValidationError({"reason": _("Un audit non concluant doit être motivé.")})
    _record(audit, action=to_status, actor=actor, to_status=to_status, note=reason)
    audit.status = to_status
    audit.decided_at = timezone.now()
    audit.decided_by = actor
    audit.outcome_reason = reason
    audit.save(update_fields=["status", "decided_at", "decided_by", "outcome_reason"])
    _notify(audit.pk, "outcome")
    return audit


# --- The daily follow-up ----------------------------------------------------------------------


def _follow_up(audit_id: int, *, today: date, grace_days: int) -> str | None:
    """Remind once after the deadline; propose a suspension once after the grace period."""
    with transaction.atomic():
        audit = RenewalAudit.objects.select_for_update().get(pk=audit_id)
        if audit.status != Status.REQUESTED or today <= audit.deadline:
            return None
        if audit.reminded_at is None:
            return _follow_up_step(audit, action="reminded", stamp="reminded_at", notice="reminder")
        proposal_day = audit.deadline + timedelta(days=grace_days)
        if audit.suspension_proposed_at is None and today > proposal_day:
            return _follow_up_step(
                audit,
                action="suspension_proposed",
                stamp="suspension_proposed_at",
                notice="suspension_proposal",
                note=audit_reason("no_evidence", days=grace_days),
            )
    return None


def _follow_up_step(audit: RenewalAudit, *, action: str, stamp: str, notice: str, note="") -> str:
    """A step of the follow-up of an overdue audit: its audit row, the time it was taken (the
    ``stamp`` field, so that it is taken once) and its notice; returns the action."""
    _record(audit, action=action, actor=None, to_status=audit.status, note=note)
    setattr(audit, stamp, timezone.now())
    audit.save(update_fields=[stamp])
    _notify(audit.pk, notice)
    return action


def audits_run(*, today: date | None = None) -> dict:
    """The daily audit work: last month's draw if it is not made yet, then the follow-up of
    every audit past its deadline. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    draw = audit_draw(month=previous_month(today), today=today)
    scheme = selectors.current_scheme()
    grace = scheme.renewal_audit_grace_days if scheme else 14
    overdue = RenewalAudit.objects.filter(status=Status.REQUESTED, deadline__lt=today).filter(
        suspension_proposed_at__isnull=True
    )
    counts = {"drawn": len(draw.drawn), "reminded": 0, "suspension_proposed": 0}
    for audit_id in overdue.values_list("pk", flat=True):
        outcome = _follow_up(audit_id, today=today, grace_days=grace)
        if outcome:
            counts[outcome] += 1
    return counts
