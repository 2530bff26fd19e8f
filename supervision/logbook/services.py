"""Every state change of the practice logbook: entries, reviews, corrections, period summaries.

Each service takes the actor, checks the permission and the transition, writes the row and its
audit row in one transaction. The one table of allowed transitions is TRANSITIONS, checked in
_move() and nowhere else. A period is confirmed by a supervisor in the platform or, through a
signed single-use link, by a supervisor who has no account.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date as Date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from institut.formats import date_text
from institut.locks import require_atomic
from institut.method import Step
from supervision.logbook import notifications, permissions, selectors
from supervision.logbook.cosign_links import (
    COSIGN_SALT,  # noqa: F401  (services.COSIGN_SALT: what the tests forge links with)
    CosignLink,
    cosign_link_open,
    link_lifetime,
)
from supervision.logbook.models import (
    PeriodCosignRequest,
    PeriodExternalConfirmation,
    PeriodSummary,
    PracticeEntry,
    PracticeEntryEvent,
    PracticeEntryStep,
)
from supervision.models import Booking

if TYPE_CHECKING:
    from institut.models import User

Status = PracticeEntry.Status

# The one table of allowed state changes of an entry, with the action each one records.
# None is "not created yet".
TRANSITIONS: dict[tuple[str | None, str], str] = {
    (None, Status.DRAFT): "create",
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.RETURNED, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.RETURNED): "return",
    (Status.SUBMITTED, Status.APPROVED): "approve",
    (Status.DRAFT, Status.DELETED): "delete",
}

EDITABLE_FIELDS = (
    "date",
    "duration_minutes",
    "setting",
    "role",
    "group_size",
    "description",
    "reflection",
)


class TransitionError(ValidationError):
    """A state change that the transition table does not allow."""


class PeriodLockedError(ValidationError):
    """A change inside a period that a supervisor has confirmed."""


def _move(entry: PracticeEntry, to: str, *, actor: User | None, comment: str = "") -> None:
    """Change the entry's status if the table allows it, save it and write the audit row."""
    from_status = None if entry._state.adding else entry.status
    action = TRANSITIONS.get((from_status, to))
    if action is None:
        raise TransitionError(
            _("Ce changement d'état n'est pas possible (%(from)s → %(to)s).")
            % {"from": from_status or "-", "to": to}
        )
    entry.status = to
    entry.save()
    PracticeEntryEvent.objects.create(
        entry=entry,
        actor=actor,
        action=action,
        from_status=from_status or "",
        to_status=to,
        comment=comment,
    )


def _record(entry: PracticeEntry, *, actor: User, action: str, comment: str = "") -> None:
    """An audit row for a change that keeps the state (an edit of a draft)."""
    PracticeEntryEvent.objects.create(
        entry=entry,
        actor=actor,
        action=action,
        from_status=entry.status,
        to_status=entry.status,
        comment=comment,
    )


def _locked(entry: PracticeEntry) -> PracticeEntry:
    """The entry re-read under a row lock, so that two reviewers cannot both act on it."""
    require_atomic("_locked")
    return PracticeEntry.objects.select_for_update().get(pk=entry.pk)


def _locked_if(entry: PracticeEntry, actor: User, may, refusal: str) -> PracticeEntry:
    """The entry re-read under its row lock, if ``may(actor, entry)``; refused otherwise."""
    entry = _locked(entry)
    if not may(actor, entry):
        raise PermissionDenied(refusal)
    return entry


def clean_steps(steps: Iterable[str]) -> list[str]:
    """The step codes, known and deduplicated, in the method's order; at least one."""
    codes = set(steps or [])
    unknown = codes - set(Step.values)
    if unknown:
        raise ValidationError(
            {"steps": _("Étape inconnue : %(codes)s.") % {"codes": ", ".join(sorted(unknown))}}
        )
    if not codes:
        raise ValidationError({"steps": _("Indiquez au moins une étape de la méthode.")})
    return [code for code in Step.values if code in codes]


def confirmed_period_covering(trainee: User, day: Date) -> PeriodSummary | None:
    return (
        PeriodSummary.objects.filter(
            trainee=trainee, status=PeriodSummary.Status.CONFIRMED, start__lte=day, end__gte=day
        )
        .order_by("start")
        .first()
    )


def _check_period_open(trainee: User, day: Date) -> None:
    period = confirmed_period_covering(trainee, day)
    if period is not None:
        raise PeriodLockedError(
            _(
                "La période du %(start)s au %(end)s a été confirmée par votre superviseur·e : "
                "elle ne peut plus changer."
            )
            % {"start": date_text(period.start, "d/m/Y"), "end": date_text(period.end, "d/m/Y")}
        )


