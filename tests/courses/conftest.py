"""Builders for course trees: a catalogue, courses with modules and lessons, quizzes."""

from __future__ import annotations

import itertools
import sys
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.text import slugify

from courses.models import CompletionRule, CourseIndexPage, CourseModule, CoursePage, LessonPage
from home import demo as home_demo

_counter = itertools.count(1)


def quiz_body(*, pass_mark: int = 50, max_attempts: int | None = None) -> list[dict]:
    """A lesson body with a paragraph and a two-question quiz (one single, one multiple)."""
    return [
        {"type": "paragraph", "value": "<p>Le conflit peut devenir constructif.</p>"},
        {
            "type": "quiz",
            "value": {
                "title": "Quiz de la leçon",
                "pass_mark": pass_mark,
                "max_attempts": max_attempts,
                "questions": [
                    {
                        "text": "Que devient la violence dans un cadre sûr ?",
                        "kind": "single",
                        "answers": [
                            {
                                "text": "Un conflit constructif",
                                "correct": True,
                                "explanation": "Oui : c'est le cœur de la méthode.",
                            },
                            {
                                "text": "Un tabou",
                                "correct": False,
                                "explanation": "Non : on ne l'étouffe pas.",
                            },
                        ],
                    },
                    {
                        "text": "Qui participe aux sous-groupes ?",
                        "kind": "multiple",
                        "answers": [
                            {
                                "text": "Des habitant·es",
                                "correct": True,
                                "explanation": "Oui, toutes les parties.",
                            },
                            {
                                "text": "Des professionnel·les",
                                "correct": True,
                                "explanation": "Oui, eux aussi.",
                            },
                            {
                                "text": "Personne",
                                "correct": False,
                                "explanation": "Non, évidemment.",
                            },
                        ],
                    },
                ],
            },
        },
    ]


RIGHT = {"0": [0], "1": [0, 1]}
HALF = {"0": [0], "1": [0]}
WRONG = {"0": [1], "1": [2]}


def reflection_body() -> list[dict]:
    return [
        {
            "type": "reflection",
            "value": {"prompt": "Quelle peur avez-vous observée ?", "guidance": ""},
        },
    ]


@pytest.fixture(autouse=True)
def _french_by_default():
    """A request to an English page leaves English active in the thread: start each test in
    French, so that reverse() and gettext do not depend on the test that ran before."""
    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Attestation PDFs written by tests go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _module_is_transaction_free(request) -> bool:
    """No test of the requesting module is transactional (transactional_db, live_server,
    django_db(transaction=True), a TransactionTestCase): their flush would empty the tables under
    a transaction held open for the whole module."""
    from django.test import TestCase, TransactionTestCase
    from pytest_django.fixtures import validate_django_db

    for item in request.session.items:
        if getattr(item, "module", None) is not request.module:
            continue
        marker = item.get_closest_marker("django_db")
        if marker and any(validate_django_db(marker)[:2]):
            return False
        if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(
            getattr(item, "fixturenames", ())
        ):
            return False
        cls = getattr(item, "cls", None)
        if cls and issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase):
            return False
    return True


@pytest.fixture(scope="module")
def _module_site(request, django_db_setup, django_db_blocker):
    """The site's home pages, built once per module (and worker) and rolled back after its last
    test; every test still runs in a savepoint of its own inside this transaction. Building them
    (the English home page is translated through wagtail-localize, segment by segment) took about
    2 s of each test's setup). In a module with a transactional test, None: each test builds them.
    None as well when a test asks for them from its body (`request.getfixturevalue`): its own
    transaction is already open, and rolling it back would take the pages with it."""
    from django.db import connection, transaction

    if not _module_is_transaction_free(request) or connection.in_atomic_block:
        yield None
        return

    with django_db_blocker.unblock(), translation.override("fr"):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            pk = home_demo.create_site().pk
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    try:
        yield pk
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def home(_module_site, db):
    """The site's home page: the one the module built once, or built for this test."""
    if _module_site is None:
        return home_demo.create_site()
    from home.models import HomePage

    return HomePage.objects.get(pk=_module_site)


def build_catalogue(home=None) -> CourseIndexPage:
    """The catalogue page, « Formations », under the site's home page (made if not given)."""
    index = CourseIndexPage(title="Formations", slug="formations", introduction="Nos formations.")
    (home or home_demo.create_site()).add_child(instance=index)
    return index


@pytest.fixture
def catalogue(home):
    return build_catalogue(home)


def build_course(
    catalogue,
    *,
    title: str | None = None,
    lessons: int = 2,
    price_cents: int = 0,
    steps: list[str] | None = None,
    prerequisites: list[CoursePage] = (),
    rules: list[str] | None = None,
    bodies: list | None = None,
    preview: tuple[int, ...] = (),
) -> CoursePage:
    """A live course with one module and `lessons` live lessons (mark-done by default)."""
    n = next(_counter)
    title = title or f"Formation {n}"
    course = CoursePage(
        title=title,
        slug=f"{slugify(title)}-{n}",
        summary=f"Résumé de {title}.",
        duration_hours=Decimal("3.5"),
        price_cents=price_cents,
        steps=steps or [],
        modules=[CourseModule(title="Premier module")],
    )
    catalogue.add_child(instance=course)
    if prerequisites:
        course.prerequisites.set(prerequisites)
        course.save()
    module = course.modules.first()
    for index in range(lessons):
        rule = rules[index] if rules else CompletionRule.MARK_DONE
        body = (
            bodies[index]
            if bodies
            else [{"type": "paragraph", "value": f"<p>Contenu secret de la leçon {index + 1}.</p>"}]
        )
        course.add_child(
            instance=LessonPage(
                title=f"Leçon {index + 1} de {title}",
                slug=f"lecon-{index + 1}",
                module_key=module.key,
                completion_rule=rule,
                is_preview=index in preview,
                body=body,
            )
        )
    return course


def english_course(course: CoursePage, *, title: str, **fields) -> CoursePage:
    """The course translated into English, with its catalogue (translated first)."""
    from wagtail.models import Locale

    from institut.content_translation import translate

    english = Locale.objects.get_or_create(language_code="en")[0]
    catalogue = course.get_parent().specific
    translate(
        catalogue,
        CourseIndexPage(title="Courses", slug=catalogue.slug, introduction="Our courses."),
        locale=english,
    )
    return translate(
        course,
        CoursePage(
            title=title,
            slug=course.slug,
            summary="In English.",
            modules=[CourseModule(title="First module")],
            **fields,
        ),
        locale=english,
    )


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


@pytest.fixture
def free_course(catalogue):
    return build_course(catalogue, title="Introduction", lessons=2, preview=(0,))
