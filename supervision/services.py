"""Every state change of the supervision app: sessions, series, bookings, attendance, feeds.

Each service takes the actor, checks permission and transition, writes the record and its audit
row in one transaction, and owes its e-mails to the outbox (institut.outbox) in that transaction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from institut.locks import require_atomic
from institut.places import waitlist_end
from institut.reasons import Reason, reason_columns
from supervision import notifications, permissions, signals
from supervision.models import (
    Booking,
    CalendarFeed,
    SessionSeries,
    SupervisionEvent,
    SupervisionRecord,
    SupervisionSession,
    SupervisorAssignment,
    new_feed_token,
)
from supervision.reasons import supervision_reason

if TYPE_CHECKING:
    from institut.models import User

BookingStatus = Booking.Status
SessionStatus = SupervisionSession.Status

# The one table of allowed state changes, checked in _move(). None is "not created yet".
TRANSITIONS: dict[type, set[tuple[str | None, str]]] = {
    SupervisionSession: {
        (None, SessionStatus.SCHEDULED),
        (SessionStatus.SCHEDULED, SessionStatus.CANCELLED),
    },
    Booking: {
        (None, BookingStatus.BOOKED),
        (None, BookingStatus.WAITLISTED),
        (BookingStatus.WAITLISTED, BookingStatus.BOOKED),
        (BookingStatus.WAITLISTED, BookingStatus.CANCELLED),
        (BookingStatus.BOOKED, BookingStatus.CANCELLED),
        (BookingStatus.BOOKED, BookingStatus.ATTENDED),
        (BookingStatus.BOOKED, BookingStatus.ABSENT),
        # Corrections of attendance (always through a new SupervisionRecord).
        (BookingStatus.ATTENDED, BookingStatus.ABSENT),
        (BookingStatus.ABSENT, BookingStatus.ATTENDED),
    },
}


class TransitionError(ValidationError):
    """A state change that the transition table does not allow."""


class BookingError(ValidationError):
    """A booking or cancellation refused for a reason the trainee should read."""


def cancellation_window() -> timedelta:
    return timedelta(hours=settings.SUPERVISION_CANCELLATION_WINDOW_HOURS)


def started_session_refusal() -> str:
    """Why the times of a session that has started cannot change any more."""
    return _(
        "Cette séance a déjà commencé : son horaire et sa durée ne peuvent plus "
        "être modifiés. Pour corriger le temps d'une personne, corrigez son relevé "
        "de présence."
    )


def _length_error(starts_at: datetime, ends_at: datetime) -> str | None:
    """Why a session from starts_at to ends_at is too long, or None."""
    hours = settings.SUPERVISION_SESSION_MAX_HOURS
    if ends_at - starts_at > timedelta(hours=hours):
        return _("Une séance de supervision dure au plus %(hours)s heures.") % {"hours": hours}
    return None


def _move(
    obj: SupervisionSession | Booking,
    to: str,
    *,
    actor: User | None,
    action: str,
    reason: str | Reason = "",
) -> None:
    """Change obj's status if the table allows it, save it and write the audit row."""
    from_status = None if obj._state.adding else obj.status
    if (from_status, to) not in TRANSITIONS[type(obj)]:
        raise TransitionError(
            _("Ce changement d'état n'est pas possible (%(from)s → %(to)s).")
            % {"from": from_status or "-", "to": to}
        )
    obj.status = to
    obj.save()
    session = obj if isinstance(obj, SupervisionSession) else obj.session
    SupervisionEvent.objects.create(
        session=session,
        booking=obj if isinstance(obj, Booking) else None,
        actor=actor,
        action=action,
        from_status=from_status or "",
        to_status=to,
        **reason_columns(reason),
    )


def _notify(booking: Booking, kind: str) -> None:
    """Owe the trainee the e-mail of this change, in the change's transaction (the outbox)."""
    from supervision import notifications

    notifications.booking_email_enqueue(booking, kind)


# --- Supervisor assignments -------------------------------------------------------------------


