"""Signed-in course pages keep what is the same for everyone per publication and each person's
lessons done until they complete one (issue 16); nothing stale, nobody else's ticks. The lesson
and /espace/ kept whole per person (institut/personal_pages.py) are served again until
something they show changes: a publication, a lesson done, a visit, a role; never one person's
page to another, never a message twice."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from courses.models import Enrolment
from courses.services import enrolment_create, lesson_mark_done
from institut.roles import Role
from tests.courses.conftest import build_course, lessons_of
from tests.personal_pages import kept, made, served

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


def test_it_reads_the_view_restrictions_once_when_it_keeps_a_route(enrolled, course):
    first = lessons_of(course)[0]
    with CaptureQueriesContext(connection) as queries:
        assert enrolled.get(first.url).status_code == 200  # routed by Wagtail, then kept
    restrictions = [q for q in queries if "wagtailcore_pageviewrestriction" in q["sql"]]
    assert len(restrictions) == 1


def test_it_refuses_a_restricted_lesson_when_routing_it(enrolled, course):
    first = lessons_of(course)[0]
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


# --- Whole pages kept per person ---------------------------------------------------------------


def test_it_serves_a_kept_lesson_without_reading_the_pages(enrolled, course):
    first = lessons_of(course)[0]
    kept(enrolled, first.url)
    with CaptureQueriesContext(connection) as queries:
        assert enrolled.get(first.url).status_code == 200
    # The session at most (the database session store of the tests): no page, no outline.
    assert all("wagtailcore_page" not in query["sql"] for query in queries.captured_queries)
    assert len(queries) <= 1


def test_it_serves_a_kept_dashboard_in_at_most_one_query(enrolled, course):
    kept(enrolled, DASHBOARD)
    with CaptureQueriesContext(connection) as queries:
        assert enrolled.get(DASHBOARD).status_code == 200
    assert len(queries) <= 1


def test_it_shows_a_publication_at_once_on_a_kept_lesson(enrolled, course):
    first, second = lessons_of(course)[:2]
    assert "Contenu secret de la leçon 1." in kept(enrolled, first.url)
    first.body = [{"type": "paragraph", "value": "<p>Un contenu revu et corrigé.</p>"}]
    first.save_revision().publish()
    second.title = "Une leçon renommée"
    second.save_revision().publish()
    html = made(enrolled, first.url)
    assert "Un contenu revu et corrigé." in html
    assert "Une leçon renommée" in html


def test_it_ticks_a_lesson_done_at_once_on_kept_pages(enrolled, trainee, course):
    first, second = lessons_of(course)[:2]
    assert kept(enrolled, second.url).count("badge-done") == 0
    assert "Progression : 0 %" in kept(enrolled, DASHBOARD)
    assert enrolled.post(first.url, {"action": "complete"}).status_code == 302
    enrolled.get(DASHBOARD)  # the message "Leçon terminée." is shown once, on a page made
    assert made(enrolled, second.url).count("badge-done") == 1
    assert "Progression : 25 %" in kept(enrolled, DASHBOARD)
    lesson_mark_done(user=trainee, lesson=second)  # outside a request: the same
    assert "Progression : 50 %" in made(enrolled, DASHBOARD)


def test_it_moves_continue_on_the_kept_dashboard_when_another_lesson_is_opened(
    enrolled, trainee, course
):
    lessons = lessons_of(course)
    kept(enrolled, lessons[0].url)
    assert lessons[0].url in kept(enrolled, DASHBOARD).split("Reprendre")[0].rsplit("href=", 1)[1]
    enrolled.get(lessons[2].url)  # the visit is noted once the page is sent
    assert Enrolment.objects.get(user=trainee).last_lesson_key == lessons[2].translation_key
    html = made(enrolled, DASHBOARD)
    assert lessons[2].url in html.split("Reprendre")[0].rsplit("href=", 1)[1]


def test_it_notes_the_visit_of_a_kept_lesson_again(enrolled, trainee, course):
    first, second = lessons_of(course)[:2]
    kept(enrolled, first.url)
    kept(enrolled, second.url)
    with served() as found:
        enrolled.get(first.url)
    assert found == [True]
    assert Enrolment.objects.get(user=trainee).last_lesson_key == first.translation_key


def test_it_writes_nothing_when_a_kept_lesson_is_opened_again(enrolled, trainee, course):
    first = lessons_of(course)[0]
    kept(enrolled, first.url)
    with served() as found, CaptureQueriesContext(connection) as queries:
        enrolled.get(first.url)
    assert found == [True]
    assert not [q for q in queries.captured_queries if "last_lesson_key" in q["sql"]]
    assert Enrolment.objects.get(user=trainee).last_lesson_key == first.translation_key


def test_it_notes_a_kept_lesson_again_after_lessons_of_two_courses(
    enrolled, trainee, course, catalogue
):
    other = build_course(catalogue, title="Sous-groupes", lessons=2)
    enrolment_create(user=trainee, course=other)
    first, second = lessons_of(course)[:2]
    elsewhere = lessons_of(other)[0]
    for lesson in (first, second, elsewhere):
        kept(enrolled, lesson.url)
    with served() as found:
        enrolled.get(first.url)
    assert found == [True]
    enrolments = Enrolment.objects.filter(user=trainee)
    assert enrolments.get(course_key=course.translation_key).last_lesson_key == (
        first.translation_key
    )
    assert enrolments.get(course_key=other.translation_key).last_lesson_key == (
        elsewhere.translation_key
    )


def test_it_never_serves_one_trainee_the_page_kept_for_another(
    client, trainee, other_trainee, course
):
    first, second = lessons_of(course)[:2]
    for person in (trainee, other_trainee):
        enrolment_create(user=person, course=course)
    lesson_mark_done(user=trainee, lesson=first)
    client.force_login(trainee)
    html = kept(client, second.url)
    assert html.count("badge-done") == 1 and "Camille Martin" in html
    client.force_login(other_trainee)
    html = client.get(second.url).content.decode()
    assert html.count("badge-done") == 0
    assert "Camille Martin" not in html and "Yanis Benali" in html
    client.force_login(trainee)
    assert kept(client, second.url).count("badge-done") == 1


def test_it_closes_a_kept_dashboard_space_when_a_role_is_removed(enrolled, trainee, course):
    assert "Progression" in kept(enrolled, DASHBOARD)
    trainee.groups.remove(Group.objects.get(name=Role.TRAINEE))
    assert "Progression" not in made(enrolled, DASHBOARD)


def test_it_never_keeps_nor_serves_a_page_showing_a_message(enrolled, course):
    first = lessons_of(course)[0]
    kept(enrolled, DASHBOARD)
    enrolled.post(first.url, {"action": "complete"})
    with served() as found:
        html = enrolled.get(DASHBOARD).content.decode()
    assert "Leçon terminée." in html and found == []  # neither looked up nor kept
    html = made(enrolled, DASHBOARD)
    assert "Leçon terminée." not in html


def test_it_keeps_a_page_per_csrf_secret(enrolled, course):
    first = lessons_of(course)[0]
    kept(enrolled, first.url)
    enrolled.cookies.pop("csrftoken")  # a new browser of the same person: a new secret
    with served() as found:
        response = enrolled.get(first.url)
    assert found == [False] and "csrftoken" in response.cookies


def test_it_makes_every_page_when_turned_off(enrolled, course, settings):
    settings.PERSONAL_PAGE_SECONDS = 0
    first = lessons_of(course)[0]
    for _ in range(3):
        with served() as found:
            assert enrolled.get(first.url).status_code == 200
        assert found == []
