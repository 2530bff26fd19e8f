"""Every state change of in-person training: sessions, placements, convocations, attendance,
certificats de réalisation, satisfaction and evidence packs.

Each service takes the actor, checks the permission and the transition, writes the record and
its audit row in one transaction, and sends its e-mails through ``emails.email_send`` (after the
commit). Locks are taken in one order: the session, then its slot, then placements.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, Min, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import CoursePage, EnrolmentSource
from courses.services import CourseActionRefused
from courses.training import emails, ics, permissions, selectors
from courses.training.models import (
    CLOSABLE_STATUSES,
    SESSION_TRANSITIONS,
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    CompletionCertificate,
    Convocation,
    EvidencePack,
    PlacementStatus,
    SatisfactionAnswer,
    SatisfactionKind,
    SatisfactionQuestion,
    SatisfactionRequest,
    SatisfactionResponse,
    SessionEvent,
    SessionMode,
    SessionPlacement,
    SessionStatus,
    SlotPeriod,
    TrainerSignature,
    TrainingSession,
    TrainingSlot,
)
from institut.formats import date_text
from institut.lib.references import new_reference
from institut.locks import require_atomic
from institut.notifications.models import Kind as NotificationKind
from institut.notifications.services import notify
from institut.outbox.documents import numbered_pdf
from institut.places import waitlist_end
from institut.roles import is_trainer

logger = logging.getLogger(__name__)

FUNDER_LINK_SALT = "courses.training.funder-download"
FUNDER_LINK_MAX_AGE = timedelta(days=3 * 366)  # certificates are kept three years
MAX_TEXT = 2000


class TrainingRefused(CourseActionRefused):
    """A training action the rules refuse, with a message for the person who asked."""


# --- Helpers -------------------------------------------------------------------------------------


def absolute(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _event(session, *, actor, action, placement=None, from_status="", to_status="", reason=""):
    SessionEvent.objects.create(
        session=session,
        placement=placement,
        actor=actor,
        action=action,
        from_status=from_status or "",
        to_status=to_status or "",
        reason=reason,
        at=timezone.now(),
    )


def _refuse_at_this_moment(session: TrainingSession, to: str) -> None:
    """Refuse a status its half-days forbid now: confirmed or cancelled once begun, held before
    the end. The same rules as the page's buttons (``can_be_confirmed``, ``awaits_closing``)."""
    if to in (SessionStatus.CONFIRMED, SessionStatus.CANCELLED) and session.has_begun:
        if to == SessionStatus.CANCELLED:
            raise TrainingRefused(_("Une session commencée ne peut plus être annulée."))
        raise TrainingRefused(
            _(
                "Cette session a commencé : elle ne se confirme plus. Après sa dernière "
                "demi-journée, clôturez-la."
            )
        )
    if to == SessionStatus.HELD and not session.has_ended:
        raise TrainingRefused(_("La session n'est pas terminée : sa dernière demi-journée dure."))


def session_change_refusal(session: TrainingSession, *, placing: bool = False) -> str:
    """Why the session's half-days, place or trainees can no longer change (``placing``: why
    nobody can be placed in it), "" while they can: the rule is ``can_be_edited``."""
    if session.can_be_edited:
        return ""
    if session.is_open_for_placement:  # open, so refused because its first half-day began
        if placing:
            return _("Cette session a commencé : on n'y place plus de stagiaire.")
        return _("Cette session a commencé : elle ne peut plus être modifiée.")
    status = {"status": SessionStatus(session.status).label}
    if placing:
        return _("Cette session est %(status)s : on n'y place plus de stagiaire.") % status
    return _("Cette session est %(status)s : elle ne peut plus être modifiée.") % status


def _session_move(session: TrainingSession, to: str, *, actor, reason: str = "") -> None:
    """The one place where a session's status changes, with its audit row."""
    from_status = session.status
    if to == from_status:
        raise TrainingRefused(
            _("Cette session est déjà %(status)s.") % {"status": SessionStatus(to).label}
        )
    if to not in SESSION_TRANSITIONS[from_status]:
        raise TrainingRefused(
            _("Cette session ne peut pas passer de « %(from)s » à « %(to)s ».")
            % {
                "from": SessionStatus(from_status).label,
                "to": SessionStatus(to).label,
            }
        )
    _refuse_at_this_moment(session, to)
    session.status = to
    session.save(update_fields=["status", "cancellation_reason", "cancelled_at", "closed_at"])
    _event(
        session, actor=actor, action="status", from_status=from_status, to_status=to, reason=reason
    )


def _lock_session(session: TrainingSession) -> TrainingSession:
    require_atomic("_lock_session")
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _loaded(session_id: int) -> TrainingSession:
    """A session with its half-days and trainers (for e-mails and documents)."""
    from django.db.models import Prefetch

    return (
        TrainingSession.objects.prefetch_related(
            Prefetch("slots", queryset=TrainingSlot.objects.order_by("starts_at")), "trainers"
        )
        .filter(pk=session_id)
        .get()
    )


# --- Sessions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HalfDay:
    """One half-day as typed in the form: a date, morning or afternoon, local times."""

    date: date
    period: str
    starts: time
    ends: time


@dataclass
class SessionData:
    """What a trainer or staff member says about a session; checked again here."""

    course: CoursePage
    mode: str
    capacity: int
    half_days: list[HalfDay]
    trainers: list = field(default_factory=list)
    title: str = ""
    address: str = ""
    room: str = ""
    video_url: str = ""
    price_cents: int | None = None
    programme: str = ""


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), ics.session_zone())


