"""Who sees what: catalogue and titles for all, lesson bodies for enrolled trainees and previews."""

from __future__ import annotations

import pytest

from courses.models import Enrolment, LessonProgress
from courses.services import enrolment_create
from tests.courses.conftest import build_course, lessons_of
from tests.courses.factories import enrol

pytestmark = pytest.mark.django_db


def test_it_shows_the_catalogue_course_and_lesson_titles_to_anonymous_visitors(client, free_course):
    assert free_course.title in client.get("/formations/").content.decode()
    html = client.get(free_course.url).content.decode()
    for lesson in lessons_of(free_course):
        assert lesson.title in html


def test_it_hides_a_lesson_body_from_a_trainee_who_is_not_enrolled(client, trainee, free_course):
    client.force_login(trainee)
    response = client.get(lessons_of(free_course)[1].url)
    html = response.content.decode()
    assert response.status_code == 200
    assert lessons_of(free_course)[1].title in html
    assert "Contenu secret" not in html
    assert "Leçon réservée aux personnes inscrites." in html


def test_it_shows_a_preview_lesson_to_anyone(client, free_course):
    html = client.get(lessons_of(free_course)[0].url).content.decode()
    assert "Contenu secret de la leçon 1." in html


def test_it_shows_the_lesson_body_once_enrolled(client, trainee, free_course):
    client.force_login(trainee)
    response = client.post(free_course.url, {"action": "enrol"}, follow=True)
    assert "Vous êtes inscrit·e" in response.content.decode()
    assert Enrolment.objects.filter(user=trainee).count() == 1
    assert (
        "Contenu secret de la leçon 2."
        in client.get(lessons_of(free_course)[1].url).content.decode()
    )


def test_it_enrols_only_once_on_a_double_click(client, trainee, free_course):
    client.force_login(trainee)
    client.post(free_course.url, {"action": "enrol"})
    client.post(free_course.url, {"action": "enrol"})
    assert Enrolment.objects.filter(user=trainee).count() == 1


def test_it_sends_anonymous_visitors_to_log_in_before_enrolling(client, free_course):
    response = client.post(free_course.url, {"action": "enrol"})
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_it_refuses_to_enrol_a_trainer_who_is_not_a_trainee(client, trainer, free_course):
    client.force_login(trainer)
    response = client.post(free_course.url, {"action": "enrol"}, follow=True)
    assert "Seuls les comptes stagiaires peuvent s&#x27;inscrire." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_it_refuses_enrolment_naming_the_prerequisite_to_complete_first(client, trainee, catalogue):
    basics = build_course(catalogue, title="Les bases", lessons=1)
    advanced = build_course(catalogue, title="Approfondir", prerequisites=[basics])
    client.force_login(trainee)
    response = client.post(advanced.url, {"action": "enrol"}, follow=True)
    html = response.content.decode()
    assert "Pour vous inscrire, terminez d&#x27;abord la formation « Les bases »." in html
    assert not Enrolment.objects.filter(course_key=advanced.translation_key).exists()


def test_it_accepts_enrolment_once_the_prerequisite_is_complete(
    trainee, catalogue, django_capture_on_commit_callbacks
):
    from courses.services import lesson_mark_done

    basics = build_course(catalogue, title="Les bases", lessons=1)
    advanced = build_course(catalogue, title="Approfondir", prerequisites=[basics])
    enrolment_create(user=trainee, course=basics)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=trainee, lesson=lessons_of(basics)[0])
    assert enrolment_create(user=trainee, course=advanced).course_key == advanced.translation_key


def test_it_shows_the_price_and_a_disabled_button_for_a_paid_course(client, trainee, catalogue):
    paid = build_course(catalogue, title="Le processus", price_cents=24000)
    client.force_login(trainee)
    html = client.get(paid.url).content.decode()
    assert "240,00" in html
    assert "disabled" in html
    # Without Stripe keys (the test settings), online payment is off and the page says so.
    assert "Le paiement en ligne n'est pas configuré sur ce site." in html


def test_it_refuses_a_forged_enrolment_post_on_a_paid_course(client, trainee, catalogue):
    paid = build_course(catalogue, title="Le processus", price_cents=24000)
    client.force_login(trainee)
    response = client.post(paid.url, {"action": "enrol"}, follow=True)
    assert "paiement en ligne n&#x27;est pas configuré" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_it_refuses_progress_from_a_trainee_who_is_not_enrolled(client, trainee, free_course):
    client.force_login(trainee)
    response = client.post(lessons_of(free_course)[0].url, {"action": "complete"}, follow=True)
    assert "Inscrivez-vous à la formation" in response.content.decode()
    assert not LessonProgress.objects.exists()


def test_it_answers_an_unknown_action_with_a_french_message(client, trainee, free_course):
    client.force_login(trainee)
    response = client.post(free_course.url, {"action": "pirater"}, follow=True)
    assert response.status_code == 200
    assert "Cette action n&#x27;est pas reconnue." in response.content.decode()


def test_it_keeps_lessons_closed_for_an_enrolment_without_access(client, trainee, free_course):
    # A status other than active or completed (e.g. awaiting payment) opens nothing.
    enrol(trainee, free_course, status="pending")
    client.force_login(trainee)
    html = client.get(lessons_of(free_course)[1].url).content.decode()
    assert "Contenu secret" not in html
    response = client.post(lessons_of(free_course)[1].url, {"action": "complete"}, follow=True)
    assert "Inscrivez-vous à la formation" in response.content.decode()
    assert not LessonProgress.objects.exists()
