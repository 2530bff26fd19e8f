"""Sessions held in the past, written straight to the tables (the services refuse the past), for
the tests of the results published on the course pages (Qualiopi indicator 2)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from courses import services as course_services
from courses.training.models import (
    Attendance,
    SatisfactionAnswer,
    SatisfactionKind,
    SatisfactionQuestion,
    SatisfactionRequest,
    SatisfactionResponse,
    SessionPlacement,
    TrainingSession,
    TrainingSlot,
)
from institut.roles import Role
from tests.factories import UserFactory

_numbers = itertools.count(1)


def held_session(
    course,
    trainer,
    *,
    ended_days_ago: float,
    attended: list[bool] = (),
    scores: list[list[int] | int] = (),
    status: str = "closed",
    kind: str = SatisfactionKind.HOT,
) -> TrainingSession:
    """A session of two half-days whose last one ended so many days ago. ``attended`` has one
    entry per trainee (present at both half-days, or absent from the second); ``scores`` one
    entry per response, given by the first trainees: a list of scores (one per active scale
    question, in order) or a single score for every question."""
    end = timezone.now() - timedelta(days=ended_days_ago)
    session = TrainingSession.objects.create(
        course_key=course.translation_key,
        course_title=course.title,
        capacity=30,
        status=status,
        created_by=trainer,
    )
    slots = [
        TrainingSlot.objects.create(
            session=session,
            date=timezone.localdate(end - timedelta(hours=4)),
            period=period,
            starts_at=end - timedelta(hours=hours),
            ends_at=end - timedelta(hours=hours - 3),
        )
        for period, hours in (("morning", 8), ("afternoon", 3))
    ]
    trainees = max(len(attended), len(scores))
    attended = list(attended) + [True] * (trainees - len(attended))
    questions = list(
        SatisfactionQuestion.objects.filter(kind=kind, is_active=True, answer_type="scale")
    )
    for index in range(trainees):
        placement = _placement(course, session, trainer)
        for slot_index, slot in enumerate(slots):
            present = attended[index] or slot_index == 0
            Attendance.objects.create(
                slot=slot,
                placement=placement,
                trainee=placement.trainee,
                status="present" if present else "absent",
                method="trainer",
                recorded_by=trainer,
                sheet_hash="0" * 64,
            )
        if index < len(scores):
            respond(placement, scores[index], questions, kind=kind)
    return session


def _placement(course, session, trainer) -> SessionPlacement:
    trainee = UserFactory(full_name=f"Stagiaire {next(_numbers)}", roles=[Role.TRAINEE])
    enrolment = course_services.enrolment_create(user=trainee, course=course)
    return SessionPlacement.objects.create(
        session=session,
        trainee=trainee,
        enrolment=enrolment,
        status="placed",
        placed_at=timezone.now(),
    )


def respond(placement, scores, questions=None, *, kind=SatisfactionKind.HOT):
    """The trainee's answers: one score per scale question (or the same for each)."""
    if questions is None:
        questions = list(
            SatisfactionQuestion.objects.filter(kind=kind, is_active=True, answer_type="scale")
        )
    if isinstance(scores, int):
        scores = [scores] * len(questions)
    request = SatisfactionRequest.objects.create(
        placement=placement, kind=kind, token=f"token-{next(_numbers)}"
    )
    response = SatisfactionResponse.objects.create(
        request=request, session=placement.session, kind=kind
    )
    SatisfactionAnswer.objects.bulk_create(
        SatisfactionAnswer(response=response, question=q, question_text=q.text, score=s)
        for q, s in zip(questions, scores, strict=False)
    )
    return response
