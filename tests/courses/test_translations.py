"""Courses in both languages: translated with wagtail-localize, progress shared, links that keep
/en/, and French not translated yet marked lang="fr" on English pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from wagtail.models import Locale

from courses.models import CourseIndexPage, CourseModule, CoursePage, LessonPage, LessonProgress
from courses.services import enrolment_create
from institut.content_translation import ShapeMismatch, translate
from tests.courses.conftest import lessons_of

pytestmark = pytest.mark.django_db


def english():
    return Locale.objects.get_or_create(language_code="en")[0]


def translate_course(course: CoursePage, *, lessons: int | None = None) -> CoursePage:
    """The course (its catalogue too) and its first `lessons` lessons in English, through
    wagtail-localize as the demo does it."""
    catalogue = course.get_parent().specific
    translate(
        catalogue,
        CourseIndexPage(title="Courses", slug=catalogue.slug, introduction="Our courses."),
        locale=english(),
    )
    modules = [CourseModule(title=f"{m.title} (EN)") for m in course.modules.all()]
    translated = translate(
        course,
        CoursePage(
            title=f"{course.title} (EN)", slug=course.slug, summary="In English.", modules=modules
        ),
        locale=english(),
    )
    for lesson in lessons_of(course)[:lessons]:
        body = [
            {"type": block.block_type, "value": f"<p>English text of {lesson.title}.</p>"}
            for block in lesson.body
        ]
        translate(
            lesson,
            LessonPage(title=f"{lesson.title} (EN)", slug=lesson.slug, body=body),
            locale=english(),
        )
    return translated


class Links(HTMLParser):
    """Every link and form target of a page, and the language-switcher links apart."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.switcher: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        target = attrs.get("href") if tag == "a" else attrs.get("action") if tag == "form" else None
        if target is None:
            return
        (self.switcher if "hreflang" in attrs else self.targets).append(target)


