"""The courses' part of the personal-data export, as its summary writes it for the person:
lessons and courses by their titles, quiz answers as the questions and answers read."""

from __future__ import annotations

import uuid

import pytest

from courses import services
from courses.models import (
    CompletionRule,
    Enrolment,
    EnrolmentEvent,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
)
from courses.payments.models import Payment
from courses.privacy import CoursesData
from courses.reasons import enrolment_reason
from institut.privacy.export import personal_data
from tests.courses.conftest import RIGHT, build_course, english_course, lessons_of, quiz_body
from tests.courses.factories import enrol

pytestmark = pytest.mark.django_db


def table(user, key: str, *, section: str = "formations"):
    [found_section] = [s for s in personal_data(user) if s.key == section]
    [found] = [t for t in found_section.tables if t.key == key]
    return found


def column(found, lookup: str) -> list[str]:
    index = list(found.columns).index(lookup)
    return [cells[index] for cells in found.cells]


@pytest.fixture
def lesson(catalogue, trainee):
    course = build_course(
        catalogue,
        title="Le conflit constructif",
        lessons=1,
        rules=[CompletionRule.PASS_QUIZ],
        bodies=[quiz_body()],
    )
    enrol(trainee, course)
    [lesson] = lessons_of(course)
    return lesson


def attempt(trainee, lesson, answers: dict, *, score: int) -> QuizAttempt:
    return QuizAttempt.objects.create(
        user=trainee,
        lesson_key=lesson.translation_key,
        course_key=lesson.get_parent().translation_key,
        lesson_title=lesson.title,
        number=1,
        answers=answers,
        score=score,
        pass_mark=50,
        passed=score >= 50,
    )


def test_lessons_and_courses_are_named_by_their_titles(trainee, lesson):
    keys = {"lesson_key": lesson.translation_key, "course_key": lesson.get_parent().translation_key}
    LessonProgress.objects.create(user=trainee, rule=CompletionRule.PASS_QUIZ, **keys)
    ReflectionAnswer.objects.create(user=trainee, text="Ma réflexion.", **keys)

    done = table(trainee, "lecons_terminees")
    reflections = table(trainee, "reflexions")

    assert column(done, "lesson_key") == ["Leçon 1 de Le conflit constructif"]
    assert column(done, "course_key") == ["Le conflit constructif"]
    assert column(reflections, "lesson_key") == ["Leçon 1 de Le conflit constructif"]
    assert done.rows[0]["lesson_key"] == str(lesson.translation_key)  # donnees.json: the key


def test_quiz_answers_read_as_the_questions_and_answers_chosen(trainee, lesson):
    attempt(trainee, lesson, RIGHT, score=100)

    quiz = table(trainee, "quiz")

    assert column(quiz, "answers") == [
        "Que devient la violence dans un cadre sûr ?\n→\xa0Un conflit constructif\n\n"
        "Qui participe aux sous-groupes ?\n→\xa0Des habitant·es\n→\xa0Des professionnel·les"
    ]
    assert quiz.rows[0]["answers"] == RIGHT  # donnees.json: as recorded
    assert "lesson_key" not in quiz.rows[0]
    assert quiz.headers == ["Leçon", "Tentative", "Réponses", "Score (%)", "Réussi", "Le"]


def test_answers_the_quiz_no_longer_has_are_numbered(trainee, lesson):
    attempt(trainee, lesson, {"0": [5], "3": [], "1": [1]}, score=0)

    assert column(table(trainee, "quiz"), "answers") == [
        "Que devient la violence dans un cadre sûr ?\n→\xa0réponse 6\n\n"
        "Qui participe aux sous-groupes ?\n→\xa0Des professionnel·les\n\n"
        "Question 4\n→\xa0sans réponse"
    ]


def test_the_quiz_columns_are_headed_in_english_for_an_english_reader(trainee, lesson):
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])

    assert table(trainee, "quiz").headers == [
        "Lesson",
        "Attempt",
        "Answers",
        "Score (%)",
        "Passed",
        "On",
    ]


def test_the_quiz_names_the_lesson_by_its_title_in_the_readers_language(trainee, lesson):
    from tests.courses.test_progress import translate

    attempt(trainee, lesson, RIGHT, score=100)
    translate(lesson)
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])

    quiz = table(trainee, "quiz")

    assert column(quiz, "lesson_title") == ["Leçon 1 de Le conflit constructif (EN)"]
    assert quiz.rows[0]["lesson_title"] == "Leçon 1 de Le conflit constructif"  # as saved


def test_the_quiz_names_a_lesson_that_is_gone_by_the_title_saved_with_the_attempt(trainee, lesson):
    attempt(trainee, lesson, RIGHT, score=100)
    QuizAttempt.objects.update(lesson_title="Une leçon retirée")
    lesson.delete()

    assert column(table(trainee, "quiz"), "lesson_title") == ["Une leçon retirée"]


def english_reader_of_a_translated_course(trainee, lesson) -> Enrolment:
    english_course(lesson.get_parent().specific, title="Constructive conflict")
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])
    return Enrolment.objects.get(user=trainee)


