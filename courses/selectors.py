"""Reads of the courses app: catalogue, course outlines, progress, the trainee's space.

Every function keeps a bounded number of queries whatever the number of courses and lessons.
"""

from __future__ import annotations

import functools
import operator
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model
from wagtail.models import Page

from courses import quiz as quiz_rules
from courses.forms import PRICE_FREE, PRICE_PAID
from courses.models import (
    CourseIndexPage,
    CourseModule,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
    TrainingAttestation,
)
from institut import person_cache, roles
from institut.content_language import page_language
from institut.lib.references import reference_pattern
from institut.lib.request_memo import memoised, remember
from institut.page_cache import site_pages

COVER_FILTER = "fill-640x360"


# --- Catalogue -----------------------------------------------------------------------------------


def catalogue_page(*, language: str | None = None) -> CourseIndexPage | None:
    """The live catalogue in this language (the current one by default), else in French."""
    language = language or translation.get_language() or "fr"
    pages = list(CourseIndexPage.objects.live().select_related("locale").order_by("path"))
    for code in (language, "fr"):
        for page in pages:
            if page.locale.language_code == code:
                return page
    return pages[0] if pages else None


def with_covers(courses):
    """The courses with their cover image and its card rendition, read in two queries in all."""
    return courses.prefetch_related(
        Prefetch(
            "cover_image", queryset=get_image_model().objects.prefetch_renditions(COVER_FILTER)
        )
    )


def catalogue_courses(*, index: Page, step: str | None = None, price: str | None = None):
    """The live courses of a catalogue, optionally of one step of the method and price kind."""
    queryset = with_covers(CoursePage.objects.child_of(index).live().order_by("path"))
    if step:
        # Portable across SQLite and PostgreSQL: the codes are quoted strings in the JSON list.
        queryset = queryset.filter(steps__icontains=f'"{step}"')
    if price == PRICE_FREE:
        queryset = queryset.filter(price_cents=0)
    elif price == PRICE_PAID:
        queryset = queryset.filter(price_cents__gt=0)
    return queryset


def enrolled_course_keys(*, user) -> dict[uuid.UUID, str]:
    """The user's enrolments as {course translation_key: status}."""
    return dict(Enrolment.objects.for_user(user).values_list("course_key", "status"))


# --- Requirements and completion -----------------------------------------------------------------


def _lessons_under(courses) -> list[LessonPage]:
    """Live lessons that are children of any of these course pages, in tree order."""
    courses = list(courses)
    if not courses:
        return []
    condition = functools.reduce(
        operator.or_, (Q(path__startswith=c.path, depth=c.depth + 1) for c in courses)
    )
    return list(LessonPage.objects.live().filter(condition).defer("body").order_by("path"))


def required_lesson_keys(*, course_key: uuid.UUID) -> set[uuid.UUID]:
    """The required lessons of a course, over all its live translations."""
    versions = CoursePage.objects.filter(translation_key=course_key).only("path", "depth")
    return {lesson.translation_key for lesson in _lessons_under(versions) if lesson.required}


def course_requirements_met(*, user, course_key: uuid.UUID) -> bool:
    """Whether the user completed every required lesson of the course (never for no lessons)."""
    required = required_lesson_keys(course_key=course_key)
    if not required:
        return False
    done = set(
        LessonProgress.objects.filter(user=user, lesson_key__in=required).values_list(
            "lesson_key", flat=True
        )
    )
    return required <= done


def completed_course_keys(*, user) -> set[uuid.UUID]:
    """Keys of the courses the user completed (memoised within a request scope)."""
    return memoised(
        ("courses.completed_course_keys", user.pk),
        lambda: person_cache.from_records(
            user.pk,
            "courses.completed_course_keys",
            lambda: set(
                Enrolment.objects.for_user(user).completed().values_list("course_key", flat=True)
            ),
        ),
    )


def missing_prerequisites(*, user, course: CoursePage) -> list[CoursePage]:
    """The prerequisite courses the user has not completed yet."""
    prerequisites = list(course.prerequisites.all())
    if not prerequisites:
        return []
    done = completed_course_keys(user=user)
    return [p for p in prerequisites if p.translation_key not in done]