def check_session_data(data: SessionData, *, creating: bool) -> dict:
    """Errors by field name (empty when the data is sound)."""
    errors: dict[str, str] = {}
    if data.capacity < 1:
        errors["capacity"] = _("Il faut au moins une place.")
    if data.mode == SessionMode.IN_PERSON and not data.address.strip():
        errors["address"] = _("Indiquez l'adresse de la session en présentiel.")
    if data.mode == SessionMode.REMOTE and not data.video_url.strip():
        errors["video_url"] = _("Indiquez le lien de visioconférence de la session à distance.")
    if not data.trainers:
        errors["trainers"] = _("Choisissez au moins un·e formateur·rice.")
    elif not all(is_trainer(person) for person in data.trainers):
        errors["trainers"] = _("Chaque personne choisie doit être formateur·rice.")
    if not data.half_days:
        errors["half_days"] = _("Ajoutez au moins une demi-journée.")
    seen = set()
    now = timezone.now()
    for half in data.half_days:
        if half.ends <= half.starts:
            errors["half_days"] = _("Chaque demi-journée doit finir après son début.")
        elif half.period == SlotPeriod.MORNING and half.starts >= time(13):
            errors["half_days"] = _("Une matinée commence avant 13 h.")
        elif half.period == SlotPeriod.AFTERNOON and half.starts < time(11):
            errors["half_days"] = _("Un après-midi commence à partir de 11 h.")
        elif (half.date, half.period) in seen:
            errors["half_days"] = _("La même demi-journée est indiquée deux fois.")
        elif creating and _aware(half.date, half.starts) <= now:
            errors["half_days"] = _("Une demi-journée ne peut pas commencer dans le passé.")
        seen.add((half.date, half.period))
    mornings = {h.date: h for h in data.half_days if h.period == SlotPeriod.MORNING}
    for half in data.half_days:
        morning = mornings.get(half.date)
        if half.period == SlotPeriod.AFTERNOON and morning and half.starts < morning.ends:
            errors["half_days"] = _("L'après-midi commence après la fin de la matinée.")
    return errors


def _refuse_if_invalid(data: SessionData, *, creating: bool) -> None:
    errors = check_session_data(data, creating=creating)
    if errors:
        raise TrainingRefused(" ".join(dict.fromkeys(errors.values())))


def _write_slots(session: TrainingSession, half_days: list[HalfDay]) -> None:
    TrainingSlot.objects.bulk_create(
        TrainingSlot(
            session=session,
            date=half.date,
            period=half.period,
            starts_at=_aware(half.date, half.starts),
            ends_at=_aware(half.date, half.ends),
        )
        for half in sorted(half_days, key=lambda h: (h.date, h.starts))
    )


@transaction.atomic
def session_create(*, actor, data: SessionData) -> TrainingSession:
    """Plan a session of a course with its half-days; a trainer who creates it leads it."""
    if not permissions.can_create_sessions(actor):
        raise TrainingRefused(_("Vous ne pouvez pas créer de session de formation."))
    if is_trainer(actor) and actor not in data.trainers:
        data.trainers = [actor, *data.trainers]
    _refuse_if_invalid(data, creating=True)
    session = TrainingSession.objects.create(
        course_key=data.course.translation_key,
        course_title=data.course.title,
        title=data.title.strip(),
        mode=data.mode,
        address=data.address.strip() if data.mode == SessionMode.IN_PERSON else "",
        room=data.room.strip() if data.mode == SessionMode.IN_PERSON else "",
        video_url=data.video_url.strip() if data.mode == SessionMode.REMOTE else "",
        capacity=data.capacity,
        price_cents=data.price_cents,
        programme=data.programme.strip(),
        created_by=actor,
        created_at=timezone.now(),
    )
    session.trainers.set(data.trainers)
    _write_slots(session, data.half_days)
    _event(session, actor=actor, action="created", to_status=session.status)
    return session


def _convened_state(session: TrainingSession) -> tuple:
    """What a convocation states: the half-days and the place; a change calls for a new one."""
    slots = session.slots.order_by("starts_at").values_list(
        "date", "period", "starts_at", "ends_at"
    )
    return (list(slots), session.mode, session.address, session.room, session.video_url)


@transaction.atomic
def session_update(*, actor, session: TrainingSession, data: SessionData) -> TrainingSession:
    """Change a session before it begins; placed trainees receive an updated convocation."""
    session = _lock_session(session)
    if not permissions.can_manage_session(actor, session):
        raise TrainingRefused(_("Vous ne pouvez pas modifier cette session."))
    refusal = session_change_refusal(session)
    if refusal:
        raise TrainingRefused(refusal)
    _refuse_if_invalid(data, creating=True)
    placed = session.placements.filter(status=PlacementStatus.PLACED).count()
    if data.capacity < placed:
        raise TrainingRefused(
            _("%(count)s stagiaires ont déjà une place : gardez au moins autant de places.")
            % {"count": placed}
        )
    before = _convened_state(session)
    session.title = data.title.strip()
    session.mode = data.mode
    session.address = data.address.strip() if data.mode == SessionMode.IN_PERSON else ""
    session.room = data.room.strip() if data.mode == SessionMode.IN_PERSON else ""
    session.video_url = data.video_url.strip() if data.mode == SessionMode.REMOTE else ""
    session.capacity = data.capacity
    session.price_cents = data.price_cents
    session.programme = data.programme.strip()
    session.trainers.set(data.trainers)
    session.slots.all().delete()  # none has begun, so none has attendance
    _write_slots(session, data.half_days)
    significant = before != _convened_state(session)
    if significant:
        session.sequence += 1
    session.save()
    _event(session, actor=actor, action="updated")
    if significant:
        for placement in session.placements.filter(status=PlacementStatus.PLACED):
            _convoke(placement, Convocation.Kind.UPDATE, sequence=session.sequence)
    _promote_waitlist(session, actor=actor)
    return session


