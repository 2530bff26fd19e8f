"""What the courses app holds about a person: enrolments, progress, quizzes, reflections and
training attestations (exported, erased or pseudonymised for institut.privacy)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from courses import quiz
from courses.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
    TrainingAttestation,
)
from courses.reasons import ENROLMENT_REASONS
from institut.lib.request_memo import memoised
from institut.privacy import FileSpec, NoticeSpec, Provider, TableSpec, Words
from institut.reasons import REASON_DATA, REASON_PERSONAL, reason_words


def titles(pages_for_keys, lookup: str, saved: str = "") -> Words:
    """A column written as the title, in the person's language, of the page whose translation
    key is in `lookup` (one query); for a page that is gone, the title `saved` with the row,
    else the key itself."""

    def write(rows: list[dict]) -> list[str]:
        pages = pages_for_keys([row[lookup] for row in rows])
        return [
            pages[row[lookup]].title if row[lookup] in pages else str(row[saved or lookup])
            for row in rows
        ]

    return Words(write, reads=[lookup] if saved else [])


def _lessons(keys: list) -> dict:
    """The lessons of these keys (one query), read once for all the columns of a table that
    name them (a table writes its columns in one request_memo scope)."""
    from courses.selectors import lessons_for_keys

    return memoised(
        ("privacy.lessons", translation.get_language(), tuple(keys)),
        lambda: lessons_for_keys(lesson_keys=keys),
    )


def lesson_titles(lookup: str = "lesson_key", saved: str = "") -> Words:
    return titles(_lessons, lookup, saved)


def course_titles(lookup: str = "course_key", saved: str = "") -> Words:
    """A column naming a course by its current title in the person's language (one query),
    else, for a course that is gone, by the title `saved` with the row (at enrolment, payment,
    session...): the stored title is kept in donnees.json, only the summary reads it anew."""
    from courses.selectors import courses_for_keys

    return titles(lambda keys: courses_for_keys(course_keys=keys), lookup, saved)


def quiz_answers(rows: list[dict]) -> list[str]:
    """Each attempt's answers with the questions and answers of its lesson's quiz (the lessons
    the table's titles read)."""
    lessons = _lessons([row["lesson_key"] for row in rows])
    return [
        quiz.answers_text(
            lessons[row["lesson_key"]].quiz_block() if row["lesson_key"] in lessons else None,
            row["answers"] or {},
        )
        for row in rows
    ]


class CoursesData(Provider):
    """Learning records: the completed courses and attestations are kept, pseudonymised."""

    key = "formations"
    label = _("Formations")
    order = 10

    table_specs = (
        TableSpec(
            "inscriptions",
            _("Inscriptions"),
            Enrolment,
            "user",
            ["course_title", "status", "source", "created", "completed_at"],
            order_by=["created"],
            labels={"course_title": course_titles(saved="course_title")},
        ),
        TableSpec(
            "historique_inscriptions",
            _("Historique des inscriptions"),
            EnrolmentEvent,
            "enrolment__user",
            {
                "enrolment__course_title": _("Formation"),
                "from_status": _("De"),
                "to_status": _("À"),
                "reason": _("Motif"),
                "at": _("Le"),
            },
            order_by=["at", "pk"],
            labels={
                "from_status": EnrolmentStatus.choices,
                "to_status": EnrolmentStatus.choices,
                "enrolment__course_title": course_titles(
                    "enrolment__course_key", saved="enrolment__course_title"
                ),
                "reason": reason_words(ENROLMENT_REASONS),
            },
            data=REASON_DATA,
        ),
        TableSpec(
            "lecons_terminees",
            _("Leçons terminées"),
            LessonProgress,
            "user",
            {
                "lesson_key": _("Leçon"),
                "course_key": _("Formation"),
                "completed_at": _("Terminée le"),
            },
            order_by=["completed_at"],
            labels={"lesson_key": lesson_titles(), "course_key": course_titles()},
        ),
        TableSpec(
            "quiz",
            _("Réponses aux quiz"),
            QuizAttempt,
            "user",
            {
                "lesson_title": _("Leçon"),
                "number": _("Tentative"),
                "answers": _("Réponses"),
                "score": _("Score (%)"),
                "passed": _("Réussi"),
                "created": _("Le"),
            },
            order_by=["created", "pk"],
            labels={
                "lesson_title": lesson_titles(saved="lesson_title"),
                "answers": Words(quiz_answers, reads=["lesson_key"]),
            },
        ),
        TableSpec(
            "reflexions",
            _("Réflexions"),
            ReflectionAnswer,
            "user",
            {"lesson_key": _("Leçon"), "text": _("Texte"), "submitted_at": _("Envoyée le")},
            order_by=["created"],
            labels={"lesson_key": lesson_titles()},
        ),
        TableSpec(
            "attestations",
            _("Attestations de formation"),
            TrainingAttestation,
            "user",
            ["number", "trainee_name", "course_title", "hours", "completed_at", "issued_at"],
            order_by=["issued_at"],
            labels={"course_title": course_titles(saved="course_title")},
        ),
    )
    file_specs = (
        FileSpec(TrainingAttestation, "user", "pdf", "fichiers/attestations/{row.number}.pdf"),
    )
    notice_specs = (
        NoticeSpec(
            _(
                "Vos réponses aux quiz, vos réflexions et votre progression sont supprimées. "
                "Vos inscriptions et vos attestations de formation restent, sans votre nom : "
                "la vérification d'une attestation n'indiquera plus à qui elle a été délivrée."
            ),
            Enrolment,
            "user",
        ),
    )

    def erase(self, user, erasure) -> None:
        erasure.delete(LessonProgress.objects.filter(user=user))
        erasure.delete(QuizAttempt.objects.filter(user=user))
        erasure.delete(ReflectionAnswer.objects.filter(user=user))
        erasure.scrub(EnrolmentEvent.objects.filter(enrolment__user=user), *REASON_PERSONAL)
        erasure.clear(TrainingAttestation.objects.filter(user=user), "trainee_name", "pdf")