def course_for_key(*, course_key: uuid.UUID, language: str | None = None) -> CoursePage | None:
    """The course in this language if it exists, else in French, else any version."""
    course_key = uuid.UUID(str(course_key))
    return courses_for_keys(course_keys=[course_key], language=language).get(course_key)


def courses_for_keys(
    *, course_keys: list[uuid.UUID], language: str | None = None
) -> dict[uuid.UUID, CoursePage]:
    """course_for_key() for several courses at once (one query); unknown keys are left out."""
    return _pages_for_keys(CoursePage, course_keys, language)


def lessons_for_keys(
    *, lesson_keys: list[uuid.UUID], language: str | None = None
) -> dict[uuid.UUID, LessonPage]:
    """Lessons by translation key, each in this language if it exists, else in French, else
    any version (one query); unknown keys are left out."""
    return _pages_for_keys(LessonPage, lesson_keys, language)


def course_versions(*, course_key: uuid.UUID) -> list[CoursePage]:
    """Every version of a course (its translations and aliases), French first, then live ones
    first (one query); `page_language(version)` is the language each is written in."""
    course_key = uuid.UUID(str(course_key))
    pages = _versions_by_key(CoursePage, [course_key]).get(course_key, [])
    return sorted(
        pages, key=lambda page: (page.locale.language_code != "fr", not page.live, page.pk)
    )


def _pages_for_keys(model, keys, language: str | None) -> dict:
    language = language or translation.get_language() or "fr"
    by_key = _versions_by_key(model, keys)
    return {key: _best_version(pages, language) for key, pages in by_key.items()}


def _versions_by_key(model, keys) -> dict[uuid.UUID, list]:
    by_key: dict[uuid.UUID, list] = defaultdict(list)
    for page in model.objects.filter(translation_key__in=keys).select_related("locale"):
        by_key[page.translation_key].append(page)
    for pages in by_key.values():
        # An alias shows its source's content: its language is the source's, read here among
        # the versions of its course (no query per alias when a page marks it lang="fr").
        locales = {page.pk: page.locale.language_code for page in pages}
        for page in pages:
            if page.alias_of_id in locales:
                page._content_language = locales[page.alias_of_id]
    return by_key


def name_courses(sessions) -> dict:
    """Each session's (or attestation's) `course_name`: its course's title in the page's
    language when the course is translated, else the title the record was created with (one
    query, none without records), and `course_language`, the language that name is written in
    (French for the saved title). Returns the course pages by key."""
    courses = courses_for_keys(course_keys=[session.course_key for session in sessions])
    for session in sessions:
        course = courses.get(session.course_key)
        session.course_name = course.title if course else session.course_title
        session.course_language = (
            page_language(course) if course else None
        ) or settings.LANGUAGE_CODE
    return courses


def _best_version(pages: list[CoursePage], language: str) -> CoursePage:
    """A live version in this language, else in French, else any live one, else the first."""
    pages.sort(key=lambda page: (not page.live, page.pk))
    for code in (language, "fr"):
        for page in pages:
            if page.live and page.locale.language_code == code:
                return page
    return pages[0]


def lesson_course(lesson: LessonPage) -> CoursePage:
    return lesson.get_parent().specific


# --- Progress ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutlineEntry:
    """What an outline shows of a lesson: the same for everyone, kept until the next publish."""

    pk: int
    translation_key: uuid.UUID
    title: str
    url: str
    required: bool
    is_preview: bool
    module_key: uuid.UUID | None
    # The language its content is written in when it is not that of the course version shown
    # (a lesson not translated yet, or wagtail-localize's alias of one); "" otherwise.
    language: str = ""


@dataclass(frozen=True)
class CourseOutline:
    """A course version's modules and lessons (its untranslated lessons shown from another
    language) and the required lessons over every live translation."""

    groups: tuple[tuple[str | None, tuple[OutlineEntry, ...]], ...]
    required: frozenset[uuid.UUID]
    url: str = ""  # the course version's own URL


@dataclass
class OutlineLesson:
    """A lesson in a course outline, and whether the person completed it."""

    page: OutlineEntry
    done: bool