def test_the_courses_are_named_by_their_current_title_in_the_readers_language(trainee, lesson):
    enrolment = english_reader_of_a_translated_course(trainee, lesson)
    Enrolment.objects.create(
        user=trainee, course_key=uuid.uuid4(), course_title="Une formation retirée"
    )
    payment = Payment.objects.create(
        enrolment=enrolment,
        user=trainee,
        course_key=enrolment.course_key,
        course_title=enrolment.course_title,
        attempt=1,
        idempotency_key="export-titles-1",
        amount_cents=12000,
    )

    enrolments = table(trainee, "inscriptions")
    payments = table(trainee, "paiements", section="paiements")

    assert column(enrolments, "course_title") == ["Constructive conflict", "Une formation retirée"]
    assert column(history(trainee), "enrolment__course_title") == ["Constructive conflict"]
    assert column(payments, "course_title") == ["Constructive conflict"]
    # donnees.json: the titles as saved at enrolment and payment.
    assert [row["course_title"] for row in enrolments.rows] == [
        "Le conflit constructif",
        "Une formation retirée",
    ]
    assert "course_key" not in payments.rows[0]
    assert payments.rows[0]["course_title"] == payment.course_title == "Le conflit constructif"


def test_a_place_in_a_session_and_an_attestation_name_the_course_in_the_readers_language(
    trainee, trainer, lesson
):
    from courses.training.models import SessionPlacement
    from tests.institut.records import attestation, training_session

    enrolment = english_reader_of_a_translated_course(trainee, lesson)
    session, _slot = training_session(enrolment, trainer, days=10, status="confirmed")
    SessionPlacement.objects.create(
        session=session, trainee=trainee, enrolment=enrolment, status="placed"
    )
    attestation(enrolment)

    places = table(trainee, "places", section="sessions")
    attestations = table(trainee, "attestations")

    assert column(places, "session__course_title") == ["Constructive conflict"]
    assert places.rows[0]["session__course_title"] == "Le conflit constructif"
    assert column(attestations, "course_title") == ["Constructive conflict"]
    assert attestations.rows[0]["course_title"] == "Le conflit constructif"


def test_an_invoice_keeps_the_course_as_printed_on_it(trainee, lesson):
    from tests.institut.records import invoice

    enrolment = english_reader_of_a_translated_course(trainee, lesson)
    invoice(trainee, enrolment=enrolment)

    invoices = table(trainee, "factures", section="paiements")

    assert column(invoices, "course_title") == ["Le conflit constructif"]


def history(user):
    return table(user, "historique_inscriptions")


def note_payment_confirmed(user) -> None:
    services.enrolment_note(
        enrolment=Enrolment.objects.get(user=user),
        actor=None,
        reason=enrolment_reason("payment_confirmed", payment=12),
    )


def test_the_history_gives_its_reasons_in_the_readers_language(trainee, lesson):
    note_payment_confirmed(trainee)

    french = column(history(trainee), "reason")
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])
    english = column(history(trainee), "reason")

    assert french == ["Inscription à la formation", "Paiement n° 12 confirmé par Stripe"]
    assert english == ["Enrolled in the course", "Payment no. 12 confirmed by Stripe"]


def test_the_history_keeps_the_stored_text_and_the_code_for_programs(trainee, lesson):
    note_payment_confirmed(trainee)

    rows = history(trainee).rows

    assert [row["reason"] for row in rows] == ["enrolment", "payment 12 confirmed by Stripe"]
    assert [row["reason_code"] for row in rows] == ["enrolled", "payment_confirmed"]
    assert rows[1]["reason_params"] == {"payment": 12}
    assert history(trainee).headers == ["Formation", "De", "À", "Motif", "Le"]


def test_a_reason_from_before_the_codes_or_typed_reads_as_stored(trainee, lesson):
    enrolment = Enrolment.objects.get(user=trainee)
    EnrolmentEvent.objects.create(
        enrolment=enrolment, to_status="active", reason="payment 4 confirmed by Stripe"
    )
    services.enrolment_note(enrolment=enrolment, actor=None, reason="Décidé en commission")

    reasons = column(history(trainee), "reason")

    assert reasons[1:] == ["payment 4 confirmed by Stripe", "Décidé en commission"]
    assert [row["reason_code"] for row in history(trainee).rows][1:] == ["", ""]


def test_the_courses_tables_read_a_fixed_number_of_queries(
    trainee, catalogue, django_assert_num_queries
):
    """Reasons, lesson and course titles cost no query per row: 9 queries with 10 attempts,
    30 events (the enrolments' and the history's course titles, one query each; the quiz's
    lessons, one for its titles and its answers)."""
    course = build_course(catalogue, title="Longue", lessons=10, bodies=[quiz_body()] * 10)
    enrolment = enrol(trainee, course)
    for number in range(29):
        services.enrolment_note(
            enrolment=enrolment,
            actor=None,
            reason=enrolment_reason("payment_confirmed", payment=number),
        )
    for lesson in lessons_of(course):
        attempt(trainee, lesson, RIGHT, score=100)
    provider = CoursesData()

    with django_assert_num_queries(9):
        tables = list(provider.tables(trainee))

    assert len(history(trainee).rows) == 30
    [quiz] = [found for found in tables if found.key == "quiz"]
    assert len(quiz.rows) == 10


def test_the_quiz_table_reads_its_lessons_once_for_titles_and_answers(
    trainee, catalogue, django_assert_num_queries
):
    course = build_course(catalogue, title="Longue", lessons=3, bodies=[quiz_body()] * 3)
    enrol(trainee, course)
    for lesson in lessons_of(course):
        attempt(trainee, lesson, RIGHT, score=100)
    [spec] = [spec for spec in CoursesData.table_specs if spec.key == "quiz"]

    with django_assert_num_queries(2):  # the attempts, then their lessons
        quiz = spec.table(trainee)

    assert column(quiz, "lesson_title") == [f"Leçon {number} de Longue" for number in (1, 2, 3)]
    assert all(answers.startswith("Que devient la violence") for answers in column(quiz, "answers"))
