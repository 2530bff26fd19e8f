"""Progress under concurrent requests: one row (a transactional test, apart so that the other
progress tests share their module's home pages)."""

from __future__ import annotations

import pytest

from courses.models import (
    EnrolmentEvent,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    TrainingAttestation,
)
from courses.services import enrolment_create, lesson_mark_done
from tests.concurrency import run_together
from tests.courses.conftest import build_course, lessons_of

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_writes_one_row_for_two_concurrent_requests_on_postgres(trainee, catalogue):
    course = build_course(catalogue, lessons=1)
    enrolment_create(user=trainee, course=course)
    lesson = LessonPage.objects.get(pk=lessons_of(course)[0].pk)
    results = run_together(2, lambda _i: lesson_mark_done(user=trainee, lesson=lesson))
    errors = [result for result in results if isinstance(result, BaseException)]
    assert errors == []
    assert LessonProgress.objects.filter(user=trainee).count() == 1
    assert EnrolmentEvent.objects.filter(to_status=EnrolmentStatus.COMPLETED).count() == 1
    assert TrainingAttestation.objects.count() == 1