@dataclass
class CourseProgress:
    """Where a person stands in a course: its outline with ticks, percent and what comes next."""

    course: CoursePage
    enrolment: Enrolment | None
    modules: list[dict] = field(default_factory=list)
    required_total: int = 0
    required_done: int = 0
    next_lesson: OutlineEntry | None = None
    url: str = ""  # the course's URL (from the kept outline)

    @property
    def percent(self) -> int:
        if self.enrolment is not None and self.enrolment.is_completed:
            return 100
        if not self.required_total:
            return 0
        return round(100 * self.required_done / self.required_total)

    @property
    def lessons(self) -> list[OutlineLesson]:
        return [item for module in self.modules for item in module["lessons"]]


def _outline_key(version: int, course: CoursePage) -> str:
    return f"course-outline:{version}:{course.pk}"


def course_outlines(courses: list[CoursePage]) -> dict[int, CourseOutline]:
    """The outline of each course version, by page id: from the cache, kept per site version
    (every publication, move or deletion starts a new one), else read in 3 queries for all."""
    if not courses:
        return {}
    version = site_pages.version_or_none()
    if version is None:  # the cache is down
        return _read_outlines(courses)
    keys = {_outline_key(version, course): course for course in courses}
    found = person_cache.cached_many(list(keys))
    missing = [course for key, course in keys.items() if key not in found]
    if missing:
        read = _read_outlines(missing)
        person_cache.keep_many({_outline_key(version, c): read[c.pk] for c in missing})
        found.update({_outline_key(version, c): read[c.pk] for c in missing})
    return {course.pk: found[key] for key, course in keys.items()}


def _read_outlines(courses: list[CoursePage]) -> dict[int, CourseOutline]:
    keys = {c.translation_key for c in courses}
    versions = list(
        CoursePage.objects.live()
        .filter(translation_key__in=keys)
        .only("path", "depth", "translation_key")
    )
    known = {v.path for v in versions}
    versions += [c for c in courses if c.path not in known]
    course_key_by_path = {v.path: v.translation_key for v in versions}
    modules_by_course: dict[int, list[CourseModule]] = defaultdict(list)
    for module in CourseModule.objects.filter(page__in=[c.pk for c in courses]).order_by(
        "sort_order", "pk"
    ):
        modules_by_course[module.page_id].append(module)
    required: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    shown: dict[str, list[LessonPage]] = defaultdict(list)
    by_course_key: dict[uuid.UUID, dict[uuid.UUID, LessonPage]] = defaultdict(dict)
    for lesson in _lessons_under(versions):
        parent_path = lesson.path[: -Page.steplen]
        course_key = course_key_by_path.get(parent_path)
        if course_key is None:
            continue
        if lesson.required:
            required[course_key].add(lesson.translation_key)
        shown[parent_path].append(lesson)
        by_course_key[course_key].setdefault(lesson.translation_key, lesson)
    outlines = {}
    for course in courses:
        lessons = _with_untranslated(shown[course.path], by_course_key[course.translation_key])
        languages = _foreign_languages(course, lessons)
        outlines[course.pk] = CourseOutline(
            groups=_groups(modules_by_course[course.pk], lessons, languages),
            required=frozenset(required[course.translation_key]),
            url=course.get_url(),
        )
    return outlines


def _foreign_languages(course: CoursePage, lessons: list[LessonPage]) -> dict[int, str]:
    """{lesson id: language} of the lessons whose content is not in the course version's
    language: none in a translated course (no query), else one query."""
    sources = {
        lesson.pk: lesson.alias_of_id or lesson.pk
        for lesson in lessons
        if lesson.alias_of_id or lesson.locale_id != course.locale_id
    }
    if not sources:
        return {}
    codes = dict(
        Page.objects.filter(pk__in=set(sources.values())).values_list("pk", "locale__language_code")
    )
    return {pk: codes.get(source, "") for pk, source in sources.items()}


def _entry(lesson: LessonPage, language: str = "") -> OutlineEntry:
    return OutlineEntry(
        pk=lesson.pk,
        translation_key=lesson.translation_key,
        title=lesson.title,
        url=lesson.get_url(),
        required=lesson.required,
        is_preview=lesson.is_preview,
        module_key=lesson.module_key,
        language=language,
    )


