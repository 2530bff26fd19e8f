"""The courses' part of the personal-data export, as its summary writes it for the person:
lessons and courses by their titles, quiz answers as the questions and answers read."""

from __future__ import annotations

import pytest

from courses.models import CompletionRule, LessonProgress, QuizAttempt, ReflectionAnswer
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