@transaction.atomic
def session_confirm(*, actor, session: TrainingSession) -> TrainingSession:
    """The session will take place: it is confirmed."""
    session = _lock_session(session)
    if not permissions.can_manage_session(actor, session):
        raise TrainingRefused(_("Vous ne pouvez pas confirmer cette session."))
    _session_move(session, SessionStatus.CONFIRMED, actor=actor)
    return session


@transaction.atomic
def session_cancel(*, actor, session: TrainingSession, reason: str) -> TrainingSession:
    """Cancel a session that has not begun, with a reason; everyone placed or waiting is told."""
    session = _lock_session(session)
    if not permissions.can_manage_session(actor, session):
        raise TrainingRefused(_("Vous ne pouvez pas annuler cette session."))
    reason = (reason or "").strip()[:MAX_TEXT]
    if not reason:
        raise TrainingRefused(_("Indiquez le motif de l'annulation."))
    session.cancellation_reason = reason
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["sequence"])
    _session_move(session, SessionStatus.CANCELLED, actor=actor, reason=reason)
    for placement in session.placements.exclude(status=PlacementStatus.CANCELLED):
        was_placed = placement.is_placed
        _placement_move(
            placement, PlacementStatus.CANCELLED, actor=actor, action="session_cancelled"
        )
        if was_placed:
            _convoke(placement, Convocation.Kind.CANCELLATION, sequence=session.sequence)
    return session


def unsigned_slots(session: TrainingSession) -> list[TrainingSlot]:
    """Half-days whose sheet no trainer signed, or that changed since its last signature."""
    return [s.slot for s in selectors.session_sheet(_loaded(session.pk)).sheets_to_sign]


@transaction.atomic
def session_close(*, actor, session: TrainingSession) -> TrainingSession:
    """Close a session whose every half-day is over and signed: certificates are issued.

    A planned or confirmed session is first recorded as held (two audit rows). The certificats
    de réalisation are issued after the commit, by a task that is safe to run twice.
    """
    session = _lock_session(session)
    if not permissions.can_manage_session(actor, session):
        raise TrainingRefused(_("Vous ne pouvez pas clôturer cette session."))
    if session.status not in CLOSABLE_STATUSES:
        raise TrainingRefused(_("Cette session est déjà clôturée ou annulée."))
    _refuse_at_this_moment(session, SessionStatus.HELD)
    missing = unsigned_slots(session)
    if missing:
        labels = ", ".join(
            f"{date_text(slot.date, 'j F')} {slot.get_period_display()}" for slot in missing[:6]
        )
        raise TrainingRefused(
            _("Signez d'abord la feuille d'émargement de chaque demi-journée (reste : %(list)s).")
            % {"list": labels}
        )
    if session.status != SessionStatus.HELD:
        _session_move(session, SessionStatus.HELD, actor=actor)
    session.closed_at = timezone.now()
    _session_move(session, SessionStatus.CLOSED, actor=actor)
    for placement in session.placements.filter(status=PlacementStatus.PLACED):
        satisfaction_request_for(placement=placement, kind=SatisfactionKind.HOT)
    from courses.training import tasks

    session_id = session.pk
    transaction.on_commit(lambda: tasks.issue_certificates.delay(session_id))
    return session


# --- Placements and waitlist ---------------------------------------------------------------------


def _placement_move(placement, to: str, *, actor, action: str, reason: str = "") -> None:
    from_status = placement.status if placement.pk else ""
    placement.status = to
    now = timezone.now()
    if to == PlacementStatus.PLACED:
        placement.placed_at = now
        placement.waitlist_position = None
    if to == PlacementStatus.CANCELLED:
        placement.cancelled_at = now
        placement.waitlist_position = None
    placement.save()
    _event(
        placement.session,
        placement=placement,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to,
        reason=reason,
    )


@transaction.atomic
def placement_create(
    *, actor, session: TrainingSession, trainee, employer_name: str = ""
) -> SessionPlacement:
    """Place a trainee enrolled in the course in a session, or on its waitlist when it is full.

    The trainee chooses a session themselves, or staff (or a trainer of the session) place them.
    """
    session = _lock_session(session)
    by_self = actor.pk == trainee.pk
    if by_self and not permissions.can_be_placed(trainee):
        raise TrainingRefused(_("Seuls les comptes stagiaires peuvent choisir une session."))
    if not by_self and not permissions.can_manage_session(actor, session):
        raise TrainingRefused(_("Vous ne pouvez pas placer de stagiaire dans cette session."))
    refusal = session_change_refusal(session, placing=True)
    if refusal:
        raise TrainingRefused(
            _("Cette session n'est plus ouverte aux inscriptions.") if by_self else refusal
        )
    enrolment = selectors.enrolment_for_session(trainee, session)
    if enrolment is None:
        raise TrainingRefused(
            _("Inscrivez-vous d'abord à la formation « %(course)s » pour choisir une session.")
            % {"course": session.course_title}
            if by_self
            else _("Cette personne n'est pas inscrite à la formation « %(course)s ».")
            % {"course": session.course_title}
        )
    if (
        SessionPlacement.objects.filter(session=session, trainee=trainee)
        .exclude(status=PlacementStatus.CANCELLED)
        .exists()
    ):
        raise TrainingRefused(_("Une place dans cette session est déjà réservée à ce nom."))
    placed = session.placements.filter(status=PlacementStatus.PLACED).count()
    placement = SessionPlacement(
        session=session,
        created_at=timezone.now(),
        trainee=trainee,
        enrolment=enrolment,
        employer_name=(employer_name or _default_employer(enrolment)).strip()[:200],
    )
    if placed < session.capacity:
        _placement_move(placement, PlacementStatus.PLACED, actor=actor, action="placed")
        _convoke(placement, Convocation.Kind.CONFIRMATION)
    else:
        placement.waitlist_position = waitlist_end(
            session.placements.filter(status=PlacementStatus.WAITLISTED)
        )
        _placement_move(placement, PlacementStatus.WAITLISTED, actor=actor, action="waitlisted")
    return placement