def _groups(
    modules: list[CourseModule], lessons: list[LessonPage], languages: dict[int, str]
) -> tuple:
    """The lessons under their modules' titles, in order; those of no module last (title None)."""
    groups: dict = {module.key: (module.title, []) for module in modules}
    others: list[OutlineEntry] = []
    for lesson in lessons:
        entry = _entry(lesson, languages.get(lesson.pk, ""))
        groups.get(lesson.module_key, (None, others))[1].append(entry)
    result = [(title, tuple(items)) for title, items in groups.values() if items]
    if others:
        result.append((None, tuple(others)))
    return tuple(result)


def _done_key(user_id) -> str:
    return f"person:{user_id}:lessons-done"


def lessons_done(*, user) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """The lessons the person completed, by course key (cached until they complete another)."""
    if not getattr(user, "is_authenticated", False):
        return {}

    def read():
        done: dict[uuid.UUID, set] = defaultdict(set)
        for course_key, lesson_key in LessonProgress.objects.filter(user=user).values_list(
            "course_key", "lesson_key"
        ):
            done[course_key].add(lesson_key)
        return {key: frozenset(keys) for key, keys in done.items()}

    return person_cache.cached(_done_key(user.pk), read)


def forget_lessons_done(user_id) -> None:
    person_cache.forget(_done_key(user_id))


def course_progress(
    *,
    user,
    courses: list[CoursePage],
    enrolments: dict[uuid.UUID, Enrolment] | None = None,
) -> dict[uuid.UUID, CourseProgress]:
    """Progress of the user in each course, keyed by course translation_key: the cached outlines
    and the person's cached lessons done (no query when both are cached, at most 4 otherwise)."""
    if not courses:
        return {}
    keys = {c.translation_key for c in courses}
    if enrolments is None:
        enrolments = {
            e.course_key: e
            for e in Enrolment.objects.for_user(user).filter(
                course_key__in=keys, status__in=ACCESS_STATUSES
            )
        }
    outlines = course_outlines(courses)
    done_by_course = lessons_done(user=user)
    result = {}
    for course in courses:
        enrolment = enrolments.get(course.translation_key)
        outline = outlines[course.pk]
        done = done_by_course.get(course.translation_key, frozenset())
        progress = CourseProgress(course=course, enrolment=enrolment, url=outline.url)
        progress.modules = [
            {
                "title": title,
                "lessons": [
                    OutlineLesson(page=entry, done=entry.translation_key in done)
                    for entry in entries
                ],
            }
            for title, entries in outline.groups
        ]
        progress.required_total = len(outline.required)
        progress.required_done = len(outline.required & done)
        progress.next_lesson = _next_lesson(progress.lessons, enrolment)
        result[course.translation_key] = progress
    return result


def _with_untranslated(own: list[LessonPage], every: dict[uuid.UUID, LessonPage]) -> list:
    """This version's lessons, plus those not translated yet (shown in another language)."""
    keys = {lesson.translation_key for lesson in own}
    missing = [lesson for key, lesson in every.items() if key not in keys]
    if not missing:
        return own
    # Siblings keep their order across translations: sort on the position among siblings.
    return sorted([*own, *missing], key=lambda lesson: lesson.path[-Page.steplen :])


def _next_lesson(items: list[OutlineLesson], enrolment: Enrolment | None) -> OutlineEntry | None:
    """Where to continue: the last lesson opened if unfinished, else the next unfinished one."""
    if not items:
        return None
    start = 0
    if enrolment is not None and enrolment.last_lesson_key:
        for position, item in enumerate(items):
            if item.page.translation_key == enrolment.last_lesson_key:
                start = position
                break
    for item in items[start:] + items[:start]:
        if not item.done:
            return item.page
    return None


# --- Access --------------------------------------------------------------------------------------


def can_read_lesson(*, user, lesson: LessonPage, enrolment: Enrolment | None) -> bool:
    """Preview lessons are public; other lesson bodies need an enrolment (or an editor)."""
    if lesson.is_preview or enrolment is not None:
        return True
    return bool(
        getattr(user, "is_authenticated", False) and (user.is_superuser or roles.is_editor(user))
    )


# Enrolments in these statuses open the lessons; any other status (e.g. awaiting payment) does not.
ACCESS_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


def enrolment_for(*, user, course_key: uuid.UUID) -> Enrolment | None:
    """The user's enrolment in the course if it gives access to the lessons, else None."""
    return (
        Enrolment.objects.for_user(user)
        .filter(course_key=course_key, status__in=ACCESS_STATUSES)
        .first()
    )


