"""Enrolments written by the course services, for tests that start from one."""

from __future__ import annotations

from courses import services
from courses.models import CoursePage, Enrolment, EnrolmentSource, EnrolmentStatus
from courses.reasons import Reason, enrolment_reason


def enrol(
    user,
    course: CoursePage,
    *,
    status: str = EnrolmentStatus.ACTIVE,
    source: str = EnrolmentSource.FREE,
) -> Enrolment:
    """An enrolment opened by the service (rules aside, as staff or a payment would); a completed
    one reaches its status through the transition service."""
    completed = status == EnrolmentStatus.COMPLETED
    enrolment = services.enrolment_open(
        user=user,
        course=course,
        source=source,
        actor=user,
        reason=enrolment_reason("enrolled"),
        status=EnrolmentStatus.ACTIVE if completed else status,
    )
    if completed:
        complete(enrolment)
    return enrolment


def complete(enrolment: Enrolment, *, actor=None, reason: str | Reason | None = None) -> Enrolment:
    """The enrolment completed, as when its last required lesson is done (by the trainee unless
    another actor is given)."""
    return services.enrolment_transition(
        enrolment=enrolment,
        to_status=EnrolmentStatus.COMPLETED,
        actor=actor or enrolment.user,
        reason=reason or enrolment_reason("lessons_complete"),
    )


def unpublished_course(title: str) -> CoursePage:
    """A course page never saved here: an enrolment outlives its page and keeps its title."""
    return CoursePage(title=title)