def _default_employer(enrolment) -> str:
    """The employer named by an employer's funding, if that is how the trainee is funded."""
    from courses.models import FundingSource

    if enrolment.source != EnrolmentSource.FUNDED:
        return ""
    funding = selectors.latest_funding(enrolment.pk)
    if funding and funding.source == FundingSource.EMPLOYER:
        return funding.payer_name
    return ""


def _promote_waitlist(session: TrainingSession, *, actor) -> list[SessionPlacement]:
    """Give free places to the first trainees waiting (the session row is locked)."""
    require_atomic("_promote_waitlist")
    if not session.can_be_edited:
        return []
    free = session.capacity - session.placements.filter(status=PlacementStatus.PLACED).count()
    if free <= 0:
        return []
    promoted = list(
        session.placements.filter(status=PlacementStatus.WAITLISTED)
        .select_for_update()
        .order_by("waitlist_position", "pk")[:free]
    )
    for placement in promoted:
        _placement_move(
            placement, PlacementStatus.PLACED, actor=actor, action="promoted_from_waitlist"
        )
        _convoke(placement, Convocation.Kind.CONFIRMATION)
    return promoted


@transaction.atomic
def placement_cancel(*, actor, placement: SessionPlacement, reason: str = "") -> SessionPlacement:
    """Give up a place (or leave the waitlist) before the session begins; the next one waiting
    gets the place."""
    session = _lock_session(placement.session)
    placement = SessionPlacement.objects.select_for_update().get(pk=placement.pk)
    placement.session = session
    if actor.pk != placement.trainee_id and not permissions.can_manage_session(actor, session):
        raise TrainingRefused(_("Vous ne pouvez pas annuler cette place."))
    if placement.status == PlacementStatus.CANCELLED:
        raise TrainingRefused(_("Cette place est déjà annulée."))
    if session.has_begun:
        raise TrainingRefused(_("La session a commencé : la place ne peut plus être annulée."))
    was_placed = placement.is_placed
    _placement_move(
        placement,
        PlacementStatus.CANCELLED,
        actor=actor,
        action="placement_cancelled",
        reason=(reason or "").strip()[:MAX_TEXT],
    )
    if was_placed:
        _promote_waitlist(session, actor=actor)
    return placement


# --- Convocations --------------------------------------------------------------------------------


CONVOCATION_SUBJECTS = {
    Convocation.Kind.CONFIRMATION: lambda: _("Convocation : %(title)s"),
    Convocation.Kind.REMINDER: lambda: _("Rappel de votre convocation : %(title)s"),
    Convocation.Kind.UPDATE: lambda: _("Convocation modifiée : %(title)s"),
    Convocation.Kind.CANCELLATION: lambda: _("Session annulée : %(title)s"),
}


def _convoke(placement: SessionPlacement, kind: str, *, sequence: int | None = None) -> bool:
    """Write the convocation row and owe its e-mail; the same one twice writes nothing."""
    session = _loaded(placement.session_id)
    sequence = session.sequence if sequence is None else sequence
    trainee = placement.trainee
    if Convocation.objects.filter(placement=placement, kind=kind, sequence=sequence).exists():
        return False
    from home.selectors import read_institut_details

    details = read_institut_details()
    days = selectors.days_of(session)
    language = trainee.language
    with translation.override(language), timezone.override(ics.session_zone()):
        context = {
            "kind": kind,
            "session": session,
            "trainee": trainee,
            "days": days,
            "trainers": list(session.trainers.all()),
            "details": details,
            "rules": details.rules_in(language),
            "url": absolute("courses:training_session", session.pk),
            "reminder_days": settings.TRAINING_CONVOCATION_REMINDER_DAYS,
        }
        subject = CONVOCATION_SUBJECTS[kind]() % {"title": session.display_title}
        body = render_to_string("courses/training/email/convocation.txt", context)
        attachment_name = ics.file_name()
    method = ics.METHOD_CANCEL if kind == Convocation.Kind.CANCELLATION else ics.METHOD_REQUEST
    attachment = ics.calendar(session, days, method=method, attendee=trainee)
    try:
        with transaction.atomic():
            convocation = Convocation.objects.create(
                placement=placement,
                kind=kind,
                sequence=sequence,
                sent_to=trainee.email,
                subject=subject,
                body=body,
                sent_at=timezone.now(),
            )
            # The notification, and this e-mail if the trainee chose e-mail for convocations.
            with translation.override(language):
                path = reverse("courses:training_session", args=[session.pk])
            notify(
                recipient=trainee,
                kind=NotificationKind.CONVOCATION,
                about=convocation.placement,
                version=f"{kind}-{sequence}",
                title=subject,
                url=path,
                email_kind=f"training.convocation.{kind}",
                email_subject=subject,
                email_text=body,
                attachments=[(attachment_name, attachment, f"text/calendar; method={method}")],
            )
    except IntegrityError:
        return False  # written at the same moment by another run: that one sends it
    return True


def due_reminders(now: datetime | None = None):
    """Placed trainees whose session begins within the reminder delay and who were not reminded
    (nor placed inside that delay: their convocation is reminder enough)."""
    now = now or timezone.now()
    delay = timedelta(days=settings.TRAINING_CONVOCATION_REMINDER_DAYS)
    reminded = Convocation.objects.filter(placement=OuterRef("pk"), kind=Convocation.Kind.REMINDER)
    return (
        SessionPlacement.objects.filter(
            status=PlacementStatus.PLACED,
            session__status__in=(SessionStatus.PLANNED, SessionStatus.CONFIRMED),
        )
        .annotate(first_start=Min("session__slots__starts_at"))
        .filter(first_start__gt=now, first_start__lte=now + delay)
        .filter(placed_at__lt=F("first_start") - delay)
        .filter(~Exists(reminded))
        .select_related("trainee", "session")
    )


