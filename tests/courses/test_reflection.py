"""Private reflections: saved, editable until the lesson is complete, submitted to complete it."""

from __future__ import annotations

import pytest

from courses.models import CompletionRule, LessonProgress, ReflectionAnswer
from courses.services import enrolment_create, lesson_mark_done
from tests.courses.conftest import build_course, lessons_of, reflection_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(catalogue, trainee):
    course = build_course(
        catalogue,
        lessons=1,
        rules=[CompletionRule.SUBMIT_REFLECTION],
        bodies=[reflection_body()],
    )
    enrolment_create(user=trainee, course=course)
    return lessons_of(course)[0]


def test_it_saves_and_edits_a_reflection_without_completing_the_lesson(client, trainee, lesson):
    client.force_login(trainee)
    client.post(lesson.url, {"action": "reflection_save", "text": "Première idée"})
    client.post(lesson.url, {"action": "reflection_save", "text": "Idée revue"})
    assert ReflectionAnswer.objects.get(user=trainee).text == "Idée revue"
    assert not LessonProgress.objects.exists()


def test_it_completes_the_lesson_when_the_reflection_is_submitted(client, trainee, lesson):
    client.force_login(trainee)
    client.post(lesson.url, {"action": "reflection_submit", "text": "La peur du voisin."})
    assert LessonProgress.objects.filter(user=trainee).count() == 1
    response = client.post(
        lesson.url, {"action": "reflection_save", "text": "Changée"}, follow=True
    )
    assert "votre réflexion ne peut plus être modifiée" in response.content.decode()
    assert ReflectionAnswer.objects.get().text == "La peur du voisin."


def test_it_asks_in_french_for_an_empty_reflection(client, trainee, lesson):
    client.force_login(trainee)
    response = client.post(lesson.url, {"action": "reflection_submit", "text": "   "})
    assert response.status_code == 400
    assert "Écrivez votre réponse avant de l&#x27;enregistrer." in response.content.decode()
    assert not ReflectionAnswer.objects.exists()


def test_it_keeps_a_reflection_private_to_its_author(client, trainee, other_trainee, lesson):
    client.force_login(trainee)
    client.post(lesson.url, {"action": "reflection_save", "text": "Secret de Camille"})
    course = lesson.get_parent().specific
    enrolment_create(user=other_trainee, course=course)
    client.force_login(other_trainee)
    assert "Secret de Camille" not in client.get(lesson.url).content.decode()


def test_it_says_so_when_a_lesson_was_completed_without_a_reflection(client, catalogue, trainee):
    course = build_course(
        catalogue, lessons=1, rules=[CompletionRule.MARK_DONE], bodies=[reflection_body()]
    )
    enrolment_create(user=trainee, course=course)
    lesson = lessons_of(course)[0]
    lesson_mark_done(user=trainee, lesson=lesson)
    client.force_login(trainee)

    page = client.get(lesson.url).content.decode()

    assert "Vous n'avez pas écrit de réponse." in page
    assert '<div class="reflection-answer"><p></p></div>' not in page