# --- Page contexts -------------------------------------------------------------------------------


def course_page_context(*, course: CoursePage, user) -> dict:
    enrolment = enrolment_for(user=user, course_key=course.translation_key)
    progress = course_progress(
        user=user,
        courses=[course],
        enrolments={course.translation_key: enrolment} if enrolment else {},
    )[course.translation_key]
    # Shown in the course's language when translated (one query per prerequisite, a few at most).
    prerequisites = [p.localized for p in course.prerequisites.all()]
    done = completed_course_keys(user=user) if prerequisites else set()
    return {
        "course": course,
        "enrolment": enrolment,
        "progress": progress,
        "prerequisites": [{"course": p, "done": p.translation_key in done} for p in prerequisites],
        "missing_prerequisites": [p for p in prerequisites if p.translation_key not in done],
        "results": course_results(course_key=course.translation_key),
        "can_enrol": bool(
            enrolment is None
            and getattr(user, "is_authenticated", False)
            and roles.is_trainee(user)
        ),
    }


def quiz_state(*, user, lesson: LessonPage, form=None) -> dict | None:
    """What the quiz block shows: the form, attempts left, and feedback on the last attempt."""
    from courses.forms import QuizForm

    quiz = lesson.quiz_block()
    if quiz is None:
        return None
    attempts = []
    if getattr(user, "is_authenticated", False):
        attempts = list(
            QuizAttempt.objects.filter(user=user, lesson_key=lesson.translation_key).order_by(
                "-number"
            )
        )
    passed = any(a.passed for a in attempts)
    limit = quiz["max_attempts"]
    left = None if not limit else max(0, limit - len(attempts))
    can_attempt = not passed and (left is None or left > 0)
    last = attempts[0] if attempts else None
    return {
        "quiz": quiz,
        "attempts": attempts,
        "last": last,
        "passed": passed,
        "attempts_left": left,
        "can_attempt": can_attempt,
        "form": form if form is not None else QuizForm(quiz),
        "feedback": quiz_rules.feedback(quiz, last.answers, reveal=passed or not can_attempt)
        if last
        else None,
    }


def lesson_page_context(
    *,
    lesson: LessonPage,
    request,
    course: CoursePage,
    enrolment,
    quiz_form=None,
    reflection_form=None,
) -> dict:
    from courses.forms import ReflectionForm

    user = request.user
    can_read = can_read_lesson(user=user, lesson=lesson, enrolment=enrolment)
    progress = course_progress(
        user=user,
        courses=[course],
        enrolments={course.translation_key: enrolment} if enrolment else {},
    )[course.translation_key]
    items = progress.lessons
    position = next(
        (i for i, item in enumerate(items) if item.page.translation_key == lesson.translation_key),
        None,
    )
    completed = any(
        item.done for item in items if item.page.translation_key == lesson.translation_key
    )
    reflection = None
    if can_read and lesson.reflection_block() is not None and enrolment is not None:
        answer = ReflectionAnswer.objects.filter(
            user=user, lesson_key=lesson.translation_key
        ).first()
        reflection = {
            "answer": answer,
            "editable": not completed,
            "form": reflection_form
            or ReflectionForm(initial={"text": answer.text if answer else ""}),
        }
    return {
        "course": course,
        "enrolment": enrolment,
        "can_read": can_read,
        "progress": progress,
        "completed": completed,
        "previous_lesson": items[position - 1].page if position else None,
        "next_lesson_in_order": items[position + 1].page
        if position is not None and position + 1 < len(items)
        else None,
        "quiz_state": quiz_state(user=user, lesson=lesson, form=quiz_form)
        if can_read and enrolment is not None
        else None,
        "reflection": reflection,
    }


def lesson_body_html(*, lesson: LessonPage, request) -> str | None:
    """The lesson's body rendered once per publication, language and host (the site's page-cache
    version changes with any publication, move or image); None when it holds a quiz or a
    reflection, whose forms belong to the person, and in an editor's preview of a draft (the
    template renders it then)."""
    if getattr(request, "is_preview", False):
        return None
    if lesson.quiz_block() is not None or lesson.reflection_block() is not None:
        return None
    version = site_pages.version_or_none()
    if version is None:
        return None
    language = translation.get_language() or "fr"
    key = f"lesson-body:{version}:{request.get_host()}:{language}:{lesson.pk}"
    html = person_cache.cached(
        key, lambda: str(lesson.body.render_as_block(context={"request": request, "page": lesson}))
    )
    return mark_safe(html)  # the StreamField's own rendering, escaped by its templates