@transaction.atomic
def supervisor_assign(
    *, trainee: User, supervisor: User, assigned_by: User | None
) -> SupervisorAssignment:
    """Make `supervisor` one of the trainee's supervisors (idempotent)."""
    from institut.roles import is_trainee, is_trainer

    if not is_trainee(trainee):
        raise ValidationError(_("La personne supervisée doit être stagiaire."))
    if not is_trainer(supervisor):
        raise ValidationError(_("Le ou la superviseur·e doit être formateur·rice."))
    if trainee.pk == supervisor.pk:
        raise ValidationError(_("Une personne ne peut pas se superviser elle-même."))
    assignment, _created = SupervisorAssignment.objects.get_or_create(
        trainee=trainee, supervisor=supervisor, defaults={"assigned_by": assigned_by}
    )
    return assignment


@transaction.atomic
def supervisor_unassign(*, assignment: SupervisorAssignment) -> None:
    """End a supervision relationship (past sessions and records are kept)."""
    assignment.delete()


# --- Sessions and series ------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionData:
    """What a trainer says about a session; validated by the form, checked again here."""

    kind: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    capacity: int
    audience: str = SupervisionSession.Audience.ALL_TRAINEES
    title: str = ""
    address: str = ""
    video_url: str = ""
    minimum_participants: int | None = None
    description: str = ""
    steps: list[str] = dataclass_field(default_factory=list)


def check_session_data(data: SessionData, *, now: datetime | None = None) -> None:
    errors = {}
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("La fin doit être après le début.")
    elif too_long := _length_error(data.starts_at, data.ends_at):
        errors["ends_at"] = too_long
    if data.starts_at <= (now or timezone.now()):
        errors["starts_at"] = _("La séance ne peut pas commencer dans le passé.")
    if data.capacity < 1:
        errors["capacity"] = _("Il faut au moins une place.")
    if data.kind == SupervisionSession.Kind.INDIVIDUAL and data.capacity != 1:
        errors["capacity"] = _("Une séance individuelle compte exactement une place.")
    if data.minimum_participants is not None and data.minimum_participants > data.capacity:
        errors["minimum_participants"] = _(
            "Le minimum de participant·es ne peut pas dépasser le nombre de places."
        )
    if data.mode == SupervisionSession.Mode.IN_PERSON and not data.address.strip():
        errors["address"] = _("Indiquez l'adresse de la séance en présentiel.")
    if data.mode == SupervisionSession.Mode.REMOTE and not data.video_url.strip():
        errors["video_url"] = _("Indiquez le lien de visioconférence de la séance à distance.")
    if errors:
        raise ValidationError(errors)


def _new_session(*, trainer: User, data: SessionData, series: SessionSeries | None = None):
    if too_long := _length_error(data.starts_at, data.ends_at):
        # A series steps in local time: a daylight-saving change can lengthen one occurrence.
        raise ValidationError({"ends_at": too_long})
    session = SupervisionSession(trainer=trainer, series=series, **asdict(data))
    _move(session, SessionStatus.SCHEDULED, actor=trainer, action="session_created")
    return session


@transaction.atomic
def session_create(*, trainer: User, data: SessionData) -> SupervisionSession:
    """Publish one supervision session."""
    if not permissions.can_create_sessions(trainer):
        raise PermissionDenied
    check_session_data(data)
    return _new_session(trainer=trainer, data=data)


@transaction.atomic
def series_create(
    *, trainer: User, data: SessionData, frequency: str, occurrences: int
) -> SessionSeries:
    """Publish a weekly or fortnightly series of `occurrences` sessions in one go."""
    if not permissions.can_create_sessions(trainer):
        raise PermissionDenied
    if not 2 <= occurrences <= 52:
        raise ValidationError({"occurrences": _("Une série compte de 2 à 52 séances.")})
    check_session_data(data)
    series = SessionSeries.objects.create(
        trainer=trainer, frequency=frequency, occurrences=occurrences
    )
    zone = trainer.zone
    for index in range(occurrences):
        # Step in local time so that a series keeps its hour across daylight-saving changes.
        shift = timedelta(days=series.interval_days * index)
        starts = (timezone.localtime(data.starts_at, zone) + shift).replace(tzinfo=None)
        ends = (timezone.localtime(data.ends_at, zone) + shift).replace(tzinfo=None)
        values = {
            **asdict(data),
            "starts_at": timezone.make_aware(starts, zone),
            "ends_at": timezone.make_aware(ends, zone),
        }
        _new_session(trainer=trainer, data=SessionData(**values), series=series)
    return series


