"""Quiz scoring, explanations after submission, pass marks and attempt limits."""

from __future__ import annotations

import re
from html import unescape

import pytest

from courses import quiz as quiz_rules
from courses.models import CompletionRule, LessonProgress, QuizAttempt
from courses.services import CourseActionRefused, enrolment_create, quiz_submit
from tests.courses.conftest import HALF, RIGHT, WRONG, build_course, lessons_of, quiz_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_lesson(catalogue, trainee):
    course = build_course(
        catalogue, lessons=1, rules=[CompletionRule.PASS_QUIZ], bodies=[quiz_body(pass_mark=100)]
    )
    enrolment_create(user=trainee, course=course)
    return lessons_of(course)[0]


@pytest.fixture
def limited_lesson(catalogue, trainee):
    course = build_course(
        catalogue,
        lessons=1,
        rules=[CompletionRule.PASS_QUIZ],
        bodies=[quiz_body(pass_mark=100, max_attempts=2)],
    )
    enrolment_create(user=trainee, course=course)
    return lessons_of(course)[0]


def test_it_scores_the_share_of_questions_answered_exactly(quiz_lesson):
    quiz = quiz_lesson.quiz_block()
    assert quiz_rules.score(quiz, RIGHT) == 100
    assert quiz_rules.score(quiz, HALF) == 50  # a multiple-answer question needs every answer
    assert quiz_rules.score(quiz, WRONG) == 0


def test_it_completes_the_lesson_when_the_quiz_is_passed(trainee, quiz_lesson):
    attempt = quiz_submit(user=trainee, lesson=quiz_lesson, answers=RIGHT)
    assert (attempt.score, attempt.passed, attempt.number) == (100, True, 1)
    assert LessonProgress.objects.filter(user=trainee).count() == 1


def test_it_does_not_complete_the_lesson_below_the_pass_mark(trainee, quiz_lesson):
    attempt = quiz_submit(user=trainee, lesson=quiz_lesson, answers=HALF)
    assert (attempt.score, attempt.passed) == (50, False)
    assert not LessonProgress.objects.exists()


def test_it_refuses_an_attempt_beyond_the_limit(trainee, limited_lesson):
    quiz_submit(user=trainee, lesson=limited_lesson, answers=WRONG)
    quiz_submit(user=trainee, lesson=limited_lesson, answers=HALF)
    with pytest.raises(CourseActionRefused, match="vos 2 tentatives"):
        quiz_submit(user=trainee, lesson=limited_lesson, answers=RIGHT)
    assert QuizAttempt.objects.count() == 2


def test_it_refuses_a_new_attempt_once_passed(trainee, quiz_lesson):
    quiz_submit(user=trainee, lesson=quiz_lesson, answers=RIGHT)
    with pytest.raises(CourseActionRefused, match="déjà réussi"):
        quiz_submit(user=trainee, lesson=quiz_lesson, answers=RIGHT)


def test_it_shows_the_explanation_of_the_chosen_answers_after_submission(
    client, trainee, quiz_lesson
):
    client.force_login(trainee)
    response = client.post(
        quiz_lesson.url, {"action": "quiz", "q0": "1", "q1": ["0", "1"]}, follow=True
    )
    html = response.content.decode()
    assert "Quiz non réussi : 50 % de bonnes réponses, il en faut 100 %." in html
    assert "Non : on ne l&#x27;étouffe pas." in html  # the chosen wrong answer
    assert "Oui : c&#x27;est le cœur de la méthode." not in html  # not revealed yet


def test_it_reveals_every_explanation_once_the_quiz_is_passed(client, trainee, quiz_lesson):
    client.force_login(trainee)
    response = client.post(
        quiz_lesson.url, {"action": "quiz", "q0": "0", "q1": ["0", "1"]}, follow=True
    )
    html = response.content.decode()
    assert "Quiz réussi : 100 % de bonnes réponses." in html
    assert "Non : on ne l&#x27;étouffe pas." in html
    assert "✓ Vous avez terminé cette leçon." in html


def test_it_marks_the_correct_answers_missed_only_once_revealed(quiz_lesson):
    quiz = quiz_lesson.quiz_block()

    hidden = quiz_rules.feedback(quiz, HALF, reveal=False)[1]
    revealed = quiz_rules.feedback(quiz, HALF, reveal=True)[1]

    assert hidden["missed_count"] == revealed["missed_count"] == 1
    assert [answer["missed"] for answer in hidden["answers"]] == [False, False, False]
    assert [answer["missed"] for answer in revealed["answers"]] == [False, True, False]


def test_it_says_how_many_correct_answers_were_missed_then_which(client, trainee, limited_lesson):
    client.force_login(trainee)
    answers = {"action": "quiz", "q0": "0", "q1": ["0"]}

    first = unescape(client.post(limited_lesson.url, answers, follow=True).content.decode())
    last = unescape(client.post(limited_lesson.url, answers, follow=True).content.decode())

    assert "Vous n'avez pas coché 1 bonne réponse." in first
    assert "bonne réponse que vous n'avez pas cochée" not in first
    missed = "Des professionnel·les\\s*— <strong>bonne réponse que vous n'avez pas cochée"
    assert re.search(missed, last)


def test_it_shows_a_french_message_next_to_an_unanswered_question(client, trainee, quiz_lesson):
    client.force_login(trainee)
    response = client.post(quiz_lesson.url, {"action": "quiz", "q0": "0"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-describedby="id_q1_helptext id_q1_error"' in html
    assert 'id="id_q1_error"' in html
    assert "Cochez au moins une réponse à cette question." in html
    assert not QuizAttempt.objects.exists()


def test_it_lists_unanswered_questions_in_the_error_summary_not_a_banner(
    client, trainee, quiz_lesson
):
    client.force_login(trainee)

    response = client.post(quiz_lesson.url, {"action": "quiz", "q0": "0"})

    html = unescape(response.content.decode())
    assert "Il y a un problème" in html
    assert (
        '<a href="#id_q1_0">Qui participe aux sous-groupes ? : '
        "Cochez au moins une réponse à cette question.</a>"
    ) in html
    assert 'aria-invalid="true"' in html
    assert "Certaines questions n'ont pas de réponse" not in html
    assert 'class="wrap messages"' not in html


def test_it_rejects_an_answer_that_is_not_among_the_choices(client, trainee, quiz_lesson):
    client.force_login(trainee)
    response = client.post(quiz_lesson.url, {"action": "quiz", "q0": "99", "q1": "x"})
    assert response.status_code == 400
    assert "Cette réponse ne fait pas partie des choix." in response.content.decode()


def test_it_refuses_a_quiz_from_a_trainee_who_is_not_enrolled(client, other_trainee, quiz_lesson):
    client.force_login(other_trainee)
    response = client.post(
        quiz_lesson.url, {"action": "quiz", "q0": "0", "q1": ["0", "1"]}, follow=True
    )
    assert "Inscrivez-vous à la formation" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_it_refuses_two_answers_to_a_single_answer_question(trainee, quiz_lesson):
    with pytest.raises(CourseActionRefused, match="Une seule réponse"):
        quiz_submit(user=trainee, lesson=quiz_lesson, answers={"0": [0, 1], "1": [0]})
