"""The training demo: a closed session with its signatures, a late arrival, an excused absence,
answers and certificates, and two upcoming sessions; loading it twice changes nothing."""

from __future__ import annotations

import pytest
from django.db.models import Count

from courses import demo as courses_demo
from courses.training import demo as training_demo
from courses.training.models import (
    Attendance,
    CompletionCertificate,
    SatisfactionKind,
    SatisfactionQuestion,
    SatisfactionResponse,
    SessionStatus,
    TrainerSignature,
    TrainingSession,
)
from home import demo as home_demo
from institut import demo as institut_demo

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module (it renders PDFs: seconds each time), in a transaction
    rolled back after its last test; each test runs in a savepoint of its own inside it, so
    what one test changes is gone for the next."""
    from django.db import transaction
    from django.test import TestCase
    from django.test.utils import override_settings
    from django.utils import translation

    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        translation.override("fr"),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        cast = institut_demo.create_accounts()
        home_demo.create_site()
        with TestCase.captureOnCommitCallbacks(execute=True):
            courses_demo.create_demo(cast)
            training_demo.create_demo(cast)
        yield cast
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_it_loads_a_closed_session_and_two_upcoming_ones_for_the_demo_people(cast):
    statuses = dict(TrainingSession.objects.values_list("title", "status"))
    assert statuses[training_demo.PAST_TITLE] == SessionStatus.CLOSED
    assert statuses[training_demo.NEXT_TITLE] == SessionStatus.CONFIRMED
    assert statuses[training_demo.REMOTE_TITLE] == SessionStatus.PLANNED
    for session in TrainingSession.objects.all():
        assert cast["trainer"] in session.trainers.all()
    assert TrainingSession.objects.filter(placements__trainee=cast["trainee"]).count() == 2
    past = TrainingSession.objects.get(title=training_demo.PAST_TITLE)
    assert TrainerSignature.objects.filter(slot__session=past).count() == 6
    assert Attendance.objects.filter(status="late").exists()
    assert Attendance.objects.filter(status="excused").exists()
    assert Attendance.objects.filter(method="trainer", status="present").exists()
    assert SatisfactionResponse.objects.filter(session=past).count() == 3
    certificates = CompletionCertificate.objects.filter(session=past)
    assert certificates.count() == 4
    assert all(certificate.pdf for certificate in certificates)
    assert certificates.get(trainee=cast["trainee"]).hours_done == 21


def test_loading_it_again_changes_nothing(cast):
    counts = TrainingSession.objects.aggregate(
        sessions=Count("pk", distinct=True), places=Count("placements", distinct=True)
    )
    rows = Attendance.objects.count()
    training_demo.create_demo(cast)
    assert (
        TrainingSession.objects.aggregate(
            sessions=Count("pk", distinct=True), places=Count("placements", distinct=True)
        )
        == counts
    )
    assert Attendance.objects.count() == rows


def test_one_course_publishes_its_results_and_the_other_has_too_few_answers(cast):
    from courses.models import CoursePage
    from courses.selectors import course_results

    def results(slug):
        course = CoursePage.objects.get(slug=slug, locale__language_code="fr")
        return course_results(course_key=course.translation_key)

    spring = results("animer-des-espaces-de-conflits-constructifs")
    # Rated on the headline question: all six would recommend it (five of six by their mean).
    assert (spring.enough, spring.responses, spring.satisfaction_rate) == (True, 6, 100)
    assert spring.by_headline
    assert (spring.placements, spring.completion_rate) == (6, 83)
    autumn = results("processus-d-intervention-en-sept-etapes")
    assert (autumn.enough, autumn.responses) == (False, 3)


def test_it_makes_the_recommendation_question_the_headline_once_and_keeps_staff_s_choice(cast):
    hot = SatisfactionQuestion.objects.filter(kind=SatisfactionKind.HOT)
    assert list(hot.filter(is_headline=True).values_list("text", flat=True)) == [
        training_demo.HEADLINE_QUESTION
    ]
    training_demo.create_demo(cast)
    assert hot.filter(is_headline=True).count() == 1
    chosen = hot.order_by("position").first()
    hot.update(is_headline=False)
    hot.filter(pk=chosen.pk).update(is_headline=True)
    training_demo.create_demo(cast)
    assert list(hot.filter(is_headline=True)) == [chosen]


def test_each_session_lasts_as_its_course_says_and_its_fundings_pay_real_money(cast):
    from courses.models import CoursePage
    from courses.payments.models import Funding, Invoice
    from courses.training.services import planned_hours

    for session in TrainingSession.objects.all():
        course = CoursePage.objects.get(
            translation_key=session.course_key, locale__language_code="fr"
        )
        assert planned_hours(session) == course.duration_hours, session.title
    spring = TrainingSession.objects.get(title=training_demo.SPRING_TITLE)
    trainees = spring.placements.values("trainee")
    fundings = Funding.objects.filter(
        enrolment__user__in=trainees, enrolment__course_key=spring.course_key
    )
    assert fundings.count() == 6
    assert set(fundings.values_list("amount_cents", flat=True)) == {spring.price_cents}
    assert spring.price_cents > 0
    assert Invoice.objects.filter(funding__in=fundings).count() == 6
    past = TrainingSession.objects.get(title=training_demo.PAST_TITLE)
    classmates = Funding.objects.filter(enrolment__course_key=past.course_key)
    assert all(funding.amount_cents > 0 for funding in classmates)
