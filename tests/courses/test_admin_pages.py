"""Editors create the three page types through the Wagtail admin."""

from __future__ import annotations

import re

from django.urls import reverse
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import CompletionRule, CourseIndexPage, CourseModule, CoursePage, LessonPage
from home import demo as home_demo
from home.models import HomePage
from institut.roles import Role
from tests.conftest import Client
from tests.factories import UserFactory


def list_block(items: list) -> dict:
    """Form data of a ListBlock, for use inside nested_form_data."""
    data = {"count": len(items)}
    for index, value in enumerate(items):
        data[str(index)] = {"value": value, "deleted": "", "order": index, "id": ""}
    return data


def answer(text: str, correct: bool, explanation: str) -> dict:
    data = {"text": text, "explanation": explanation}
    if correct:
        data["correct"] = "on"
    return data


class CoursePagesAdminTest(WagtailPageTestCase):
    client_class = Client  # its force_login records the second factor, as a real login does

    def setUp(self):
        self.home = home_demo.create_site()
        self.editor = UserFactory(
            full_name="Anaïs Roux", roles=[Role.EDITOR], is_superuser=True, second_factor=True
        )
        self.client.force_login(self.editor)

    def _catalogue(self) -> CourseIndexPage:
        index = CourseIndexPage(title="Formations", slug="formations")
        self.home.add_child(instance=index)
        return index

    def _course(self, catalogue) -> CoursePage:
        course = CoursePage(
            title="Introduction",
            slug="introduction",
            summary="Découvrir la méthode.",
            modules=[CourseModule(title="Les bases")],
        )
        catalogue.add_child(instance=course)
        return course

    def test_it_creates_a_catalogue_under_the_home_page(self):
        self.assertCanCreateAt(HomePage, CourseIndexPage)
        self.assertCanCreate(
            self.home,
            CourseIndexPage,
            nested_form_data(
                {"title": "Formations", "slug": "formations", "introduction": "Nos parcours."}
            ),
        )
        assert CourseIndexPage.objects.get(slug="formations").live

    def test_it_creates_a_course_with_modules_steps_and_prerequisites(self):
        catalogue = self._catalogue()
        first = self._course(catalogue)
        data = nested_form_data(
            {
                "title": "Le processus en sept étapes",
                "slug": "sept-etapes",
                "summary": "Chaque étape, une par module.",
                "objectives": rich_text("<ul><li>Inspirer confiance</li></ul>"),
                "audience": "Professionnel·les",
                "duration_hours": "14",
                "price_cents": "240,50",  # in euros, as the editor types it
                "counts_towards_certification": "on",
                "modules": inline_formset(
                    [{"title": "Inspirer confiance"}, {"title": "Conflits constructifs"}]
                ),
            }
        )
        # Multiple-choice fields post one value per ticked box.
        data["steps"] = ["confiance", "conflits"]
        data["prerequisites"] = [str(first.pk)]
        self.assertCanCreate(catalogue, CoursePage, data)
        course = CoursePage.objects.get(slug="sept-etapes")
        assert course.steps == ["confiance", "conflits"]
        assert course.price_cents == 24050
        assert list(course.prerequisites.all()) == [first]
        assert [m.title for m in course.modules.all()] == [
            "Inspirer confiance",
            "Conflits constructifs",
        ]

    def test_the_course_editor_shows_the_price_in_euros(self):
        course = self._course(self._catalogue())
        course.price_cents = 12050
        course.save_revision().publish()

        page = self.client.get(f"/admin/pages/{course.pk}/edit/").content.decode()

        assert 'value="120,50"' in page
        assert "En euros, TTC" in page and "centimes" not in page

    def test_it_creates_a_lesson_with_a_quiz_in_a_module(self):
        course = self._course(self._catalogue())
        module = course.modules.get()
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanCreate(
            course,
            LessonPage,
            nested_form_data(
                {
                    "title": "Ce que la violence dit",
                    "slug": "violence",
                    "module_key": str(module.key),
                    "completion_rule": CompletionRule.PASS_QUIZ,
                    "required": "on",
                    "introduction": "Première leçon.",
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>La violence signale un blocage.</p>")),
                            (
                                "exercise",
                                {
                                    "title": "Réunion tendue",
                                    "situation": rich_text("<p>Une réunion dégénère.</p>"),
                                    "instructions": rich_text("<p>Que faites-vous ?</p>"),
                                    "debrief": rich_text("<p>Nommer la peur.</p>"),
                                },
                            ),
                            (
                                "quiz",
                                {
                                    "title": "Vérifier",
                                    "pass_mark": "50",
                                    "max_attempts": "3",
                                    "questions": list_block(
                                        [
                                            {
                                                "text": "La violence est-elle un signal ?",
                                                "kind": "single",
                                                "answers": list_block(
                                                    [
                                                        answer("Oui", True, "C'est un signal."),
                                                        answer(
                                                            "Non", False, "Elle dit un blocage."
                                                        ),
                                                    ]
                                                ),
                                            }
                                        ]
                                    ),
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        lesson = LessonPage.objects.get(slug="violence")
        assert lesson.module_key == module.key
        quiz = lesson.quiz_block()
        assert quiz["max_attempts"] == 3
        assert quiz["questions"][0]["answers"][0]["correct"] is True

    def test_it_refuses_a_quiz_rule_without_a_quiz_block(self):
        course = self._course(self._catalogue())
        url = f"/admin/pages/add/courses/lessonpage/{course.pk}/"
        data = nested_form_data(
            {
                "title": "Sans quiz",
                "slug": "sans-quiz",
                "module_key": "",
                "completion_rule": CompletionRule.PASS_QUIZ,
                "body": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
                "action-publish": "publish",
            }
        )
        response = self.client.post(url, data)
        assert response.status_code == 200
        assert "Ajoutez un bloc « Quiz »" in response.content.decode()
        assert not LessonPage.objects.filter(slug="sans-quiz").exists()

    def _course_form(self, course, **changes) -> dict:
        """The course editor's form data of `course`, as the browser posts it, with changes."""
        module = course.modules.get()
        values = {
            "title": course.title,
            "slug": course.slug,
            "summary": course.summary,
            "duration_hours": "1",
            "price_cents": "0",
            "modules": inline_formset(
                [{"id": module.pk, "title": module.title, "description": ""}], initial=1
            ),
            "action-publish": "publish",
        }
        return nested_form_data({**values, **changes})

    def test_it_refuses_over_long_practical_information_and_saves_nothing(self):
        course = self._course(self._catalogue())
        revisions = course.revisions.count()
        for name, limit in [
            ("prerequisites_text", 2000),
            ("teaching_methods", 2000),
            ("assessment_methods", 2000),
            ("access_delay", 500),
        ]:
            data = self._course_form(course, **{name: "é" * 1_000_000})
            response = self.client.post(f"/admin/pages/{course.pk}/edit/", data)

            assert response.status_code == 200, name
            errors = response.context["form"].errors
            assert errors[name] == [
                f"Assurez-vous que cette valeur comporte au plus {limit} caractères "
                "(actuellement 1000000)."
            ]
            course.refresh_from_db()
            assert getattr(course, name) == ""
            assert course.revisions.count() == revisions

    def test_it_saves_practical_information_of_the_allowed_length(self):
        course = self._course(self._catalogue())
        data = self._course_form(course, teaching_methods="a" * 2000, access_delay="b" * 500)

        response = self.client.post(f"/admin/pages/{course.pk}/edit/", data)

        assert response.status_code == 302
        course.refresh_from_db()
        assert (len(course.teaching_methods), len(course.access_delay)) == (2000, 500)

    def test_the_page_history_compares_prices_in_euros(self):
        course = self._course(self._catalogue())
        course.price_cents = 12050
        first = course.save_revision()
        course.price_cents = 24000
        second = course.save_revision()
        url = reverse("wagtailadmin_pages:revisions_compare", args=(course.pk, first.pk, second.pk))

        page = self.client.get(url).content.decode()

        assert "Prix (€)" in page
        assert "120,50\xa0€" in page and "240,00\xa0€" in page
        assert "centimes" not in page and "12050" not in page

    def test_a_lesson_s_preview_shows_in_the_editor_s_preview_panel(self):
        # Wagtail renders a preview through the whole middleware chain with a request for the
        # page's own URL; the site's « frame-ancestors 'none' » then forbade the admin to frame it.
        course = self._course(self._catalogue())
        lesson = LessonPage(title="Ce que la violence dit", slug="violence")
        course.add_child(instance=lesson)
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
        data = nested_form_data(
            {
                "title": "Ce que la violence dit",
                "slug": "violence",
                "completion_rule": CompletionRule.MARK_DONE,
                "required": "on",
                "introduction": "Une introduction encore en brouillon.",
                "body": streamfield(
                    [("paragraph", rich_text("<p>La violence signale un blocage.</p>"))]
                ),
            }
        )

        assert self.client.post(url, data).json()["is_valid"] is True
        response = self.client.get(url + "?in_preview_panel=true")

        assert response.status_code == 200
        assert "Une introduction encore en brouillon." in response.content.decode()
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors 'self'" in policy
        assert "frame-ancestors 'none'" not in policy
        assert "script-src 'self';" in policy  # the page keeps the site's policy otherwise

    def test_a_french_title_makes_a_plain_ascii_address(self):
        # « Prévenir la violence à l'école » gave /formations/prévenir-la-violence-à-lécole/,
        # sent in e-mails as /formations/pr%C3%A9venir-la-violence-%C3%A0-l%C3%A9cole/.
        catalogue = self._catalogue()

        form = self.client.get(
            reverse("wagtailadmin_pages:add", args=["courses", "coursepage", catalogue.pk])
        ).content.decode()
        course = CoursePage(
            title="Prévenir la violence à l'école",
            summary="Pour les équipes éducatives.",
            modules=[CourseModule(title="Comprendre")],
        )
        catalogue.add_child(instance=course)

        slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', form).group(0)
        assert 'data-controller="w-slug"' in slug_input
        assert "allow-unicode" not in slug_input  # the slug made as the editor types the title
        assert course.slug == "prevenir-la-violence-a-lecole"

    def test_a_quiz_without_a_correct_answer_is_not_told_to_add_a_quiz(self):
        # The quiz block is there but invalid: the editor reads what to fix in it, not « Ajoutez
        # un bloc « Quiz » au contenu », which the rule said when it looked at the saved content.
        course = self._course(self._catalogue())
        url = f"/admin/pages/add/courses/lessonpage/{course.pk}/"
        quiz = {
            "title": "Vérifier",
            "pass_mark": "70",
            "max_attempts": "",
            "questions": list_block(
                [
                    {
                        "text": "Quel signe annonce une escalade ?",
                        "kind": "single",
                        "answers": list_block(
                            [
                                answer("Le silence soudain", False, "Souvent."),
                                answer("Les rires", False, "Rarement."),
                            ]
                        ),
                    }
                ]
            ),
        }
        data = nested_form_data(
            {
                "title": "Repérer les signaux",
                "slug": "signaux",
                "module_key": "",
                "completion_rule": CompletionRule.PASS_QUIZ,
                "body": streamfield([("quiz", quiz)]),
                "action-publish": "publish",
            }
        )

        page = self.client.post(url, data).content.decode()

        # The block's errors are JSON that the admin's script shows beside the question.
        assert "Cochez au moins une bonne r\\u00e9ponse." in page
        assert "Ajoutez un bloc « Quiz »" not in page
        assert not LessonPage.objects.filter(slug="signaux").exists()