SIGNIFICANT_FIELDS = ("starts_at", "ends_at", "mode", "address", "video_url")


@transaction.atomic
def session_update(
    *, session: SupervisionSession, actor: User, data: SessionData
) -> SupervisionSession:
    """Change a scheduled session; participants receive the updated calendar entry."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_manage_session(actor, session) or session.is_cancelled:
        raise PermissionDenied
    if session.has_started and (
        data.starts_at != session.starts_at or data.ends_at != session.ends_at
    ):
        raise ValidationError({"ends_at": started_session_refusal()})
    check_session_data(data)
    held = session.bookings.filter(status__in=Booking.HOLDING_PLACE).count()
    if data.capacity < held:
        raise ValidationError(
            {
                "capacity": _(
                    "%(count)s personnes ont déjà réservé : gardez au moins autant de places."
                )
                % {"count": held}
            }
        )
    significant = any(getattr(session, f) != getattr(data, f) for f in SIGNIFICANT_FIELDS)
    for field, value in asdict(data).items():
        setattr(session, field, value)
    if significant:
        session.sequence += 1
    session.save()
    SupervisionEvent.objects.create(session=session, actor=actor, action="session_updated")
    if significant:
        # A new time deserves a new reminder, and everyone booked a new invitation.
        session.bookings.filter(status=BookingStatus.BOOKED).update(reminder_sent_at=None)
        for booking in session.bookings.filter(status=BookingStatus.BOOKED):
            _notify(booking, notifications.UPDATED)
    _promote_waitlist(session, actor=actor)
    return session


def _cancel_session(session: SupervisionSession, *, actor: User, reason: str) -> None:
    session.sequence += 1
    session.cancellation_reason = reason
    session.cancelled_at = timezone.now()
    _move(session, SessionStatus.CANCELLED, actor=actor, action="session_cancelled", reason=reason)
    for booking in session.bookings.filter(
        status__in=(BookingStatus.BOOKED, BookingStatus.WAITLISTED)
    ):
        was_booked = booking.status == BookingStatus.BOOKED
        booking.cancelled_at = session.cancelled_at
        booking.waitlist_position = None
        _move(
            booking, BookingStatus.CANCELLED, actor=actor, action="session_cancelled", reason=reason
        )
        _notify(
            booking,
            notifications.SESSION_CANCELLED
            if was_booked
            else notifications.WAITLIST_SESSION_CANCELLED,
        )


@transaction.atomic
def session_cancel(*, session: SupervisionSession, actor: User, reason: str) -> SupervisionSession:
    """Cancel a session with a reason; everyone booked or waiting is told."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_manage_session(actor, session):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    if session.has_started:
        raise ValidationError(_("Une séance commencée ne peut plus être annulée."))
    _cancel_session(session, actor=actor, reason=reason.strip())
    return session


@transaction.atomic
def series_cancel(*, series: SessionSeries, actor: User, reason: str) -> int:
    """Cancel every upcoming scheduled session of a series; returns how many were cancelled."""
    if actor.pk != series.trainer_id:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    sessions = list(
        series.sessions.select_for_update().scheduled().upcoming().order_by("starts_at")
    )
    for session in sessions:
        _cancel_session(session, actor=actor, reason=reason.strip())
    return len(sessions)


# --- Bookings ---------------------------------------------------------------------------------


def _overlapping(trainee: User, session: SupervisionSession):
    return Booking.objects.filter(
        trainee=trainee,
        status__in=(BookingStatus.BOOKED, BookingStatus.WAITLISTED),
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__lt=session.ends_at,
        session__ends_at__gt=session.starts_at,
    ).exclude(session=session)


