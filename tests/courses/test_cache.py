"""Signed-in course pages keep what is the same for everyone per publication and each person's
lessons done until they complete one (issue 16); nothing stale, nobody else's ticks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.services import enrolment_create, lesson_mark_done
from tests.courses.conftest import build_course, lessons_of

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("courses:dashboard")
MAX_WARM = 8  # SQL per signed-in page, caches warm (issue 16)


@pytest.fixture
def course(catalogue):
    return build_course(catalogue, title="Conflits constructifs", lessons=4)


@pytest.fixture
def enrolled(client, trainee, course):
    enrolment_create(user=trainee, course=course)
    client.force_login(trainee)
    return client


def _ticks(html: str) -> int:
    return html.count("badge-done")


def test_it_shows_a_published_change_of_the_outline_at_once(enrolled, course):
    first, second = lessons_of(course)[:2]
    assert "Leçon 2 de Conflits constructifs" in enrolled.get(first.url).content.decode()
    second.title = "Une leçon renommée"
    second.save_revision().publish()
    html = enrolled.get(first.url).content.decode()
    assert "Une leçon renommée" in html
    assert "Leçon 2 de Conflits constructifs" not in html


def test_it_drops_an_unpublished_lesson_from_the_outline_and_its_route(enrolled, course):
    first, second = lessons_of(course)[:2]
    enrolled.get(second.url)  # its route is kept
    second.unpublish()
    assert enrolled.get(second.url).status_code == 404
    assert second.title not in enrolled.get(first.url).content.decode()


def test_it_applies_a_new_view_restriction_at_once(enrolled, course):
    first = lessons_of(course)[0]
    assert enrolled.get(first.url).status_code == 200  # its route is kept
    PageViewRestriction.objects.create(
        page=first, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    response = enrolled.get(first.url)
    assert "Contenu secret de la leçon 1" not in response.content.decode()


def test_it_ticks_a_lesson_done_in_the_outline_and_the_dashboard_at_once(enrolled, trainee, course):
    first, second = lessons_of(course)[:2]
    assert _ticks(enrolled.get(second.url).content.decode()) == 0
    assert "Progression : 0 %" in enrolled.get(DASHBOARD).content.decode()
    response = enrolled.post(first.url, {"action": "complete"})
    assert response.status_code == 302
    assert _ticks(enrolled.get(second.url).content.decode()) == 1
    assert "Progression : 25 %" in enrolled.get(DASHBOARD).content.decode()
    lesson_mark_done(user=trainee, lesson=second)  # outside a request: the service clears too
    assert "Progression : 50 %" in enrolled.get(DASHBOARD).content.decode()


def test_it_never_shows_one_trainee_another_s_ticks(client, trainee, other_trainee, course):
    first, second = lessons_of(course)[:2]
    for person in (trainee, other_trainee):
        enrolment_create(user=person, course=course)
    lesson_mark_done(user=trainee, lesson=first)
    client.force_login(trainee)
    assert _ticks(client.get(second.url).content.decode()) == 1
    client.force_login(other_trainee)
    html = client.get(second.url).content.decode()
    assert _ticks(html) == 0  # the same lesson, the same cached outline, her own ticks
    assert "Progression : 0 %" in html
    client.force_login(trainee)
    assert _ticks(client.get(second.url).content.decode()) == 1


def test_it_answers_a_lesson_in_few_queries_cold_and_warm(enrolled, course):
    lessons = lessons_of(course)
    with CaptureQueriesContext(connection) as queries:
        assert enrolled.get(lessons[1].url).status_code == 200
    cold = len(queries)  # counted now: the next request clears the log the context reads
    enrolled.get(lessons[2].url)
    with CaptureQueriesContext(connection) as queries:
        assert enrolled.get(lessons[2].url).status_code == 200
    assert len(queries) <= MAX_WARM < cold <= 25


def test_it_answers_the_dashboard_in_few_queries_whatever_the_number_of_courses(
    client, trainee, catalogue
):
    for n in range(6):
        course = build_course(catalogue, title=f"Formation {n}", lessons=5)
        enrolment_create(user=trainee, course=course)
        lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])
    client.force_login(trainee)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200
    cold = len(queries)  # counted now: the next request clears the log the context reads
    with CaptureQueriesContext(connection) as queries:
        html = client.get(DASHBOARD).content.decode()
    assert html.count("Progression : 20 %") == 6
    assert len(queries) <= MAX_WARM < cold <= 25


def test_it_shows_a_published_change_of_the_lesson_body_at_once(enrolled, course):
    first = lessons_of(course)[0]
    assert "Contenu secret de la leçon 1." in enrolled.get(first.url).content.decode()
    first.body = [{"type": "paragraph", "value": "<p>Un contenu revu et corrigé.</p>"}]
    first.save_revision().publish()
    html = enrolled.get(first.url).content.decode()
    assert "Un contenu revu et corrigé." in html
    assert "Contenu secret de la leçon 1." not in html


def test_it_renders_a_lesson_with_a_quiz_for_each_person(client, trainee, other_trainee, catalogue):
    from tests.courses.conftest import quiz_body

    course = build_course(catalogue, lessons=1, rules=["pass_quiz"], bodies=[quiz_body()])
    lesson = lessons_of(course)[0]
    for person in (trainee, other_trainee):
        enrolment_create(user=person, course=course)
    client.force_login(trainee)
    first = client.get(lesson.url)
    assert first.context["body_html"] is None  # the quiz's form is the person's own
    client.force_login(other_trainee)
    second = client.get(lesson.url)
    token = second.context["csrf_token"]
    assert str(token) in second.content.decode()