# --- The trainee's space -------------------------------------------------------------------------


def quiz_results(*, user) -> list[dict]:
    """Per lesson quiz: the best score, the attempts made and whether it was passed."""
    by_lesson: dict[uuid.UUID, dict] = {}
    for attempt in QuizAttempt.objects.filter(user=user).order_by("-created", "-pk"):
        row = by_lesson.setdefault(
            attempt.lesson_key,
            {
                "lesson_title": attempt.lesson_title,
                "attempts": 0,
                "best": 0,
                "passed": False,
                "last": attempt.created,
                "course_key": attempt.course_key,
                "lesson_key": attempt.lesson_key,
            },
        )
        row["attempts"] += 1
        row["best"] = max(row["best"], attempt.score)
        row["passed"] = row["passed"] or attempt.passed
    return list(by_lesson.values())


def dashboard_context(*, user) -> dict:
    """The trainee's space: courses in progress and completed, attestations, quiz results."""
    enrolments = list(
        Enrolment.objects.for_user(user)
        .filter(status__in=ACCESS_STATUSES)
        .select_related("attestation")
    )
    by_key = {e.course_key: e for e in enrolments}
    remember(
        ("courses.completed_course_keys", user.pk),
        {e.course_key for e in enrolments if e.is_completed},
    )
    language = translation.get_language() or "fr"
    pages = list(
        with_covers(
            CoursePage.objects.live().filter(translation_key__in=by_key).select_related("locale")
        )
    )
    chosen: dict[uuid.UUID, CoursePage] = {}
    for page in sorted(
        pages, key=lambda p: (p.locale.language_code != language, p.locale.language_code != "fr")
    ):
        chosen.setdefault(page.translation_key, page)
    progress = course_progress(user=user, courses=list(chosen.values()), enrolments=by_key)
    titles = {key: page.title for key, page in chosen.items()}
    in_progress, completed = [], []
    for enrolment in enrolments:
        course = chosen.get(enrolment.course_key)
        row = {
            "enrolment": enrolment,
            "course": course,
            "url": progress[enrolment.course_key].url if course else "",
            "title": titles.get(enrolment.course_key, enrolment.course_title),
            "progress": progress.get(enrolment.course_key),
            "attestation": getattr(enrolment, "attestation", None)
            if enrolment.is_completed
            else None,
        }
        (completed if enrolment.is_completed else in_progress).append(row)
    # Lessons named as their course's outline names them (in this language when translated).
    lessons = {
        item.page.translation_key: item.page for p in progress.values() for item in p.lessons
    }
    results = quiz_results(user=user)
    for row in results:
        row["course_title"] = titles.get(row["course_key"], "")
        row["course"] = chosen.get(row["course_key"])
        row["lesson"] = lessons.get(row["lesson_key"])
        if row["lesson"] is not None:
            row["lesson_title"] = row["lesson"].title
    return {"in_progress": in_progress, "completed": completed, "quiz_results": results}


def course_completions(*, user) -> list[dict]:
    """The user's completed courses, for other apps (certification): key, title, date, hours.

    A course is named as its live page names it in the current language (as on the trainee's
    space), else as it was named at enrolment."""
    enrolments = list(Enrolment.objects.for_user(user).completed().order_by("completed_at"))
    pages = courses_for_keys(course_keys=[e.course_key for e in enrolments])
    return [
        {
            "course_key": e.course_key,
            "title": pages[e.course_key].title
            if e.course_key in pages and pages[e.course_key].live
            else e.course_title,
            "completed_at": e.completed_at,
            "hours": pages[e.course_key].duration_hours if e.course_key in pages else None,
            "counts_towards_certification": bool(
                e.course_key in pages and pages[e.course_key].counts_towards_certification
            ),
        }
        for e in enrolments
    ]


