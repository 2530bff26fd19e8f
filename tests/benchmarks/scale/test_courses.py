"""The courses' part of `seed_scale`: pages loaded by COPY form a sound tree that serves, and the
learning records hang together (progress only where enrolled, completions with attestations)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.html import escape
from wagtail.models import Page

from benchmarks.scale.institut import PERSONA_TRAINEE_EMAIL, SCALE_EMAIL_DOMAIN
from courses import demo_content as content
from courses import selectors
from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    TrainingAttestation,
)
from institut.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

COURSES, LESSONS, PROGRESS = 6, 5, 800
SIZES = {
    "certificates": 50,
    "listed": 20,
    "trainees": 60,
    "trainers": 4,
    "courses": COURSES,
    "lessons_per_course": LESSONS,
    "progress": PROGRESS,
    "practice_entries": 300,
    "sessions": 40,
}


def _seed(**sizes) -> str:
    out = io.StringIO()
    arguments = [f"--{name.replace('_', '-')}={value}" for name, value in sizes.items()]
    call_command("seed_scale", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One scale load shared by a class of tests (it takes a while), rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = _seed(**SIZES)
        yield output
        transaction.set_rollback(True)


DEMO_SLUGS = [content.INTRO_FR["slug"], content.PROCESS["slug"], content.CONFLICT["slug"]]


def _scale_courses():
    return CoursePage.objects.filter(locale__language_code="fr").exclude(slug__in=DEMO_SLUGS)


def _scale_progress():
    return LessonProgress.objects.filter(user__email__endswith=SCALE_EMAIL_DOMAIN)


def _persona():
    return User.objects.get(email=PERSONA_TRAINEE_EMAIL)


@pytest.mark.usefixtures("seeded")
class TestTheLoad:
    """Assertions on one small load."""

    def test_it_creates_the_courses_and_lessons_asked_for(self):
        courses = _scale_courses()
        assert courses.count() == COURSES
        for course in courses:
            assert LessonPage.objects.child_of(course).live().count() == LESSONS
            assert course.live and course.locale.language_code == "fr"
            assert course.modules.count() >= 1

    def test_it_leaves_a_tree_treebeard_finds_sound(self):
        assert Page.find_problems() == ([], [], [], [], [])
        catalogue = CoursePage.objects.first().get_parent()
        assert catalogue.numchild == catalogue.get_children().count()

    def test_it_loads_exactly_the_progress_asked_for(self):
        assert _scale_progress().count() == PROGRESS

    def test_it_records_progress_only_in_courses_with_access(self):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT count(*) FROM courses_lessonprogress p
                LEFT JOIN courses_enrolment e
                  ON e.user_id = p.user_id AND e.course_key = p.course_key
                 AND e.status IN ('active', 'completed', 'ended')
                WHERE e.id IS NULL
                """
            )
            assert cursor.fetchone() == (0,)

    def test_it_completes_enrolments_only_with_every_required_lesson_and_an_attestation(self):
        completed = Enrolment.objects.filter(
            user__email__endswith=SCALE_EMAIL_DOMAIN, status=EnrolmentStatus.COMPLETED
        ).select_related("user")
        assert completed.exists()
        for enrolment in completed[:20]:
            assert selectors.course_requirements_met(
                user=enrolment.user, course_key=enrolment.course_key
            )
            attestation = TrainingAttestation.objects.get(enrolment=enrolment)
            assert selectors.ATTESTATION_NUMBER.fullmatch(attestation.number)
            assert not attestation.pdf

    def test_it_audits_every_enrolment(self):
        scale = Enrolment.objects.filter(user__email__endswith=SCALE_EMAIL_DOMAIN)
        audited = EnrolmentEvent.objects.filter(enrolment__in=scale).values("enrolment").distinct()
        assert audited.count() == scale.count()

    def test_it_serves_a_generated_course_and_lesson_to_the_enrolled_persona(self, client):
        persona = _persona()
        enrolment = Enrolment.objects.filter(user=persona, status=EnrolmentStatus.ACTIVE).first()
        course = CoursePage.objects.get(translation_key=enrolment.course_key)
        lesson = LessonPage.objects.child_of(course).filter(is_preview=False).first()
        client.force_login(persona)
        course_response = client.get(course.url)
        lesson_response = client.get(lesson.url)
        assert course_response.status_code == 200
        assert lesson_response.status_code == 200
        assert lesson.title in lesson_response.content.decode()

    def test_it_lists_the_generated_courses_in_the_catalogue(self, client):
        response = client.get("/formations/")
        assert response.status_code == 200
        page = response.content.decode()
        for course in _scale_courses():
            assert course.url in page

    def test_it_gives_the_persona_a_heavy_but_plausible_load(self):
        statuses = list(Enrolment.objects.filter(user=_persona()).values_list("status", flat=True))
        assert len(statuses) == COURSES
        assert statuses.count(EnrolmentStatus.COMPLETED) == 3
        assert TrainingAttestation.objects.filter(user=_persona()).count() == 3

    def test_it_renders_the_persona_space(self, client):
        persona = _persona()
        client.force_login(persona)
        response = client.get("/espace/")
        assert response.status_code == 200
        for enrolment in Enrolment.objects.filter(user=persona):
            assert escape(enrolment.course_title) in response.content.decode()


def test_it_caps_progress_to_what_the_enrolments_allow():
    output = _seed(
        **{**SIZES, "courses": 2, "lessons_per_course": 2, "trainees": 5, "progress": 10_000}
    )
    assert "progress capped" in output
    done = _scale_progress().count()
    assert 0 < done < 10_000
    for enrolment in Enrolment.objects.filter(user__email__endswith=SCALE_EMAIL_DOMAIN):
        # Every lesson of the course at most, and only in courses with access.
        rows = _scale_progress().filter(user=enrolment.user, course_key=enrolment.course_key)
        assert rows.count() <= 2
