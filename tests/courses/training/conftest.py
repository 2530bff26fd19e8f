"""Fixtures of in-person training: a course, a session of half-days a few days ahead, placed
trainees, and helpers to move the clock into a half-day."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from courses import services as course_services
from courses.training import services
from courses.training.models import TrainingSlot
from courses.training.services import HalfDay, SessionData
from institut.roles import Role
from tests.courses.conftest import build_course
from tests.factories import UserFactory

MORNING = (time(9), time(12, 30))
AFTERNOON = (time(13, 30), time(17))


def half_days(first_day, days: int = 3) -> list[HalfDay]:
    halves = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        halves.append(HalfDay(day, "morning", *MORNING))
        halves.append(HalfDay(day, "afternoon", *AFTERNOON))
    return halves


def first_day(days_ahead: int = 3):
    return timezone.localdate() + timedelta(days=days_ahead)


def make_session(
    course, trainer, *, days: int = 3, days_ahead: int = 3, capacity: int = 12, **extra
):
    data = SessionData(
        course=course,
        mode=extra.pop("mode", "in_person"),
        capacity=capacity,
        half_days=half_days(first_day(days_ahead), days),
        trainers=[trainer],
        address=extra.pop("address", "12 rue de la Roquette, 75011 Paris"),
        room=extra.pop("room", "Salle Jean Moulin"),
        **extra,
    )
    return services.session_create(actor=trainer, data=data)


def enrol(user, course):
    return course_services.enrolment_create(user=user, course=course)


def place(session, trainee, course=None, *, actor=None):
    from courses.models import Enrolment

    if not Enrolment.objects.filter(user=trainee, course_key=session.course_key).exists():
        enrol(trainee, course)
    return services.placement_create(actor=actor or trainee, session=session, trainee=trainee)


def slots(session) -> list[TrainingSlot]:
    return list(TrainingSlot.objects.filter(session=session).select_related("session"))


def during(slot, minutes: int = 5):
    """A moment inside the half-day (so many minutes after its start)."""
    return slot.starts_at + timedelta(minutes=minutes)


@pytest.fixture
def course(catalogue):
    return build_course(catalogue, title="Les fondamentaux de la Thérapie Sociale", lessons=1)


@pytest.fixture
def session(course, trainer):
    return make_session(course, trainer)


@pytest.fixture
def placed(session, course, trainee):
    return place(session, trainee, course)


@pytest.fixture
def staff(db):
    return UserFactory(
        full_name="Équipe formation", is_staff=True, is_superuser=True, second_factor=True
    )


@pytest.fixture
def third_trainee(db):
    return UserFactory(full_name="Inès Lambert", roles=[Role.TRAINEE])
