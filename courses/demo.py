"""Demo courses: the catalogue and three courses, in French and translated into English, and the
demo trainee's progress. Every function is idempotent: pages are found by slug, records by their
keys.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

from wagtail.models import Locale, Page

from courses import demo_content as content
from courses import services
from courses.demo_covers import give_covers
from courses.models import (
    CompletionRule,
    CourseIndexPage,
    CourseModule,
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonPage,
    LessonProgress,
    QuizAttempt,
)
from courses.services import CourseActionRefused
from home.models import HomePage
from institut.content_translation import translate


def create_demo(cast: dict) -> None:
    """Everything the courses app adds to the demo, in order."""
    catalogue = create_catalogue()
    intro = create_intro_course(catalogue)
    process = create_process_course(catalogue, prerequisite=intro)
    conflict = create_conflict_course(catalogue)
    give_covers([intro, process, conflict])
    translate_courses(catalogue, [intro, process, conflict])
    create_trainee_progress(cast["trainee"], intro=intro, process=process, conflict=conflict)


def _child(parent: Page, model, slug: str):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def create_catalogue() -> CourseIndexPage:
    """The French catalogue at /formations/."""
    french = Locale.objects.get(language_code="fr")
    home = HomePage.objects.get(locale=french)
    catalogue = _child(home, CourseIndexPage, content.CATALOGUE_FR["slug"])
    if catalogue is None:
        catalogue = CourseIndexPage(**content.CATALOGUE_FR)
        home.add_child(instance=catalogue)
        _publish(catalogue)
    return catalogue


def _course_fields(data: dict, modules: list[str]) -> dict:
    return {
        "title": data["title"],
        "slug": data["slug"],
        "summary": data["summary"],
        "objectives": data["objectives"],
        "audience": data["audience"],
        "prerequisites_text": data["prerequisites_text"],
        "teaching_methods": data["teaching_methods"],
        "assessment_methods": data["assessment_methods"],
        "access_delay": data["access_delay"],
        "modules": [
            CourseModule(title=title, sort_order=order) for order, title in enumerate(modules)
        ],
    }


def _course(catalogue: CourseIndexPage, data: dict, modules: list[str]) -> CoursePage:
    course = _child(catalogue, CoursePage, data["slug"])
    if course is not None:
        return course
    course = CoursePage(
        **_course_fields(data, modules),
        duration_hours=Decimal(data["duration_hours"]),
        price_cents=data["price_cents"],
        steps=data["steps"],
        counts_towards_certification=data["counts_towards_certification"],
    )
    catalogue.add_child(instance=course)
    return _publish(course)


def _lessons(course: CoursePage, lessons: list[tuple]) -> None:
    modules = list(course.modules.all())
    for module_index, slug, title, rule, preview, body in lessons:
        if _child(course, LessonPage, slug) is not None:
            continue
        lesson = LessonPage(
            title=title,
            slug=slug,
            module_key=modules[module_index].key,
            completion_rule=rule,
            is_preview=preview,
            duration_minutes=20,
            body=body,
        )
        course.add_child(instance=lesson)
        _publish(lesson)


def create_intro_course(catalogue: CourseIndexPage) -> CoursePage:
    """The free introduction to Thérapie Sociale."""
    course = _course(catalogue, content.INTRO_FR, content.INTRO_FR["modules"])
    _lessons(course, content.INTRO_FR["lessons"])
    return course


def _process_modules(module: str, steps: list[tuple]) -> list[str]:
    return [module.format(number=n, title=step[0]) for n, step in enumerate(steps, start=1)]


def _process_body(text: str, case: str, guidance: str, quiz: dict | None) -> list[dict]:
    body = [content.p(text), content.reflection(case, guidance)]
    return [*body, quiz] if quiz else body


def create_process_course(catalogue: CourseIndexPage, *, prerequisite: CoursePage) -> CoursePage:
    """The paid course on the seven-step intervention process, one module per step."""
    steps = [(title, text, case) for _slug, title, text, case in content.STEP_LESSONS]
    course = _course(catalogue, content.PROCESS, _process_modules(content.PROCESS_MODULE, steps))
    if not course.prerequisites.exists():
        course.prerequisites.add(prerequisite)
        _publish(course)
    lessons = []
    last = len(content.STEP_LESSONS) - 1
    for index, (slug, title, text, case) in enumerate(content.STEP_LESSONS):
        quiz = content.PROCESS_QUIZ if index == last else None
        body = _process_body(text, case, content.PROCESS_REFLECTION_GUIDANCE, quiz)
        rule = CompletionRule.PASS_QUIZ if quiz else CompletionRule.MARK_DONE
        lessons.append((index, slug, title, rule, index == 0, body))
    _lessons(course, lessons)
    return course


def create_conflict_course(catalogue: CourseIndexPage) -> CoursePage:
    """The free course on running spaces of constructive conflict."""
    course = _course(catalogue, content.CONFLICT, content.CONFLICT["modules"])
    _lessons(course, content.CONFLICT["lessons"])
    return course


def _english_process() -> tuple[dict, dict[str, tuple]]:
    """The process course's English wording: its fields, and each lesson's title and body."""
    steps = content.STEP_LESSONS_EN
    data = {**content.PROCESS_EN, "modules": _process_modules(content.PROCESS_MODULE_EN, steps)}
    last = len(steps) - 1
    lessons = {
        slug: (
            title,
            _process_body(
                text,
                case,
                content.PROCESS_REFLECTION_GUIDANCE_EN,
                content.PROCESS_QUIZ_EN if index == last else None,
            ),
        )
        for index, ((slug, *_french), (title, text, case)) in enumerate(
            zip(content.STEP_LESSONS, steps, strict=True)
        )
    }
    return data, lessons


def translate_courses(catalogue: CourseIndexPage, courses: list[CoursePage]) -> None:
    """The English catalogue, courses and lessons, translated segment by segment with
    wagtail-localize from the English wording of demo_content (README, *Translations*)."""
    english = Locale.objects.get_or_create(language_code="en")[0]
    translate(catalogue, CourseIndexPage(**content.CATALOGUE_EN), locale=english)
    process = _english_process()
    wording = {
        content.INTRO_FR["slug"]: (content.INTRO_EN, content.INTRO_EN["lessons"]),
        content.PROCESS["slug"]: process,
        content.CONFLICT["slug"]: (content.CONFLICT_EN, content.CONFLICT_EN["lessons"]),
    }
    for course in courses:
        data, lessons = wording[course.slug]
        translate(course, CoursePage(**_course_fields(data, data["modules"])), locale=english)
        for lesson in LessonPage.objects.child_of(course):
            title, body = lessons[lesson.slug]
            translate(lesson, LessonPage(title=title, slug=lesson.slug, body=body), locale=english)


INTRO_QUIZ_RIGHT = {"0": [0], "1": [0, 1]}
CONFLICT_QUIZ_HALF = {"0": [0], "1": [0]}


def _lesson(course: CoursePage, slug: str) -> LessonPage:
    return LessonPage.objects.child_of(course).get(slug=slug)


def _done(user, lesson: LessonPage) -> bool:
    return LessonProgress.objects.filter(user=user, lesson_key=lesson.translation_key).exists()


def _reflect(user, lesson: LessonPage, text: str, *, submit: bool = False) -> None:
    """The trainee's reflection on a lesson, unless the lesson is already done."""
    if not _done(user, lesson):
        services.reflection_save(user=user, lesson=lesson, text=text, submit=submit)