@transaction.atomic
def booking_create(*, session: SupervisionSession, trainee: User) -> Booking:
    """Book a place, or join the waitlist when the session is full."""
    User = get_user_model()
    # Lock order everywhere: the trainee, then the session. The trainee lock stops two
    # overlapping bookings racing; the session lock stops the capacity being exceeded.
    User.objects.select_for_update().filter(pk=trainee.pk).first()
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_book(trainee, session):
        raise BookingError(_("Vous ne pouvez pas réserver cette séance."))
    if session.is_cancelled or session.has_started:
        raise BookingError(_("Cette séance n'est plus ouverte à la réservation."))
    if session.bookings.active().filter(trainee=trainee).exists():
        raise BookingError(_("Vous avez déjà une réservation pour cette séance."))
    if _overlapping(trainee, session).exists():
        raise BookingError(
            _("Vous avez déjà une réservation sur un créneau qui chevauche cette séance.")
        )
    held = session.bookings.filter(status__in=Booking.HOLDING_PLACE).count()
    booking = Booking(session=session, trainee=trainee)
    if held < session.capacity:
        _move(booking, BookingStatus.BOOKED, actor=trainee, action="booked")
        _notify(booking, notifications.CONFIRMED)
    else:
        booking.waitlist_position = waitlist_end(
            session.bookings.filter(status=BookingStatus.WAITLISTED)
        )
        _move(booking, BookingStatus.WAITLISTED, actor=trainee, action="waitlisted")
        _notify(booking, notifications.WAITLISTED)
    return booking


@transaction.atomic
def booking_record_held(*, session: SupervisionSession, trainee: User, actor: User) -> Booking:
    """Record that a trainee had a place in a session already held (history brought in after
    the fact); attendance is then taken with attendance_take. Trainees book ahead with
    booking_create."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_take_attendance(actor, session):
        raise PermissionDenied
    if session.bookings.active().filter(trainee=trainee).exists():
        raise BookingError(_("Vous avez déjà une réservation pour cette séance."))
    booking = Booking(session=session, trainee=trainee)
    _move(booking, BookingStatus.BOOKED, actor=actor, action="recorded")
    return booking


def _promote_waitlist(session: SupervisionSession, *, actor: User | None) -> list[Booking]:
    """Give free places to the first people waiting (session row already locked)."""
    require_atomic("_promote_waitlist")
    if session.is_cancelled or session.has_started:
        return []
    held = session.bookings.filter(status__in=Booking.HOLDING_PLACE).count()
    free = session.capacity - held
    if free <= 0:
        return []
    promoted = list(
        session.bookings.filter(status=BookingStatus.WAITLISTED).order_by("waitlist_position")[
            :free
        ]
    )
    for booking in promoted:
        booking.waitlist_position = None
        _move(booking, BookingStatus.BOOKED, actor=actor, action="promoted_from_waitlist")
        _notify(booking, notifications.PROMOTED)
    return promoted


def cancellation_is_late(booking: Booking, *, now: datetime | None = None) -> bool:
    """Whether cancelling this booking now would be recorded as late (a place, not a waitlist)."""
    now = now or timezone.now()
    return (
        booking.status == BookingStatus.BOOKED
        and now > booking.session.starts_at - cancellation_window()
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User, now: datetime | None = None) -> Booking:
    """Cancel a booking or leave the waitlist; late when inside the cancellation window."""
    session = SupervisionSession.objects.select_for_update().get(pk=booking.session_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    booking.session = session
    if not permissions.can_cancel_booking(actor, booking):
        raise PermissionDenied
    now = now or timezone.now()
    if booking.status not in (BookingStatus.BOOKED, BookingStatus.WAITLISTED):
        raise BookingError(_("Cette réservation ne peut plus être annulée."))
    if session.starts_at <= now:
        raise BookingError(_("La séance a commencé : elle ne peut plus être annulée."))
    was_booked = booking.status == BookingStatus.BOOKED
    booking.cancelled_late = cancellation_is_late(booking, now=now)
    booking.cancelled_at = now
    booking.waitlist_position = None
    if was_booked:
        booking.sequence += 1
    _move(
        booking,
        BookingStatus.CANCELLED,
        actor=actor,
        action="booking_cancelled",
        reason=supervision_reason("late_cancellation") if booking.cancelled_late else "",
    )
    if was_booked:
        _notify(booking, notifications.BOOKING_CANCELLED)
        _promote_waitlist(session, actor=actor)
    return booking


# --- Attendance and records -------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceMark:
    """The trainer's mark for one booking: present or not, and the real duration if known."""

    booking_id: int
    attended: bool
    minutes: int | None = None