def _check_not_too_early(trainee: User, day: Date) -> None:
    earliest = selectors.earliest_entry_date(trainee)
    if day and day < earliest:
        reason = (
            _("la première date que le carnet accepte")
            if settings.LOGBOOK_EARLIEST_DATE
            else _("la date de création de votre compte")
        )
        raise ValidationError(
            {
                "date": _("La date ne peut pas être antérieure au %(date)s, %(reason)s.")
                % {"date": date_text(earliest, "j F Y"), "reason": reason}
            }
        )


def _fill(entry: PracticeEntry, *, steps: Iterable[str], **fields) -> list[str]:
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(entry, name, fields[name])
    codes = clean_steps(steps)
    entry.full_clean(exclude=["trainee", "corrects", "reviewed_by", "booking"])
    _check_not_too_early(entry.trainee, entry.date)
    return codes


def _set_steps(entry: PracticeEntry, codes: list[str]) -> None:
    entry.steps.all().delete()
    PracticeEntryStep.objects.bulk_create(
        [PracticeEntryStep(entry=entry, step=code) for code in codes]
    )


# --- Entries ----------------------------------------------------------------------------------


@transaction.atomic
def practice_entry_create(
    *,
    trainee: User,
    date: Date,
    duration_minutes: int,
    setting: str,
    role: str,
    group_size: int,
    steps: Iterable[str],
    description: str,
    reflection: str = "",
    corrects: PracticeEntry | None = None,
    practice_key: str = "",
) -> PracticeEntry:
    """A new draft entry in the trainee's own logbook (pre-filled from the practice that
    `practice_key` names, if given: an attended session, a training day...)."""
    if not permissions.can_keep_logbook(trainee):
        raise PermissionDenied(_("Seul·es les stagiaires tiennent un carnet de pratique."))
    link = selectors.entry_link(practice_key) if practice_key else {}
    theirs = Booking.objects.filter(pk=link.get("booking_id"), trainee=trainee)
    if "booking_id" in link and not theirs.exists():
        raise PermissionDenied
    logged = PracticeEntry.objects.filter(trainee=trainee, **link).exclude(status=Status.DELETED)
    if link and logged.exists():
        raise ValidationError(_("Cette séance est déjà dans votre carnet."))
    entry = PracticeEntry(trainee=trainee, corrects=corrects, **link)
    codes = _fill(
        entry,
        steps=steps,
        date=date,
        duration_minutes=duration_minutes,
        setting=setting,
        role=role,
        group_size=group_size,
        description=description,
        reflection=reflection,
    )
    _check_period_open(trainee, entry.date)
    _move(entry, Status.DRAFT, actor=trainee)
    _set_steps(entry, codes)
    return entry


@transaction.atomic
def practice_entry_update(
    *, entry: PracticeEntry, actor: User, steps: Iterable[str], **fields
) -> PracticeEntry:
    """The trainee changes a draft or returned entry (never an approved or submitted one)."""
    entry = _locked_if(
        entry, actor, permissions.can_edit_entry, _("Cette entrée ne peut plus être modifiée.")
    )
    _check_period_open(entry.trainee, entry.date)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    codes = _fill(entry, steps=steps, **fields)
    _check_period_open(entry.trainee, entry.date)
    entry.save()
    _set_steps(entry, codes)
    _record(entry, actor=actor, action="edit")
    return entry


@transaction.atomic
def practice_entry_delete(*, entry: PracticeEntry, actor: User) -> PracticeEntry:
    """The trainee deletes one of their drafts: it leaves every list (its audit rows stay)."""
    entry = _locked_if(
        entry,
        actor,
        permissions.can_delete_entry,
        _("Seuls vos brouillons peuvent être supprimés."),
    )
    # A deleted draft correction no longer holds its approved entry: it can be corrected again.
    entry.corrects = None
    _move(entry, Status.DELETED, actor=actor)
    return entry


@transaction.atomic
def practice_entry_submit(*, entry: PracticeEntry, actor: User) -> PracticeEntry:
    """The trainee sends a draft (or a returned entry, fixed) to their supervisors."""
    entry = _locked(entry)
    if entry.trainee_id != actor.pk:
        raise PermissionDenied(_("Seul·e la ou le stagiaire soumet ses entrées."))
    _check_periods_open(entry)
    entry.submitted_at = timezone.now()
    _move(entry, Status.SUBMITTED, actor=actor)
    notifications.entry_submitted_notify(entry)
    return entry


