"""One function per permission question of the practice logbook, for services, views, templates.

A trainee sees their own logbook; a trainer sees the logbooks of the trainees assigned to them;
committee members read every logbook; nobody else sees anything (views answer 404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from institut.roles import is_committee_member, is_trainee, is_trainer

if TYPE_CHECKING:
    from institut.models import User
    from supervision.logbook.models import PeriodSummary, PracticeEntry


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def supervises(user: User, trainee_id: int) -> bool:
    """Is this user an assigned supervisor (a trainer) of the trainee?"""
    from supervision.models import SupervisorAssignment

    if not (_active(user) and is_trainer(user)) or user.pk == trainee_id:
        return False
    return SupervisorAssignment.objects.filter(trainee_id=trainee_id, supervisor=user).exists()


def can_keep_logbook(user: User) -> bool:
    """Trainees keep a practice logbook."""
    return _active(user) and is_trainee(user)


def can_review_logbooks(user: User) -> bool:
    """Trainers have a review queue (empty until trainees are assigned to them)."""
    return _active(user) and is_trainer(user)


def can_read_all_logbooks(user: User) -> bool:
    """Committee members read every logbook, without changing anything."""
    return _active(user) and is_committee_member(user)


def _reads_logbook_of(user: User, trainee_id: int) -> bool:
    """May the user read this trainee's logbook (its entries, its period summaries)?"""
    if not _active(user):
        return False
    return user.pk == trainee_id or supervises(user, trainee_id) or can_read_all_logbooks(user)


def can_view_logbook(user: User, trainee: User) -> bool:
    """The trainee, their assigned supervisors, and the committee."""
    return _reads_logbook_of(user, trainee.pk)


def can_view_entry(user: User, entry: PracticeEntry) -> bool:
    """Any entry of a logbook the user reads, but a deleted draft."""
    return entry.status != entry.Status.DELETED and _reads_logbook_of(user, entry.trainee_id)


def can_edit_entry(user: User, entry: PracticeEntry) -> bool:
    """The trainee edits their own draft or returned entry (approved ones are locked)."""
    return (
        can_keep_logbook(user)
        and entry.trainee_id == user.pk
        and entry.status in (entry.Status.DRAFT, entry.Status.RETURNED)
    )


def can_delete_entry(user: User, entry: PracticeEntry) -> bool:
    """The trainee deletes their own drafts, and nothing else."""
    return entry.trainee_id == user.pk and entry.status == entry.Status.DRAFT


def can_submit_entry(user: User, entry: PracticeEntry) -> bool:
    return can_edit_entry(user, entry)


def can_review_entry(user: User, entry: PracticeEntry) -> bool:
    """An assigned supervisor reviews a submitted entry; never their own."""
    return (
        entry.status == entry.Status.SUBMITTED
        and entry.trainee_id != user.pk
        and supervises(user, entry.trainee_id)
    )


def can_correct_entry(user: User, entry: PracticeEntry) -> bool:
    """The trainee corrects their own approved entry, once (a correction is itself corrected)."""
    if not (can_keep_logbook(user) and entry.trainee_id == user.pk and entry.is_locked):
        return False
    return not entry.corrections.exists()


def can_close_period(user: User) -> bool:
    return can_keep_logbook(user)


def can_view_period(user: User, period: PeriodSummary) -> bool:
    return _reads_logbook_of(user, period.trainee_id)


def can_confirm_period(user: User, period: PeriodSummary) -> bool:
    """An assigned supervisor signs a closed period summary."""
    return (
        period.status == period.Status.CLOSED
        and period.trainee_id != user.pk
        and supervises(user, period.trainee_id)
    )
