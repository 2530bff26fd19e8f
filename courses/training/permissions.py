"""One function per permission question about training sessions, for views, services, templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from institut.roles import is_trainee, is_trainer

if TYPE_CHECKING:
    from courses.training.models import CompletionCertificate, SessionPlacement, TrainingSession
    from institut.models import User


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_training(user: User) -> bool:
    """Staff who run every session: BPF, evidence packs, placements, any session's sheets."""
    return _active(user) and (user.is_superuser or user.has_perm("courses.change_trainingsession"))


def can_create_sessions(user: User) -> bool:
    """Trainers create sessions they lead; staff create any session."""
    return _active(user) and (is_trainer(user) or can_manage_training(user))


def leads(user: User, session: TrainingSession) -> bool:
    """Is this person one of the session's trainers? (Uses a prefetched trainers list if any.)"""
    if not _active(user):
        return False
    cache = getattr(session, "_prefetched_objects_cache", {})
    if "trainers" in cache:
        return any(trainer.pk == user.pk for trainer in cache["trainers"])
    return session.trainers.filter(pk=user.pk).exists()


def can_manage_session(user: User, session: TrainingSession) -> bool:
    """Edit, take attendance, sign sheets, close, read satisfaction: its trainers and staff."""
    return can_manage_training(user) or (is_trainer(user) and leads(user, session))


def can_sign_as_trainer(user: User, session: TrainingSession) -> bool:
    """Only a trainer of the session signs its sheets (staff do not sign for them)."""
    return is_trainer(user) and leads(user, session)


def can_be_placed(user: User) -> bool:
    return _active(user) and is_trainee(user)


def can_read_documents(user: User, placement: SessionPlacement) -> bool:
    """« Mes documents » of a session (its programme, the convocations sent for this place):
    the trainee who holds the place, or held it before it was cancelled (by them or with the
    session). A waitlist place that never became one was sent nothing. The session page, its
    downloads and « Mes sessions » all ask this."""
    return (
        _active(user)
        and placement.trainee_id == user.pk
        and (placement.is_placed or placement.placed_at is not None)
    )


def can_download_certificate(user: User, certificate: CompletionCertificate) -> bool:
    """The trainee it names, and staff."""
    return _active(user) and (certificate.trainee_id == user.pk or can_manage_training(user))