def _check_periods_open(entry: PracticeEntry) -> None:
    """The entry's period, and that of the approved entry it corrects, are still open."""
    _check_period_open(entry.trainee, entry.date)
    if entry.corrects_id:
        _check_period_open(entry.trainee, entry.corrects.date)


def _check_reviewer(entry: PracticeEntry, reviewer: User) -> None:
    if entry.trainee_id == reviewer.pk:
        raise PermissionDenied(_("Vous ne pouvez pas relire vos propres entrées."))
    if not permissions.supervises(reviewer, entry.trainee_id):
        raise PermissionDenied(_("Seul·es les superviseur·es de la ou du stagiaire relisent."))


@transaction.atomic
def practice_entry_return(*, entry: PracticeEntry, reviewer: User, comment: str) -> PracticeEntry:
    """A supervisor sends an entry back to the trainee, saying what to fix."""
    entry = _locked(entry)
    _check_reviewer(entry, reviewer)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Dites à la ou au stagiaire ce qu'il faut revoir.")})
    entry.reviewed_by = reviewer
    entry.reviewed_at = timezone.now()
    _move(entry, Status.RETURNED, actor=reviewer, comment=comment)
    notifications.entry_reviewed_notify(entry, comment=comment)
    return entry


@transaction.atomic
def practice_entry_approve(
    *, entry: PracticeEntry, reviewer: User, comment: str = ""
) -> PracticeEntry:
    """A supervisor approves an entry: from now on it is a permanent, locked fact."""
    entry = _locked(entry)
    _check_reviewer(entry, reviewer)
    _check_periods_open(entry)
    entry.reviewed_by = reviewer
    entry.reviewed_at = timezone.now()
    comment = (comment or "").strip()
    _move(entry, Status.APPROVED, actor=reviewer, comment=comment)
    notifications.entry_reviewed_notify(entry, comment=comment)
    return entry


def practice_entry_bulk_approve(
    *, entries: Iterable[PracticeEntry], reviewer: User
) -> tuple[list[PracticeEntry], list[PracticeEntry]]:
    """Approve several entries, each in its own transaction with its own audit row.

    Returns (approved, refused): an entry another supervisor reviewed in the meantime, or one
    this reviewer may not approve, is left as it is.
    """
    approved, refused = [], []
    for entry in entries:
        try:
            approved.append(practice_entry_approve(entry=entry, reviewer=reviewer))
        except (PermissionDenied, ValidationError):
            refused.append(entry)
    return approved, refused


@transaction.atomic
def practice_entry_correct(
    *, entry: PracticeEntry, actor: User, steps: Iterable[str], **fields
) -> PracticeEntry:
    """A new draft entry that will replace an approved one in the totals once approved itself."""
    entry = _locked_if(
        entry, actor, permissions.can_correct_entry, _("Cette entrée ne peut pas être corrigée.")
    )
    _check_period_open(entry.trainee, entry.date)
    return practice_entry_create(trainee=actor, corrects=entry, steps=steps, **fields)


# --- Period summaries -------------------------------------------------------------------------


def _check_period_ready(trainee: User, start: Date, end: Date) -> None:
    waiting = PracticeEntry.objects.filter(
        trainee=trainee, date__range=(start, end), status=Status.SUBMITTED
    ).count()
    if waiting:
        raise ValidationError(
            ngettext(
                "%(count)s entrée de cette période attend encore une relecture : "
                "la période ne peut pas être clôturée ou confirmée avant.",
                "%(count)s entrées de cette période attendent encore une relecture : "
                "la période ne peut pas être clôturée ou confirmée avant.",
                waiting,
            )
            % {"count": waiting}
        )


@transaction.atomic
def period_summary_close(*, trainee: User, start: Date, end: Date) -> PeriodSummary:
    """The trainee closes a month or a chosen period and asks a supervisor to confirm it."""
    from supervision.logbook.selectors import practice_totals

    if not permissions.can_close_period(trainee):
        raise PermissionDenied(_("Seul·es les stagiaires clôturent une période."))
    if end < start:
        raise ValidationError({"end": _("La fin de la période précède son début.")})
    if end > timezone.localdate():
        raise ValidationError({"end": _("Une période ne peut pas se terminer dans le futur.")})
    overlapping = PeriodSummary.objects.filter(trainee=trainee, start__lte=end, end__gte=start)
    if overlapping.exists():
        raise ValidationError(_("Cette période chevauche une période déjà clôturée."))
    _check_period_ready(trainee, start, end)
    return PeriodSummary.objects.create(
        trainee=trainee,
        start=start,
        end=end,
        totals=practice_totals(trainee, start=start, end=end),
    )


