"""One function per permission question, used by services, views and templates alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from institut.roles import is_trainee, is_trainer

if TYPE_CHECKING:
    from institut.models import User
    from supervision.models import Booking, SupervisionRecord, SupervisionSession


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_create_sessions(user: User) -> bool:
    return _active(user) and is_trainer(user)


def can_manage_session(user: User, session: SupervisionSession) -> bool:
    """Edit, cancel and see the bookings of a session: its own trainer only."""
    return can_create_sessions(user) and session.trainer_id == user.pk


def is_assigned_to(trainee: User, supervisor_id: int) -> bool:
    from supervision.models import SupervisorAssignment

    return SupervisorAssignment.objects.filter(
        trainee=trainee, supervisor_id=supervisor_id
    ).exists()


def may_book_audience(user: User, session: SupervisionSession) -> bool:
    """Is the trainee in the session's audience (all trainees, or the trainer's own)?"""
    from supervision.models import SupervisionSession

    if session.audience == SupervisionSession.Audience.ALL_TRAINEES:
        return True
    return is_assigned_to(user, session.trainer_id)


def can_book(user: User, session: SupervisionSession) -> bool:
    return (
        _active(user)
        and is_trainee(user)
        and session.trainer_id != user.pk
        and may_book_audience(user, session)
    )


def holds_place(user: User, session: SupervisionSession) -> bool:
    from supervision.models import Booking

    return (
        _active(user)
        and session.bookings.filter(trainee=user, status__in=Booking.HOLDING_PLACE).exists()
    )


def can_view_session(user: User, session: SupervisionSession) -> bool:
    """Its trainer, people who may book it, and people who have (had) a booking in it."""
    if not _active(user):
        return False
    if can_manage_session(user, session):
        return True
    if session.bookings.filter(trainee=user).exists():
        return True
    return can_book(user, session)


def can_see_video_link(user: User, session: SupervisionSession) -> bool:
    """The video link is for the trainer and the people holding a place, nobody else."""
    return can_manage_session(user, session) or holds_place(user, session)


def can_view_booking(user: User, booking: Booking) -> bool:
    return _active(user) and (
        booking.trainee_id == user.pk or booking.session.trainer_id == user.pk
    )


def can_cancel_booking(user: User, booking: Booking) -> bool:
    """The trainee cancels their own booking; the trainer may cancel one in their session."""
    return can_view_booking(user, booking)


def can_take_attendance(user: User, session: SupervisionSession) -> bool:
    """The session's own trainer, once the session has started and if it was not cancelled."""
    return (
        can_manage_session(user, session)
        and not session.is_cancelled
        and session.starts_at <= timezone.now()
    )


def can_correct_record(user: User, record: SupervisionRecord) -> bool:
    return can_manage_session(user, record.session)


def can_view_supervision_hours(user: User, trainee: User) -> bool:
    """The trainee, and the trainers who supervise them."""
    if not _active(user):
        return False
    return user.pk == trainee.pk or (is_trainer(user) and is_assigned_to(trainee, user.pk))