# What an attestation number can look like (ATT-2026-7K3M9Q); anything else is never looked up,
# so odd input (NUL bytes, 500 characters) answers 404 on every database.
ATTESTATION_PREFIX = "ATT"
ATTESTATION_NUMBER = reference_pattern(ATTESTATION_PREFIX)


def attestation_for_owner(*, user, number: str) -> TrainingAttestation | None:
    if not ATTESTATION_NUMBER.fullmatch(number or ""):
        return None
    return TrainingAttestation.objects.filter(user=user, number=number).first()


def attestation_by_number(*, number: str) -> TrainingAttestation | None:
    """The attestation bearing this number, its `course_name` in the page's language and its
    `course_page` (the version named, None for a course no longer published)."""
    if not ATTESTATION_NUMBER.fullmatch(number or ""):
        return None
    attestation = TrainingAttestation.objects.filter(number=number).first()
    if attestation is not None:
        attestation.course_page = name_courses([attestation]).get(attestation.course_key)
    return attestation


# --- Editors' report -----------------------------------------------------------------------------


def course_report() -> list[dict]:
    """Per course (all translations together): enrolled, in progress, completed, averages."""
    courses = list(CoursePage.objects.select_related("locale").order_by("path"))
    chosen: dict[uuid.UUID, CoursePage] = {}
    for page in sorted(courses, key=lambda p: p.locale.language_code != "fr"):
        chosen.setdefault(page.translation_key, page)
    lessons = _lessons_under(courses)
    key_by_path = {c.path: c.translation_key for c in courses}
    required: dict[uuid.UUID, set] = defaultdict(set)
    for lesson in lessons:
        key = key_by_path.get(lesson.path[: -Page.steplen])
        if key and lesson.required:
            required[key].add(lesson.translation_key)
    enrolments_by_course: dict[uuid.UUID, list[dict]] = defaultdict(list)
    for row in Enrolment.objects.values("user_id", "course_key", "status"):
        enrolments_by_course[row["course_key"]].append(row)
    progress_rows = LessonProgress.objects.values_list("user_id", "course_key", "lesson_key")
    done: dict[tuple, set] = defaultdict(set)
    for user_id, course_key, lesson_key in progress_rows:
        done[(user_id, course_key)].add(lesson_key)
    attempts = QuizAttempt.objects.values_list("user_id", "lesson_key", "course_key", "passed")
    quiz: dict[uuid.UUID, dict[tuple, bool]] = defaultdict(dict)
    for user_id, lesson_key, course_key, passed in attempts:
        outcome = quiz[course_key]
        outcome[(user_id, lesson_key)] = outcome.get((user_id, lesson_key), False) or passed
    rows = []
    for key, course in chosen.items():
        mine = enrolments_by_course[key]
        needed = required[key]
        percents = []
        for e in mine:
            if e["status"] == EnrolmentStatus.COMPLETED:
                percents.append(100)
            elif needed:
                percents.append(round(100 * len(done[(e["user_id"], key)] & needed) / len(needed)))
            else:
                percents.append(0)
        outcomes = list(quiz[key].values())
        rows.append(
            {
                "course": course,
                "title": course.title,
                "enrolled": len(mine),
                "in_progress": sum(1 for e in mine if e["status"] == EnrolmentStatus.ACTIVE),
                "completed": sum(1 for e in mine if e["status"] == EnrolmentStatus.COMPLETED),
                "average_progress": round(sum(percents) / len(percents)) if percents else 0,
                "quiz_takers": len(outcomes),
                "quiz_pass_rate": round(100 * sum(outcomes) / len(outcomes)) if outcomes else None,
            }
        )
    return rows


# --- In-person training (read by certification) --------------------------------------------------


def training_hours(*, user) -> dict:
    """Minutes a trainee carried out in training sessions, from signed attendance sheets:
    ``total``, ``in_person``, ``remote`` and ``by_session`` (memoised within a request)."""
    from courses.training import selectors as training_selectors

    return training_selectors.training_hours(user)


def course_results(*, course_key):
    """Satisfaction and completion of the course's sessions ended in the last 12 months, as its
    page and programme publish them (Qualiopi indicator 2): three queries."""
    from courses.training import selectors as training_selectors
    from home.selectors import institut_details

    return training_selectors.course_results(
        course_key=course_key, min_responses=institut_details().results_min_responses
    )