@transaction.atomic
def period_summary_confirm(*, period: PeriodSummary, supervisor: User) -> PeriodSummary:
    """An assigned supervisor signs the period: its totals are taken again and frozen."""
    from supervision.logbook.selectors import practice_totals

    period = PeriodSummary.objects.select_for_update().get(pk=period.pk)
    if not permissions.can_confirm_period(supervisor, period):
        raise PermissionDenied(_("Vous ne pouvez pas confirmer cette période."))
    _check_period_ready(period.trainee, period.start, period.end)
    period.totals = practice_totals(period.trainee, start=period.start, end=period.end)
    period.status = PeriodSummary.Status.CONFIRMED
    period.confirmed_by = supervisor
    period.confirmed_at = timezone.now()
    period.save()
    notifications.period_confirmed_notify(period)
    return period


# --- Co-signing by a supervisor without an account (a signed, single-use link) ----------------

MAX_COSIGN_REQUESTS = 5


class CosignLinkError(ValidationError):
    """A co-signing link that cannot be used; `state` says why."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state


def _comparable_name(name: str) -> str:
    """A name as people type it: any case, accents or spacing."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@transaction.atomic
def period_cosign_request(
    *, period: PeriodSummary, trainee: User, supervisor_name: str, supervisor_email: str
) -> PeriodCosignRequest:
    """The trainee names a supervisor without an account; the platform e-mails them a link to
    confirm the closed period (single use, valid LOGBOOK_COSIGN_LINK_DAYS days)."""
    period = PeriodSummary.objects.select_for_update().get(pk=period.pk)
    if period.trainee_id != trainee.pk:
        raise PermissionDenied
    if period.status != PeriodSummary.Status.CLOSED:
        raise ValidationError(_("Cette période est déjà confirmée."))
    name = " ".join(supervisor_name.split())
    if not name:
        raise ValidationError({"supervisor_name": _("Indiquez le nom du ou de la superviseur·e.")})
    if period.cosign_requests.count() >= MAX_COSIGN_REQUESTS:
        raise ValidationError(
            _("Vous avez déjà demandé %(count)s cosignatures pour cette période.")
            % {"count": MAX_COSIGN_REQUESTS}
        )
    request = PeriodCosignRequest.objects.create(
        period=period,
        supervisor_name=name,
        supervisor_email=supervisor_email.strip(),
        requested_by=trainee,
        expires_at=timezone.now() + link_lifetime(),
    )
    notifications.cosign_link_enqueue(request)
    return request


@transaction.atomic
def period_cosign_confirm(
    *, token: str, typed_name: str, ip_address: str | None, user_agent: str
) -> PeriodSummary:
    """The supervisor confirms the period by the link, typing their name: the period is signed
    as by a supervisor in the platform, and the signature records who, when, from where."""
    from supervision.logbook.selectors import practice_totals

    state, request = cosign_link_open(token)
    if state != CosignLink.VALID:
        raise CosignLinkError(state)
    request = PeriodCosignRequest.objects.select_for_update().get(pk=request.pk)
    period = PeriodSummary.objects.select_for_update().get(pk=request.period_id)
    if request.used_at is not None:  # the same link sent twice at once
        raise CosignLinkError(CosignLink.USED)
    if period.status != PeriodSummary.Status.CLOSED:
        raise CosignLinkError(CosignLink.CONFIRMED)
    typed = " ".join(typed_name.split())
    if _comparable_name(typed) != _comparable_name(request.supervisor_name):
        raise ValidationError(
            {
                "signer_name": _(
                    "Saisissez votre nom tel que le ou la stagiaire l'a indiqué : %(name)s."
                )
                % {"name": request.supervisor_name}
            }
        )
    _check_period_ready(period.trainee, period.start, period.end)
    now = timezone.now()
    period.totals = practice_totals(period.trainee, start=period.start, end=period.end)
    period.status = PeriodSummary.Status.CONFIRMED
    period.confirmed_at = now
    period.confirmed_externally = True
    period.save()
    PeriodExternalConfirmation.objects.create(
        period=period,
        request=request,
        signer_name=typed[:150],
        signer_email=request.supervisor_email,
        signed_at=now,
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:500],
    )
    request.used_at = now
    request.save(update_fields=["used_at"])
    notifications.period_confirmed_notify(period)
    return period