@transaction.atomic
def attendance_take(
    *, session: SupervisionSession, actor: User, marks: list[AttendanceMark]
) -> list[SupervisionRecord]:
    """Mark each booked trainee attended or absent; attended time becomes supervision hours."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_take_attendance(actor, session):
        raise PermissionDenied
    bookings = {
        b.pk: b for b in session.bookings.select_for_update().filter(status=BookingStatus.BOOKED)
    }
    records = []
    for mark in marks:
        booking = bookings.get(mark.booking_id)
        if booking is None:
            raise ValidationError(_("Cette réservation ne fait pas partie de la séance."))
        minutes = _credited_minutes(session, mark.attended, mark.minutes)
        status = BookingStatus.ATTENDED if mark.attended else BookingStatus.ABSENT
        _move(booking, status, actor=actor, action="attendance_taken")
        records.append(
            SupervisionRecord.objects.create(
                booking=booking,
                session=session,
                trainee_id=booking.trainee_id,
                kind=session.kind,
                status=status,
                minutes=minutes,
                recorded_by=actor,
            )
        )
    if not session.bookings.filter(status=BookingStatus.BOOKED).exists():
        session.attendance_taken_at = timezone.now()
        session.save(update_fields=["attendance_taken_at", "updated_at"])
    _announce(records)
    return records


def _credited_minutes(session: SupervisionSession, attended: bool, minutes: int | None) -> int:
    """The minutes an attendance credits: those given, or the whole session; never more."""
    if not attended:
        return 0
    most = session.creditable_minutes
    if minutes is not None and minutes > most:
        raise ValidationError(
            {
                "minutes": _(
                    "%(minutes)s minutes, c'est plus que la séance (%(most)s minutes au plus)."
                )
                % {"minutes": minutes, "most": most}
            }
        )
    return minutes or most


def _announce(records: list[SupervisionRecord]) -> None:
    """Tell other apps, once committed, that these trainees' supervision hours changed."""
    if records:
        trainee_ids = sorted({record.trainee_id for record in records})
        transaction.on_commit(
            lambda: signals.attendance_recorded.send(
                sender=SupervisionRecord, records=records, trainee_ids=trainee_ids
            )
        )


@transaction.atomic
def supervision_record_correct(
    *, record: SupervisionRecord, actor: User, attended: bool, minutes: int | None, reason: str
) -> SupervisionRecord:
    """Replace a record by a new one pointing at it, saying who corrected it and why."""
    record = SupervisionRecord.objects.select_for_update().get(pk=record.pk)
    if not permissions.can_correct_record(actor, record):
        raise PermissionDenied
    if SupervisionRecord.objects.filter(supersedes=record).exists():
        raise ValidationError(_("Ce relevé a déjà été corrigé : corrigez le plus récent."))
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la correction.")})
    session = record.session
    status = BookingStatus.ATTENDED if attended else BookingStatus.ABSENT
    minutes = _credited_minutes(session, attended, minutes)
    booking = Booking.objects.select_for_update().get(pk=record.booking_id)
    if booking.status != status:
        _move(booking, status, actor=actor, action="attendance_corrected", reason=reason.strip())
    else:
        SupervisionEvent.objects.create(
            session=session,
            booking=booking,
            actor=actor,
            action="attendance_corrected",
            from_status=booking.status,
            to_status=status,
            reason=reason.strip(),
        )
    correction = SupervisionRecord.objects.create(
        booking=booking,
        session=session,
        trainee_id=record.trainee_id,
        kind=record.kind,
        status=status,
        minutes=minutes,
        recorded_by=actor,
        supersedes=record,
        reason=reason.strip(),
    )
    _announce([correction])
    return correction


# --- Calendar feed ----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """Give the person a new secret feed address (the old one stops working)."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    """Switch the person's feed off: its address answers 404 from now on."""
    CalendarFeed.objects.filter(user=user).delete()
