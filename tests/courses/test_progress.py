"""Progress is recorded once, follows translations, and completes the course by its rules."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from courses import selectors, services
from courses.models import (
    CompletionRule,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    LessonProgress,
    TrainingAttestation,
)
from courses.services import enrolment_create, lesson_mark_done
from tests.courses.conftest import build_course, lessons_of

pytestmark = pytest.mark.django_db


def translate(page, language: str = "en"):
    """Publish an English copy of a page (and of its parents)."""
    locale = Locale.objects.get_or_create(language_code=language)[0]
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.title = f"{page.title} (EN)"
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


def test_it_records_a_lesson_once_when_marked_done_twice(client, trainee, free_course):
    enrolment_create(user=trainee, course=free_course)
    client.force_login(trainee)
    lesson = lessons_of(free_course)[0]
    client.post(lesson.url, {"action": "complete"})
    client.post(lesson.url, {"action": "complete"})
    assert LessonProgress.objects.filter(user=trainee).count() == 1


def test_it_refuses_to_mark_done_a_lesson_that_needs_its_quiz(trainee, catalogue):
    from courses.services import CourseActionRefused
    from tests.courses.conftest import quiz_body

    course = build_course(
        catalogue, lessons=1, rules=[CompletionRule.PASS_QUIZ], bodies=[quiz_body()]
    )
    enrolment_create(user=trainee, course=course)
    with pytest.raises(CourseActionRefused, match="réussissant son quiz"):
        lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])


def test_it_completes_the_course_when_all_required_lessons_are_done(
    trainee, catalogue, django_capture_on_commit_callbacks
):
    course = build_course(catalogue, lessons=3)
    optional = lessons_of(course)[2]
    optional.required = False
    optional.save()
    enrolment_create(user=trainee, course=course)
    first, second, _ = lessons_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=trainee, lesson=first)
        assert Enrolment.objects.get().status == EnrolmentStatus.ACTIVE
        lesson_mark_done(user=trainee, lesson=second)
    enrolment = Enrolment.objects.get()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completed_at is not None
    event = EnrolmentEvent.objects.filter(to_status=EnrolmentStatus.COMPLETED).get()
    assert (event.from_status, event.actor) == (EnrolmentStatus.ACTIVE, trainee)


def test_it_shows_percent_and_a_continue_link_on_the_course_page(client, trainee, catalogue):
    course = build_course(catalogue, lessons=4)
    enrolment_create(user=trainee, course=course)
    lessons = lessons_of(course)
    lesson_mark_done(user=trainee, lesson=lessons[0])
    client.force_login(trainee)
    client.get(lessons[2].url)  # opened last: where the trainee left off
    html = client.get(course.url).content.decode()
    assert "Progression : 25 %" in html
    assert (
        f'<a class="button" href="{lessons[2].url}">Reprendre là où je me suis arrêté·e</a>' in html
    )


def test_it_counts_a_lesson_done_in_english_for_the_french_course(
    client, trainee, free_course, django_capture_on_commit_callbacks
):
    french = lessons_of(free_course)
    english = [translate(lesson) for lesson in french]
    english_course = english[0].get_parent().specific
    assert english_course.translation_key == free_course.translation_key
    client.force_login(trainee)
    client.post(english_course.url, {"action": "enrol"})
    assert Enrolment.objects.get().course_key == free_course.translation_key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(english[0].url, {"action": "complete"})
    html = client.get(free_course.url).content.decode()
    assert "Progression : 50 %" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(french[1].url, {"action": "complete"})
    assert Enrolment.objects.get().status == EnrolmentStatus.COMPLETED
    assert LessonProgress.objects.count() == 2
    assert TrainingAttestation.objects.count() == 1


def test_it_requires_lessons_that_exist_only_in_one_language(trainee, free_course):
    lessons = lessons_of(free_course)
    translate(lessons[0])
    required = selectors.required_lesson_keys(course_key=free_course.translation_key)
    assert required == {lesson.translation_key for lesson in lessons}


def test_it_never_completes_a_course_without_lessons(trainee, catalogue):
    course = build_course(catalogue, lessons=0)
    enrolment_create(user=trainee, course=course)
    assert not selectors.course_requirements_met(user=trainee, course_key=course.translation_key)


def test_it_tells_other_apps_once_when_a_course_is_completed(
    trainee, catalogue, django_capture_on_commit_callbacks
):
    from courses.signals import course_completed

    received = []

    def receiver(sender, enrolment, **kwargs):
        received.append(enrolment.pk)

    course_completed.connect(receiver)
    try:
        course = build_course(catalogue, lessons=1)
        enrolment_create(user=trainee, course=course)
        with django_capture_on_commit_callbacks(execute=True):
            lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])
            lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])
    finally:
        course_completed.disconnect(receiver)
    assert received == [Enrolment.objects.get().pk]
    [completion] = selectors.course_completions(user=trainee)
    assert completion["course_key"] == course.translation_key
    assert completion["hours"] == course.duration_hours


def test_it_names_a_completed_course_in_the_language_of_the_page_reading_it(
    trainee, catalogue, django_capture_on_commit_callbacks
):
    """The committee reading an application in English sees the course's English title, as
    the trainee's space shows it, not the French one saved at enrolment."""
    from django.utils import translation

    course = build_course(catalogue, lessons=1)
    english = translate(course)
    enrolment_create(user=trainee, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_done(user=trainee, lesson=lessons_of(course)[0])

    with translation.override("en"):
        [in_english] = selectors.course_completions(user=trainee)
    with translation.override("fr"):
        [in_french] = selectors.course_completions(user=trainee)
    assert in_english["title"] == english.title != course.title
    assert in_french["title"] == course.title


def test_it_shows_the_english_interface_on_the_english_course_page(client, trainee, free_course):
    english = translate(free_course)
    enrolment_create(user=trainee, course=free_course)
    client.force_login(trainee)
    html = client.get(english.url).content.decode()
    assert '<html lang="en">' in html
    assert "Progress: 0%" in html
    assert "Continue where I left off" in html


def test_it_lists_lessons_not_yet_translated_on_the_english_course_page(client, free_course):
    french = lessons_of(free_course)
    english_first = translate(french[0])
    english_course = english_first.get_parent().specific
    html = client.get(english_course.url).content.decode()
    assert english_first.title in html
    assert french[1].title in html  # not translated yet: shown in French, in its place
    assert html.index(english_first.title) < html.index(french[1].title)


def test_it_shows_a_lesson_in_a_bounded_number_of_queries(
    client, trainee, catalogue, django_assert_max_num_queries
):
    course = build_course(catalogue, lessons=30)
    enrolment_create(user=trainee, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:10]:
        lesson_mark_done(user=trainee, lesson=lesson)
    client.force_login(trainee)
    client.get(lessons[12].url)  # warm caches (site root paths, settings)
    # 20: of which 4 are the language links of the layout and 6 Wagtail's routing, site and
    # view restrictions; the lesson itself reads its course, outline and progress in 8.
    with django_assert_max_num_queries(20):
        response = client.get(lessons[12].url)
    assert response.status_code == 200


def test_it_writes_nothing_when_the_same_lesson_is_opened_again(client, trainee, catalogue):
    course = build_course(catalogue, lessons=2)
    enrolment_create(user=trainee, course=course)
    first, second = lessons_of(course)
    client.force_login(trainee)
    client.get(first.url)
    enrolment = Enrolment.objects.get(user=trainee)
    assert enrolment.last_lesson_key == first.translation_key
    with CaptureQueriesContext(connection) as queries:
        client.get(first.url)
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    client.get(second.url)
    enrolment.refresh_from_db()
    assert enrolment.last_lesson_key == second.translation_key


def test_it_notes_a_visit_only_when_the_lesson_changes(trainee, catalogue):
    course = build_course(catalogue, lessons=2)
    enrolment = enrolment_create(user=trainee, course=course)
    first, _ = lessons_of(course)
    stale = Enrolment.objects.get(pk=enrolment.pk)
    services.enrolment_note_visit(enrolment=enrolment, lesson=first)
    # Another request noted the same lesson already: the conditional UPDATE touches no row.
    with CaptureQueriesContext(connection) as queries:
        services.enrolment_note_visit(enrolment=stale, lesson=first)
    assert len(queries) == 1
    assert "last_lesson_key" in queries[0]["sql"]
    assert Enrolment.objects.get(pk=enrolment.pk).last_lesson_key == first.translation_key