def create_trainee_progress(
    trainee, *, intro: CoursePage, process: CoursePage, conflict: CoursePage
) -> None:
    """The demo trainee: introduction completed (with its attestation), two courses under way."""
    services.enrolment_create(user=trainee, course=intro)
    services.lesson_mark_done(user=trainee, lesson=_lesson(intro, "quand-la-cooperation-se-bloque"))
    services.lesson_mark_done(user=trainee, lesson=_lesson(intro, "la-violence-comme-symptome"))
    quiz_lesson = _lesson(intro, "le-conflit-constructif")
    if not _done(trainee, quiz_lesson):
        services.quiz_submit(user=trainee, lesson=quiz_lesson, answers=INTRO_QUIZ_RIGHT)
    _reflect(
        trainee,
        _lesson(intro, "ma-premiere-observation"),
        "Dans mon équipe, la réorganisation des plannings a été décidée sans les agents de nuit. "
        "Personne n'osait dire que la charge avait doublé.",
        submit=True,
    )
    enrolment = Enrolment.objects.get(user=trainee, course_key=intro.translation_key)
    services.attestation_issue(enrolment_id=enrolment.pk)

    # The paid course, funded by the employer (online payment arrives with issue 4).
    services.enrolment_create(user=trainee, course=process, source=EnrolmentSource.FUNDED)
    first = _lesson(process, "inspirer-confiance")
    _reflect(
        trainee,
        first,
        "Je dirais que je ne viens recadrer personne : je viens aider toute l'équipe, "
        "direction comprise, à retrouver une façon de travailler ensemble.",
    )
    services.lesson_mark_done(user=trainee, lesson=first)
    services.lesson_mark_done(user=trainee, lesson=_lesson(process, "faire-un-contrat-commun"))

    services.enrolment_create(user=trainee, course=conflict)
    services.lesson_mark_done(user=trainee, lesson=_lesson(conflict, "poser-le-cadre"))
    quiz_lesson = _lesson(conflict, "ce-que-le-conflit-apprend")
    if not QuizAttempt.objects.filter(user=trainee, lesson_key=quiz_lesson.translation_key):
        with contextlib.suppress(CourseActionRefused):
            services.quiz_submit(user=trainee, lesson=quiz_lesson, answers=CONFLICT_QUIZ_HALF)
    services.enrolment_note_visit(
        enrolment=Enrolment.objects.get(user=trainee, course_key=conflict.translation_key),
        lesson=_lesson(conflict, "accueillir-la-tension"),
    )