def reminders_send(now: datetime | None = None) -> int:
    """Send each due reminder once; a second run finds nothing to send."""
    sent = 0
    for placement in due_reminders(now):
        with transaction.atomic():
            _lock_session(placement.session)
            sent += _convoke(placement, Convocation.Kind.REMINDER)
    return sent


# --- Attendance (émargement) ---------------------------------------------------------------------


def _lock_slot(slot: TrainingSlot) -> TrainingSlot:
    require_atomic("_lock_slot")
    locked = TrainingSlot.objects.select_for_update().select_related("session").get(pk=slot.pk)
    return locked


def _device(ip_address: str | None, user_agent: str | None) -> dict:
    """The signing device's details as a sheet keeps them: the address or None, the browser
    cut to its column."""
    return {"ip_address": ip_address or None, "user_agent": (user_agent or "")[:300]}


def _write_row(slot: TrainingSlot, **values) -> Attendance:
    """Append a row to the slot's sheet, with the hash of the sheet it completes."""
    row = Attendance(slot=slot, recorded_at=timezone.now(), **values)
    row.sheet_hash = selectors.sheet_digest(slot, [*selectors.slot_rows(slot), row])
    row.save()
    return row


@transaction.atomic
def slot_signing_open(*, actor, slot: TrainingSlot) -> TrainingSlot:
    """Open the signing of a half-day in the room: a fresh link and QR code for this slot only."""
    slot = _lock_slot(slot)
    session = slot.session
    if not permissions.can_sign_as_trainer(actor, session):
        raise TrainingRefused(_("Seul·e un·e formateur·rice de la session ouvre l'émargement."))
    if session.status not in (SessionStatus.PLANNED, SessionStatus.CONFIRMED):
        raise TrainingRefused(_("L'émargement n'est ouvert que pendant une session en cours."))
    if not slot.is_within_window():
        raise TrainingRefused(
            _(
                "L'émargement de cette demi-journée s'ouvre %(minutes)s minutes avant son début "
                "et se ferme à sa fin."
            )
            % {"minutes": settings.TRAINING_SIGNING_EARLY_MINUTES}
        )
    if slot.trainer_signatures.exists():
        raise TrainingRefused(_("Vous avez déjà signé cette feuille : l'émargement est clos."))
    if slot.is_signing_open():
        return slot
    slot.signing_token = secrets.token_urlsafe(24)
    slot.signing_opened_at = timezone.now()
    slot.signing_opened_by = actor
    slot.signing_closed_at = None
    slot.save(
        update_fields=[
            "signing_token",
            "signing_opened_at",
            "signing_opened_by",
            "signing_closed_at",
        ]
    )
    _event(session, actor=actor, action="signing_opened", reason=str(slot))
    return slot