def links_of(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


# Addresses that have no language, on purpose: the API's docs, static files and media.
LANGUAGE_FREE = ("/api/v1/", "/static/", "/media/", "/documents/")


def test_it_ticks_in_french_a_lesson_marked_done_in_english(client, trainee, free_course):
    english_course = translate_course(free_course)
    first_fr = lessons_of(free_course)[0]
    first_en = lessons_of(english_course)[0]
    assert first_en.url.startswith("/en/")
    client.force_login(trainee)

    client.post(english_course.url, {"action": "enrol"})
    client.post(first_en.url, {"action": "complete"})

    progress = LessonProgress.objects.get(user=trainee)
    assert progress.lesson_key == first_fr.translation_key
    html = client.get(free_course.url).content.decode()
    ticked = re.search(
        rf'<a href="{first_fr.url}"[^>]*>{re.escape(first_fr.title)}</a>\s*'
        r'<span class="badge badge-done">✓ terminée</span>',
        html,
    )
    assert ticked, "the French outline ticks the lesson done in English"
    assert "Progression : 50 %" in html


def test_it_keeps_en_in_every_link_of_the_english_course_pages(client, trainee, free_course):
    english_course = translate_course(free_course)
    enrolment_create(user=trainee, course=free_course)
    client.force_login(trainee)
    to_visit, seen = ["/en/formations/"], set()
    while to_visit:
        url = to_visit.pop()
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        links = links_of(html)
        assert '<html lang="en">' in html, url
        for target in links.targets:
            if not target.startswith("/") or target.startswith(LANGUAGE_FREE):
                continue
            assert target.startswith("/en/"), f"{target} on {url}"
            if target.startswith(english_course.url) and target.split("?")[0] not in seen:
                to_visit.append(target.split("?")[0].split("#")[0])
        assert any(link.startswith("/formations/") for link in links.switcher), url
    assert len(seen) == 2 + 2  # the catalogue, the course and its two lessons


def test_it_marks_an_alias_of_a_french_lesson_as_french_under_en(client, trainee, free_course):
    english_course = translate_course(free_course, lessons=1)
    enrolment_create(user=trainee, course=free_course)
    client.force_login(trainee)
    untranslated = lessons_of(free_course)[1]
    # What wagtail-localize's synchronised tree does for a French page not translated yet.
    alias = untranslated.copy_for_translation(english(), alias=True)

    course_html = client.get(english_course.url).content.decode()
    lesson_html = client.get(alias.url).content.decode()

    assert alias.url.startswith("/en/")
    assert re.search(
        rf'<a href="{alias.url}" lang="fr">{re.escape(untranslated.title)}</a>', course_html
    )
    translated = lessons_of(english_course)[0]
    assert re.search(rf'<a href="{translated.url}">{re.escape(translated.title)}</a>', course_html)
    assert '<html lang="en">' in lesson_html
    assert f'<h1 lang="fr">{untranslated.title}</h1>' in lesson_html
    assert '<div class="stream" lang="fr">' in lesson_html
    assert f"<h1>{english_course.title}</h1>" in course_html  # translated: no mark


def test_it_marks_a_lesson_shown_from_french_in_an_english_outline(client, free_course):
    english_course = translate_course(free_course, lessons=1)
    untranslated = lessons_of(free_course)[1]

    html = client.get(english_course.url).content.decode()

    assert re.search(rf'<a href="[^"]+" lang="fr">{re.escape(untranslated.title)}</a>', html)


def test_it_aliases_a_new_french_lesson_in_english_when_the_tree_is_synchronised(free_course):
    from wagtail_localize.models import LocaleSynchronization
    from wagtail_localize.synctree import create_aliases_for_new_page

    from home import demo as home_demo

    english_course = translate_course(free_course)
    home_demo.synchronise_english_tree()
    assert LocaleSynchronization.objects.get().sync_from.language_code == "fr"
    lesson = LessonPage(title="Leçon ajoutée", slug="ajoutee", body=[])
    free_course.add_child(instance=lesson)

    create_aliases_for_new_page(lesson)  # Wagtail's admin calls it after creating a page

    alias = LessonPage.objects.get(translation_key=lesson.translation_key, locale=english())
    assert alias.alias_of_id == lesson.pk
    assert alias.get_parent().pk == english_course.pk
    assert alias.url.startswith("/en/")


def test_it_refuses_an_english_wording_that_misses_a_paragraph(free_course):
    lesson = lessons_of(free_course)[0]
    body = [{"type": "paragraph", "value": "<p>One.</p><p>Two.</p>"}]

    with pytest.raises(ShapeMismatch):
        translate(lesson, LessonPage(title="X", slug=lesson.slug, body=body), locale=english())


def test_it_names_on_the_english_dashboard_a_quiz_lesson_taken_in_french(
    client, trainee, catalogue
):
    from courses.models import CompletionRule
    from courses.services import quiz_submit
    from tests.courses.conftest import HALF, build_course, quiz_body
    from tests.courses.test_progress import translate as copy_into_english

    course = build_course(
        catalogue, lessons=1, rules=[CompletionRule.PASS_QUIZ], bodies=[quiz_body()]
    )
    lesson = lessons_of(course)[0]
    enrolment_create(user=trainee, course=course)
    quiz_submit(user=trainee, lesson=lesson, answers=HALF)
    english_lesson = copy_into_english(lesson)
    client.force_login(trainee)

    english = client.get("/en/espace/").content.decode()
    french = client.get("/espace/").content.decode()

    # Each cell carries its column's name for the stacked layout on a phone.
    assert f'<td data-label="Lesson">{english_lesson.title}</td>' in english
    assert f">{lesson.title}</td>" not in english
    assert f'<td data-label="Leçon">{lesson.title}</td>' in french


def test_it_takes_a_translators_po_file_back_into_the_english_page(free_course):
    from wagtail_localize.models import Translation

    translate_course(free_course)
    lesson = lessons_of(free_course)[0]
    translation = Translation.objects.get(
        source__object_id=lesson.translation_key, target_locale=english()
    )
    po = translation.export_po()  # what "Download PO file" gives the translator
    for entry in po:
        if entry.msgctxt == "title":
            entry.msgstr = "Lesson one, as the translator put it"

    translation.import_po(po)  # "Upload PO file"
    translation.save_target(publish=False)

    english_lesson = LessonPage.objects.get(
        translation_key=lesson.translation_key, locale=english()
    )
    draft = english_lesson.get_latest_revision_as_object()
    assert draft.title == "Lesson one, as the translator put it"
    assert draft.body[0].value.source == f"<p>English text of {lesson.title}.</p>"


def test_it_refuses_an_over_long_translation_and_keeps_the_english_page(free_course):
    from django.core.exceptions import ValidationError
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    english_course = translate_course(free_course, lessons=0)
    free_course.access_delay = "Accès immédiat, dès l'inscription."
    free_course.save_revision().publish()
    TranslationSource.update_or_create_from_instance(free_course)  # "Sync translated pages"
    translation = Translation.objects.get(
        source__object_id=free_course.translation_key, target_locale=english()
    )
    po = translation.export_po()
    for entry in po:
        if entry.msgctxt == "access_delay":
            entry.msgstr = "Immediate access. " * 100  # 1800 characters, 500 at most
    translation.import_po(po)

    with pytest.raises(ValidationError):
        translation.save_target(publish=True)

    english_course.refresh_from_db()
    assert english_course.access_delay == ""
    assert english_course.get_latest_revision_as_object().access_delay == ""
    error = StringTranslation.objects.get(context__path="access_delay", locale=english())
    assert error.has_error
    assert "au plus 500 caractères" in error.field_error


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Mise en situation : Le conseil"), ("en", "Case study: Le conseil")],
)
def test_it_heads_a_case_study_with_the_language_s_label_separator(language, heading):
    from django.utils import translation
    from django.utils.html import strip_tags

    from courses.blocks import ExerciseBlock

    block = ExerciseBlock()
    value = block.to_python({"title": "Le conseil", "situation": "<p>S</p>", "instructions": ""})
    with translation.override(language):
        html = block.render(value)

    assert heading in " ".join(strip_tags(html).split())


def test_the_translation_editor_names_the_demo_s_translation_in_words(client, free_course):
    from wagtail_localize.models import StringTranslation

    from tests.factories import UserFactory

    english_course = translate_course(free_course, lessons=0)
    assert set(StringTranslation.objects.values_list("tool_name", flat=True)) == {
        "la traduction de démonstration de l'Institut"
    }
    client.force_login(UserFactory(is_superuser=True, is_staff=True, second_factor=True))

    page = client.get(f"/admin/pages/{english_course.pk}/edit/").content.decode()

    assert "Traduit avec la traduction de d\\u00e9monstration de l" in page
    assert "institut.content_translation" not in page
