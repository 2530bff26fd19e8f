"""Builders for certification tests: a small scheme, and the records that meet it."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from certification import services
from certification.credentials import multikey
from certification.models import CertificationScheme, CharterVersion
from courses import services as course_services
from courses.models import LessonPage
from institut.method import Step
from supervision import services as supervision_services
from supervision.models import SupervisionSession
from tests.supervision.factories import SessionFactory
from tests.supervision.logbook.helpers import assign, days_ago, make_entry

PRACTICE_HOURS = 10  # total needed
STEP_HOURS = 1  # needed per step
SUPERVISION_HOURS = 2


def make_scheme(*, course_keys=(), **overrides) -> CertificationScheme:
    fields = {
        "required_course_keys": [str(key) for key in course_keys],
        "min_practice_hours": PRACTICE_HOURS,
        "min_supervision_hours": SUPERVISION_HOURS,
        "validity_years": 3,
        "renewal_supervision_hours": 2,
        **{f"min_hours_{step.value}": STEP_HOURS for step in Step},
    }
    fields.update(overrides)
    return CertificationScheme.objects.create(**fields)


def make_charter(version: int = 1) -> CharterVersion:
    return CharterVersion.objects.create(
        version=version,
        body="Je me place au service de toutes les parties et je garantis la confidentialité.",
        published_on=timezone.localdate() - timedelta(days=1),
    )


def complete_course(user, course) -> None:
    course_services.enrolment_create(user=user, course=course)
    for lesson in LessonPage.objects.child_of(course).live():
        course_services.lesson_mark_done(user=user, lesson=lesson)


def approve_practice(trainee, supervisor, *, steps, hours: float, days: int = 3):
    """One approved logbook entry of `hours`, practising these steps."""
    return make_entry(
        trainee,
        "approved",
        reviewer=supervisor,
        steps=list(steps),
        duration_minutes=int(hours * 60),
        date=days_ago(days),
    )


def attend_supervision(trainee, trainer, *, hours: float = 2, days_ago_: int = 2):
    """A past session of `hours` that the trainee attended (attendance taken by the trainer)."""
    starts = timezone.now() - timedelta(days=days_ago_)
    session = SessionFactory(
        trainer=trainer,
        kind=SupervisionSession.Kind.INDIVIDUAL,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=int(hours * 60)),
        capacity=1,
    )
    booking = supervision_services.booking_record_held(
        session=session, trainee=trainee, actor=trainer
    )
    return supervision_services.attendance_take(
        session=session,
        actor=trainer,
        marks=[supervision_services.AttendanceMark(booking_id=booking.pk, attended=True)],
    )


def make_eligible(trainee, supervisor, *, course, charter) -> None:
    """Every requirement of make_scheme() met: course, 14 h over seven steps, 2 h supervision."""
    assign(trainee, supervisor)
    complete_course(trainee, course)
    for index, step in enumerate(Step):
        approve_practice(trainee, supervisor, steps=[step.value], hours=2, days=3 + index)
    attend_supervision(trainee, supervisor, hours=SUPERVISION_HOURS)
    services.charter_accept(user=trainee, charter=charter)


def favourable_opinion(application, supervisor):
    """The supervisor's opinion that the scheme requires before a first grant."""
    return services.opinion_give(
        application=application,
        supervisor=supervisor,
        verdict="favourable",
        text="Pratique régulière et réfléchie des sept étapes, supervisée depuis un an.",
    )


def secret_key_for(name: str) -> str:
    """A signing key (secret Multikey) derived from a name: the same in every run."""
    seed = hashlib.sha256(f"institut-test-key:{name}".encode()).digest()
    return multikey.secret_multikey(Ed25519PrivateKey.from_private_bytes(seed))