@transaction.atomic
def attendance_sign(
    *,
    user,
    slot: TrainingSlot,
    for_trainee_id: int | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Attendance:
    """A trainee signs a half-day on their own device, once, while its signing is open."""
    slot = _lock_slot(slot)
    if for_trainee_id is not None and for_trainee_id != user.pk:
        raise TrainingRefused(
            _(
                "Cette page de signature a été ouverte pour une autre personne : on ne signe que "
                "pour soi-même. Rechargez la page pour signer à votre nom."
            )
        )
    placement = SessionPlacement.objects.filter(
        session=slot.session, trainee=user, status=PlacementStatus.PLACED
    ).first()
    if placement is None:
        raise TrainingRefused(_("Vous n'avez pas de place dans cette session."))
    if not slot.is_signing_open():
        raise TrainingRefused(
            _(
                "La signature de cette demi-journée n'est pas ouverte : elle n'est possible que "
                "pendant la demi-journée, une fois ouverte par le ou la formateur·rice."
            )
        )
    existing = selectors.current_row(slot, placement)
    if existing is not None:
        if existing.method == AttendanceMethod.OWN_DEVICE:
            raise TrainingRefused(_("Vous avez déjà signé pour cette demi-journée."))
        raise TrainingRefused(
            _("Le ou la formateur·rice a déjà enregistré votre présence pour cette demi-journée.")
        )
    now = timezone.now()
    status = AttendanceStatus.PRESENT
    minutes_late = 0
    late_after = slot.starts_at + timedelta(minutes=15)
    if now > late_after:
        status = AttendanceStatus.LATE
        minutes_late = min(int((now - slot.starts_at).total_seconds() // 60), slot.minutes)
    try:
        with transaction.atomic():
            return _write_row(
                slot,
                placement=placement,
                trainee=user,
                status=status,
                minutes_late=minutes_late,
                method=AttendanceMethod.OWN_DEVICE,
                recorded_by=user,
                **_device(ip_address, user_agent),
            )
    except IntegrityError:
        raise TrainingRefused(_("Vous avez déjà signé pour cette demi-journée.")) from None


TRAINER_STATUSES_NEEDING_REASON = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED)


@transaction.atomic
def attendance_record(
    *,
    actor,
    slot: TrainingSlot,
    placement: SessionPlacement,
    status: str,
    reason: str = "",
    minutes_late: int = 0,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Attendance:
    """The trainer records a trainee present (with a reason), late, absent or excused.

    Over a row already written, this is a correction: a new row pointing at the one it replaces,
    with the reason; the old row stays on the sheet.
    """
    slot = _lock_slot(slot)
    session = slot.session
    if not permissions.can_sign_as_trainer(actor, session):
        raise TrainingRefused(_("Seul·e un·e formateur·rice de la session saisit les présences."))
    if placement.session_id != session.pk or placement.status != PlacementStatus.PLACED:
        raise TrainingRefused(_("Cette personne n'a pas de place dans cette session."))
    if session.status in (SessionStatus.CLOSED, SessionStatus.CANCELLED):
        raise TrainingRefused(_("La session est close : ses feuilles ne changent plus."))
    if slot.starts_at - timedelta(minutes=settings.TRAINING_SIGNING_EARLY_MINUTES) > timezone.now():
        raise TrainingRefused(_("Cette demi-journée n'a pas commencé."))
    if status not in AttendanceStatus.values:
        raise TrainingRefused(_("Présence inconnue."))
    reason = (reason or "").strip()[:MAX_TEXT]
    previous = selectors.current_row(slot, placement)
    if status in TRAINER_STATUSES_NEEDING_REASON and not reason:
        raise TrainingRefused(
            _(
                "Indiquez pourquoi vous enregistrez cette présence vous-même (par exemple : pas de "
                "téléphone)."
            )
            if status == AttendanceStatus.PRESENT
            else _("Indiquez le motif de l'absence excusée.")
        )
    if previous is not None and not reason:
        raise TrainingRefused(_("Indiquez le motif de la correction."))
    if status == AttendanceStatus.LATE:
        if not 1 <= (minutes_late or 0) <= slot.minutes:
            raise TrainingRefused(
                _("Indiquez le retard en minutes (entre 1 et %(max)s).") % {"max": slot.minutes}
            )
    else:
        minutes_late = 0
    if (
        previous is not None
        and previous.status == status
        and previous.minutes_late == minutes_late
        and previous.reason == reason
    ):
        raise TrainingRefused(_("Cette présence est déjà enregistrée ainsi."))
    return _write_row(
        slot,
        placement=placement,
        trainee_id=placement.trainee_id,
        status=status,
        minutes_late=minutes_late,
        reason=reason,
        method=AttendanceMethod.TRAINER,
        recorded_by=actor,
        **_device(ip_address, user_agent),
        supersedes=previous,
    )


@transaction.atomic
def slot_sign(
    *, actor, slot: TrainingSlot, ip_address: str | None = None, user_agent: str = ""
) -> TrainerSignature:
    """The trainer signs a half-day's sheet once every placed trainee has a line; signing
    closes the trainees' signing. A sheet corrected after a signature may be signed again."""
    slot = _lock_slot(slot)
    session = slot.session
    if not permissions.can_sign_as_trainer(actor, session):
        raise TrainingRefused(_("Seul·e un·e formateur·rice de la session signe la feuille."))
    if session.status in (SessionStatus.CLOSED, SessionStatus.CANCELLED):
        raise TrainingRefused(_("La session est close : ses feuilles ne changent plus."))
    if not slot.has_started:
        raise TrainingRefused(_("Cette demi-journée n'a pas commencé."))
    placements = list(session.placements.filter(status=PlacementStatus.PLACED))
    rows = selectors.slot_rows(slot)
    has_line = {row.placement_id for row in rows}
    missing = [p for p in placements if p.pk not in has_line]
    if missing:
        raise TrainingRefused(
            _("Indiquez d'abord la présence de chaque stagiaire (%(count)s sans ligne).")
            % {"count": len(missing)}
        )
    digest = selectors.sheet_digest(slot, rows)
    last = (
        TrainerSignature.objects.filter(slot=slot, trainer=actor)
        .order_by("-signed_at", "-pk")
        .first()
    )
    if last is not None and last.sheet_hash == digest:
        raise TrainingRefused(_("Vous avez déjà signé cette feuille telle qu'elle est."))
    signature = TrainerSignature.objects.create(
        slot=slot,
        trainer=actor,
        signed_at=timezone.now(),
        sheet_hash=digest,
        **_device(ip_address, user_agent),
    )
    if slot.signing_closed_at is None:
        slot.signing_closed_at = signature.signed_at
        slot.save(update_fields=["signing_closed_at"])
    _event(session, actor=actor, action="sheet_signed", reason=str(slot))
    return signature


# --- Certificats de réalisation ------------------------------------------------------------------


def certificate_number(year: int) -> str:
    return new_reference("CR", year)


def certificate_check_url(number: str) -> str:
    return absolute("courses:training_certificate_check", number)


def funder_token(certificate: CompletionCertificate) -> str:
    return signing.dumps({"n": certificate.number}, salt=FUNDER_LINK_SALT, compress=True)


def funder_token_valid(number: str, token: str) -> bool:
    try:
        data = signing.loads(token, salt=FUNDER_LINK_SALT, max_age=FUNDER_LINK_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("n") == number


def funder_download_url(certificate: CompletionCertificate) -> str:
    return absolute(
        "courses:training_certificate_funder", certificate.number, funder_token(certificate)
    )


@transaction.atomic
def certificate_issue(*, placement_id: int) -> CompletionCertificate | None:
    """Issue the certificat de réalisation of a placed trainee of a closed session, once."""
    from courses.training.pdf import render_certificate_pdf
    from home.selectors import read_institut_details

    placement = (
        SessionPlacement.objects.select_for_update()
        .select_related("trainee", "enrolment")
        .get(pk=placement_id)
    )
    existing = CompletionCertificate.objects.filter(placement=placement).first()
    if existing is not None:
        return existing
    session = _loaded(placement.session_id)
    if session.status != SessionStatus.CLOSED or placement.status != PlacementStatus.PLACED:
        return None
    line = selectors.line_of(session, placement)
    first_day, last_day = selectors.first_and_last_day(session)
    details = read_institut_details()
    trainee = placement.trainee
    funding = (
        selectors.latest_funding(placement.enrolment_id)
        if placement.enrolment.source == EnrolmentSource.FUNDED
        else None
    )
    now = timezone.now()
    number = certificate_number(now.year)
    while CompletionCertificate.objects.filter(number=number).exists():
        number = certificate_number(now.year)
    language = trainee.language
    from courses.selectors import course_for_key

    course = course_for_key(course_key=session.course_key, language=language)
    certificate = CompletionCertificate(
        number=number,
        placement=placement,
        session=session,
        trainee=trainee,
        funding=funding,
        trainee_name=trainee.full_name or trainee.email,
        employer_name=placement.employer_name,
        action_title=(course.title if course else session.course_title),
        first_day=first_day,
        last_day=last_day,
        hours_planned=line.hours_planned,
        hours_done=line.hours_done,
        online_hours=selectors.hours(selectors.online_minutes(trainee, session.course_key)),
        organisation_name=details.organisation_name,
        organisation_address=details.address,
        declaration_number=details.training_body_number,
        siret=details.siret,
        representative_name=details.representative_name,
        representative_title=details.representative_title,
        signed_in=details.signature_city,
        issued_at=now,
    )
    with translation.override(language):
        pdf = render_certificate_pdf(
            certificate=certificate, check_url=certificate_check_url(number)
        )
    certificate.pdf.save(f"{number}.pdf", ContentFile(pdf), save=False)
    certificate.save()
    _certificate_mail(certificate)
    return certificate


# The outbox's name for certificats de réalisation attached by reference (courses/apps.py):
# their PDF is stored at issue, and read when the e-mail is sent.
CERTIFICATE_SOURCE = "courses.training.certificate"


def certificate_document(certificate: CompletionCertificate):
    """The certificat de réalisation to attach to an e-mail, named in the active language:
    « certificat-de-realisation-CR-2026-7K3M9Q.pdf », « certificate-of-completion-… »."""
    return numbered_pdf(CERTIFICATE_SOURCE, certificate, _("certificat de réalisation"))


def _certificate_mail(certificate: CompletionCertificate) -> None:
    """Tell the trainee (and the funder's contact) that the certificate can be downloaded; its
    PDF goes with each e-mail, by reference."""
    trainee = certificate.trainee
    hot = SatisfactionRequest.objects.filter(
        placement=certificate.placement, kind=SatisfactionKind.HOT, response__isnull=True
    ).first()
    with translation.override(trainee.language):
        context = {
            "certificate": certificate,
            "trainee": trainee,
            "url": absolute("courses:training_session", certificate.session_id),
            "survey_url": absolute("courses:training_satisfaction", hot.token) if hot else "",
            "check_url": certificate_check_url(certificate.number),
        }
        subject = _("Votre certificat de réalisation : %(title)s") % {
            "title": certificate.action_title
        }
        text = render_to_string("courses/training/email/certificate_trainee.txt", context)
        document = certificate_document(certificate)
    emails.email_send(
        kind="training.certificate",
        about=certificate,
        to=trainee,
        subject=subject,
        text=text,
        documents=[document],
    )
    funding = certificate.funding
    if funding is not None and funding.payer_email:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "certificate": certificate,
                "funding": funding,
                "download_url": funder_download_url(certificate),
                "check_url": certificate_check_url(certificate.number),
            }
            subject = _("Certificat de réalisation de %(name)s : %(title)s") % {
                "name": certificate.trainee_name,
                "title": certificate.action_title,
            }
            text = render_to_string("courses/training/email/certificate_funder.txt", context)
            document = certificate_document(certificate)
        emails.email_send(
            kind="training.certificate.funder",
            about=certificate,
            to=funding.payer_email,
            subject=subject,
            text=text,
            documents=[document],
        )


def certificates_issue(*, session_id: int) -> list[str]:
    """Issue every certificate of a closed session, each in its own transaction."""
    numbers = []
    placements = SessionPlacement.objects.filter(
        session_id=session_id, status=PlacementStatus.PLACED
    ).values_list("pk", flat=True)
    for placement_id in list(placements):
        certificate = certificate_issue(placement_id=placement_id)
        if certificate is not None:
            numbers.append(certificate.number)
    return numbers


# --- Satisfaction --------------------------------------------------------------------------------


def satisfaction_request_for(*, placement: SessionPlacement, kind: str) -> SatisfactionRequest:
    """The trainee's own link to a questionnaire of the session (made once)."""
    existing = SatisfactionRequest.objects.filter(placement=placement, kind=kind).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SatisfactionRequest.objects.create(
                placement=placement,
                kind=kind,
                token=secrets.token_urlsafe(24),
                created_at=timezone.now(),
            )
    except IntegrityError:
        return SatisfactionRequest.objects.get(placement=placement, kind=kind)


def hot_survey_open(session: TrainingSession) -> bool:
    """The à chaud questionnaire opens when the last half-day begins."""
    slots = list(session.slots.all())
    return bool(slots) and slots[-1].starts_at <= timezone.now() and not session.is_cancelled


@transaction.atomic
def satisfaction_submit(
    *, user, request: SatisfactionRequest, answers: dict[int, object], comment: str = ""
) -> SatisfactionResponse:
    """Record the trainee's answers to their questionnaire, once."""
    request = SatisfactionRequest.objects.select_for_update().get(pk=request.pk)
    placement = request.placement
    if placement.trainee_id != user.pk:
        raise TrainingRefused(_("Ce questionnaire est celui d'une autre personne."))
    if SatisfactionResponse.objects.filter(request=request).exists():
        raise TrainingRefused(_("Vous avez déjà répondu à ce questionnaire. Merci !"))
    asked = SatisfactionQuestion.objects.filter(kind=request.kind, is_active=True)
    language = translation.get_language()
    response = SatisfactionResponse.objects.create(
        request=request,
        session_id=placement.session_id,
        kind=request.kind,
        comment=(comment or "").strip()[:MAX_TEXT],
        submitted_at=timezone.now(),
    )
    rows = []
    for question in asked:
        value = answers.get(question.pk)
        score, text = None, ""
        if question.answer_type == SatisfactionQuestion.AnswerType.SCALE:
            if value not in (None, ""):
                score = int(value)
                if not 1 <= score <= 5:
                    raise TrainingRefused(_("Une note va de 1 à 5."))
        else:
            text = str(value or "").strip()[:MAX_TEXT]
        if question.required and score is None and not text:
            raise TrainingRefused(
                _("Répondez à la question « %(text)s ».") % {"text": question.text_in(language)}
            )
        if score is not None or text:
            rows.append(
                SatisfactionAnswer(
                    response=response,
                    question=question,
                    question_text=question.text,
                    score=score,
                    text=text,
                )
            )
    SatisfactionAnswer.objects.bulk_create(rows)
    return response


def _months_before(moment: date, months: int) -> date:
    month = moment.month - months
    year = moment.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    day = min(moment.day, 28)
    return date(year, month, day)


def cold_surveys_send(now: datetime | None = None) -> int:
    """Send the à froid questionnaire to trainees of sessions closed N months ago, once each."""
    now = now or timezone.now()
    cutoff = _months_before(timezone.localdate(now), settings.TRAINING_COLD_SURVEY_MONTHS)
    asked = SatisfactionRequest.objects.filter(placement=OuterRef("pk"), kind=SatisfactionKind.COLD)
    placements = (
        SessionPlacement.objects.filter(
            status=PlacementStatus.PLACED, session__status=SessionStatus.CLOSED
        )
        .annotate(last_day=Max("session__slots__date"))
        .filter(last_day__lte=cutoff)
        .filter(~Exists(asked))
        .select_related("trainee", "session")
    )
    sent = 0
    for placement in placements:
        with transaction.atomic():
            SessionPlacement.objects.select_for_update().get(pk=placement.pk)
            if SatisfactionRequest.objects.filter(
                placement=placement, kind=SatisfactionKind.COLD
            ).exists():
                continue
            request = satisfaction_request_for(placement=placement, kind=SatisfactionKind.COLD)
            trainee = placement.trainee
            with translation.override(trainee.language):
                context = {
                    "session": placement.session,
                    "trainee": trainee,
                    "url": absolute("courses:training_satisfaction", request.token),
                    "months": settings.TRAINING_COLD_SURVEY_MONTHS,
                }
                subject = _("Quelques mois après « %(title)s » : votre avis") % {
                    "title": placement.session.display_title
                }
                text = render_to_string("courses/training/email/cold_survey.txt", context)
            emails.email_send(
                kind="training.satisfaction.cold",
                about=request,
                to=trainee,
                subject=subject,
                text=text,
            )
            sent += 1
    return sent


# --- Evidence packs ------------------------------------------------------------------------------


@transaction.atomic
def evidence_pack_request(*, actor, session: TrainingSession) -> EvidencePack:
    """Ask for a new evidence pack of a session; one being built is returned instead."""
    session = _lock_session(session)
    if not permissions.can_manage_training(actor):
        raise TrainingRefused(_("Seule l'équipe prépare les dossiers de preuves."))
    pending = session.evidence_packs.filter(
        status__in=(EvidencePack.Status.QUEUED, EvidencePack.Status.BUILDING)
    ).first()
    if pending is not None:
        return pending
    pack = EvidencePack.objects.create(session=session, requested_by=actor)
    from courses.training import tasks

    pack_id, language = pack.pk, translation.get_language()
    transaction.on_commit(lambda: tasks.build_evidence_pack.delay(pack_id, language))
    return pack


def evidence_pack_progress(pack_id: int, *, progress: int, step: str) -> None:
    """Write the progress of a pack being built (its own short transaction, seen at once)."""
    EvidencePack.objects.filter(pk=pack_id).update(
        status=EvidencePack.Status.BUILDING, progress=min(progress, 99), step=step[:200]
    )


def evidence_pack_build(*, pack_id: int, language: str | None = None) -> EvidencePack | None:
    """Build the ZIP of a pack in `language` (the asker's page's, the site's by default); a pack
    already built is returned unchanged."""
    from courses.training.evidence import build_zip

    pack = EvidencePack.objects.select_related("session").filter(pk=pack_id).first()
    if pack is None or pack.status == EvidencePack.Status.READY:
        return pack
    try:
        content = build_zip(
            session=_loaded(pack.session_id),
            language=language,
            report=lambda progress, step: evidence_pack_progress(
                pack_id, progress=progress, step=step
            ),
        )
    except Exception as error:
        logger.exception("Evidence pack %s failed", pack_id)
        EvidencePack.objects.filter(pk=pack_id).update(
            status=EvidencePack.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        pack = EvidencePack.objects.select_for_update().get(pk=pack_id)
        if pack.status == EvidencePack.Status.READY:
            return pack
        stamp = timezone.localtime(timezone.now()).strftime("%Y%m%d-%H%M")
        pack.file.save(f"dossier-{pack.session_id}-{stamp}.zip", ContentFile(content), save=False)
        pack.status = EvidencePack.Status.READY
        pack.progress = 100
        pack.step = ""
        pack.finished_at = timezone.now()
        pack.save()
    return pack


# --- The beat's hourly run -----------------------------------------------------------------------


def due_mail_send(now: datetime | None = None) -> dict[str, int]:
    """Convocation reminders and à froid questionnaires that are due; safe to run twice."""
    return {"reminders": reminders_send(now), "cold_surveys": cold_surveys_send(now)}


def planned_hours(session: TrainingSession) -> Decimal:
    return selectors.hours(sum(slot.minutes for slot in session.slots.all()))
