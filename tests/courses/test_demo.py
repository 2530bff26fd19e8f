"""The demo courses load, twice without change, with the trainee's progress and attestation."""

from __future__ import annotations

import pytest

from courses import demo as courses_demo
from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    TrainingAttestation,
)
from home import demo as home_demo
from institut import demo as institut_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    cast = institut_demo.create_accounts()
    home_demo.create_site()
    with django_capture_on_commit_callbacks(execute=True):
        courses_demo.create_demo(cast)
    return cast


def test_it_creates_three_courses_in_french_and_in_english(cast):
    french = CoursePage.objects.filter(locale__language_code="fr", live=True)
    assert french.count() == 3
    english = CoursePage.objects.filter(locale__language_code="en", live=True)
    assert sorted(english.values_list("title", flat=True)) == [
        "Discovering Social Therapy",
        "Running spaces for constructive conflict",
        "The seven-step intervention process",
    ]
    french_lessons = LessonPage.objects.filter(locale__language_code="fr", live=True)
    english_lessons = LessonPage.objects.filter(locale__language_code="en", live=True)
    assert french_lessons.count() == english_lessons.count() == 15
    for course in french:
        lessons = LessonPage.objects.child_of(course)
        assert any(lesson.quiz_block() is not None for lesson in lessons), course.title
        for lesson in lessons:
            assert lesson.body, lesson.title


def test_it_translates_through_wagtail_localize_so_a_translator_can_take_over(cast):
    from wagtail_localize.models import StringTranslation, Translation

    lesson = LessonPage.objects.get(slug="ce-que-le-conflit-apprend", locale__language_code="en")
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale=lesson.locale
    )
    po = translation.export_po()
    entries = {entry.msgid: entry.msgstr for entry in po}
    assert entries["Animer un conflit"] == "Facilitating a conflict"
    assert all(entry.msgstr for entry in po), "every segment has its English"
    assert StringTranslation.objects.filter(
        translation_of__data="Des informations nouvelles sur la situation.",
        data="New information about the situation.",
    ).exists()
    quiz = lesson.quiz_block()
    assert quiz["questions"][0]["answers"][0]["correct"] is True  # structure kept from French


def test_it_gives_the_process_course_one_module_per_step(cast):
    course = CoursePage.objects.get(
        slug="processus-d-intervention-en-sept-etapes", locale__language_code="fr"
    )
    assert course.modules.count() == 7
    assert len(course.steps) == 7
    assert course.price_cents > 0


def test_it_gives_the_demo_trainee_two_courses_in_progress_and_one_completed(cast):
    trainee = cast["trainee"]
    statuses = sorted(Enrolment.objects.filter(user=trainee).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ACTIVE, EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED]
    assert TrainingAttestation.objects.filter(user=trainee).count() == 1


def test_it_changes_nothing_when_run_again(cast):
    counts = (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        LessonProgress.objects.count(),
        QuizAttempt.objects.count(),
        TrainingAttestation.objects.count(),
    )
    courses_demo.create_demo(cast)
    assert counts == (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        LessonProgress.objects.count(),
        QuizAttempt.objects.count(),
        TrainingAttestation.objects.count(),
    )


def test_it_serves_the_catalogue_in_french_and_english(client, cast):
    html = client.get("/formations/").content.decode()
    assert "Découvrir la Thérapie Sociale" in html
    html = client.get("/en/formations/").content.decode()
    assert "Discovering Social Therapy" in html
    client.force_login(cast["trainee"])
    html = client.get("/espace/").content.decode()
    assert "Télécharger l'attestation ATT-" in html
    assert "Reprendre" in html


def test_it_translates_the_module_titles_of_the_english_introduction(cast):
    english = CoursePage.objects.get(
        locale__language_code="en", slug="decouvrir-la-therapie-sociale"
    )
    assert [m.title for m in english.modules.all()] == [
        "Why intervene?",
        "From conflict to cooperation",
    ]
    revision = english.get_latest_revision_as_object()
    assert revision.modules.all()[0].title == "Why intervene?"
