"""The courses' part of the personal-data export, as its summary writes it for the person:
lessons and courses by their titles, quiz answers as the questions and answers read."""

from __future__ import annotations

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
from courses.privacy import CoursesData
from courses.reasons import enrolment_reason
from institut.privacy.export import personal_data
from tests.courses.conftest import RIGHT, build_course, lessons_of, quiz_body
from tests.courses.factories import enrol

pytestmark = pytest.mark.django_db


def table(user, key: str):
    [section] = [s for s in personal_data(user) if s.key == "formations"]
    [found] = [t for t in section.tables if t.key == key]
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
    """Reasons and lesson titles cost no query per row: 8 queries with 10 attempts, 30 events."""
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

    with django_assert_num_queries(8):
        tables = list(provider.tables(trainee))

    assert len(history(trainee).rows) == 30
    [quiz] = [found for found in tables if found.key == "quiz"]
    assert len(quiz.rows) == 10
