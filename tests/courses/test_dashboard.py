"""The trainee's space and the catalogue: content, filters, and a bounded number of queries."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from courses.models import (
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)
from courses.services import enrolment_create, lesson_mark_done
from tests.courses.conftest import build_course, lessons_of
from tests.courses.factories import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_catalogue(catalogue, trainee):
    """30 courses of 20 lessons; the trainee is enrolled in all, with progress and quizzes."""
    courses = [
        build_course(
            catalogue,
            title=f"Cours {n}",
            lessons=20,
            steps=["conflits"] if n % 2 else ["confiance"],
            price_cents=0 if n % 3 else 9000,
        )
        for n in range(30)
    ]
    lessons = list(LessonPage.objects.order_by("path"))
    by_course = {c.path: c for c in courses}
    progress, attempts = [], []
    for course in courses:
        enrol(trainee, course)
    for lesson in lessons:
        course = by_course[lesson.path[:-4]]
        if int(lesson.slug.split("-")[1]) <= 5:
            progress.append(
                LessonProgress(
                    user=trainee,
                    lesson_key=lesson.translation_key,
                    course_key=course.translation_key,
                    rule="mark_done",
                )
            )
        if lesson.slug == "lecon-1":
            attempts.append(
                QuizAttempt(
                    user=trainee,
                    lesson_key=lesson.translation_key,
                    course_key=course.translation_key,
                    lesson_title=lesson.title,
                    number=1,
                    score=80,
                    pass_mark=70,
                    passed=True,
                )
            )
    LessonProgress.objects.bulk_create(progress)
    QuizAttempt.objects.bulk_create(attempts)
    return courses


def test_it_shows_courses_in_progress_with_percent_and_next_lesson(client, trainee, catalogue):
    course = build_course(catalogue, title="Conflits constructifs", lessons=4)
    enrolment_create(user=trainee, course=course)
    lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])
    client.force_login(trainee)
    html = client.get(reverse("courses:dashboard")).content.decode()
    assert "Conflits constructifs" in html
    assert "Progression : 25 %" in html
    assert f'href="{lessons_of(course)[1].url}">Reprendre' in html


def test_it_writes_quiz_scores_as_each_language_writes_a_percentage(client, trainee, catalogue):
    course = build_course(catalogue, title="Conflits constructifs", lessons=2)
    enrolment_create(user=trainee, course=course)
    lesson = lessons_of(course)[0]
    QuizAttempt.objects.create(
        user=trainee,
        lesson_key=lesson.translation_key,
        course_key=course.translation_key,
        lesson_title=lesson.title,
        number=1,
        score=80,
        pass_mark=70,
        passed=True,
    )
    client.force_login(trainee)

    french = client.get(reverse("courses:dashboard")).content.decode()
    english = client.get("/en" + reverse("courses:dashboard")).content.decode()

    assert ">80 %</td>" in french
    assert ">80%</td>" in english


def test_it_includes_the_panels_other_apps_register(client, trainee, monkeypatch):
    def panels_for(user):
        value = {"text": f"Panneau de {user.full_name}", "level": "h2"}
        return [{"template": "blocks/heading_block.html", "context": {"value": value}}]

    monkeypatch.setattr("courses.views.panels_for", panels_for)
    client.force_login(trainee)
    assert "<h2>Panneau de Camille Martin</h2>" in client.get("/espace/").content.decode()


def test_it_shows_a_trainer_who_is_not_a_trainee_their_space_without_courses(client, trainer):
    client.force_login(trainer)
    response = client.get("/espace/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Entrées de carnet à relire" in body
    assert "Formations en cours" not in body


def test_it_sends_an_anonymous_visitor_to_log_in(client, db):
    response = client.get("/espace/")
    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


def test_it_keeps_the_dashboard_queries_bounded(
    client, trainee, big_catalogue, django_assert_max_num_queries
):
    client.force_login(trainee)
    client.get("/espace/")  # warm caches (site root paths)
    # 17, and one for the next in-person training half-day (courses.training.workspace).
    with django_assert_max_num_queries(18):
        response = client.get("/espace/")
    html = response.content.decode()
    assert html.count("Progression : 25 %") == 30
    assert "Cours 29" in html


def test_it_keeps_the_catalogue_queries_bounded(
    client, trainee, big_catalogue, django_assert_max_num_queries
):
    client.force_login(trainee)
    client.get("/formations/")
    with django_assert_max_num_queries(30):
        response = client.get("/formations/")
    assert response.content.decode().count('class="card course-card"') == 30


def test_it_filters_the_catalogue_by_step_and_price(client, catalogue):
    build_course(catalogue, title="Confiance gratuite", steps=["confiance"])
    build_course(catalogue, title="Conflits payants", steps=["conflits"], price_cents=9000)
    build_course(catalogue, title="Conflits gratuits", steps=["conflits", "contrat"])
    html = client.get("/formations/", {"etape": "conflits"}).content.decode()
    assert "Conflits payants" in html and "Conflits gratuits" in html
    assert "Confiance gratuite" not in html
    html = client.get("/formations/", {"etape": "conflits", "prix": "gratuit"}).content.decode()
    assert "Conflits gratuits" in html and "Conflits payants" not in html
    html = client.get("/formations/", {"prix": "payant"}).content.decode()
    assert "Conflits payants" in html and "Conflits gratuits" not in html


def test_it_explains_a_bad_filter_in_french_instead_of_failing(client, catalogue):
    build_course(catalogue, title="Confiance gratuite", steps=["confiance"])
    response = client.get("/formations/", {"etape": "<script>", "prix": "cher"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cette étape n&#x27;existe pas : choisissez dans la liste." in html
    assert "Choisissez « Gratuites » ou « Payantes »." in html
    assert "Confiance gratuite" in html


def test_it_names_the_catalogue_url_for_the_main_menu(client, catalogue):
    assert reverse("courses:catalogue") == "/formations/"
    html = client.get("/").content.decode()
    assert '<a href="/formations/"' in html


def test_it_marks_completed_courses_as_such_in_the_catalogue(client, trainee, catalogue):
    course = build_course(catalogue, title="Terminé", lessons=1)
    enrol(trainee, course, status=EnrolmentStatus.COMPLETED)
    client.force_login(trainee)
    assert '<p class="badge">Terminée</p>' in client.get("/formations/").content.decode()
    assert uuid.UUID(str(course.translation_key))
