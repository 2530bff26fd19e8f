"""What the courses app holds about a person: enrolments, progress, quizzes, reflections and
training attestations (exported, erased or pseudonymised for institut.privacy)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from courses.models import (
    Enrolment,
    EnrolmentEvent,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
    TrainingAttestation,
)
from institut.privacy import FileSpec, NoticeSpec, Provider, TableSpec


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
        ),
        TableSpec(
            "quiz",
            _("Réponses aux quiz"),
            QuizAttempt,
            "user",
            ["lesson_title", "number", "answers", "score", "passed", "created"],
            order_by=["created", "pk"],
        ),
        TableSpec(
            "reflexions",
            _("Réflexions"),
            ReflectionAnswer,
            "user",
            {"lesson_key": _("Leçon"), "text": _("Texte"), "submitted_at": _("Envoyée le")},
            order_by=["created"],
        ),
        TableSpec(
            "attestations",
            _("Attestations de formation"),
            TrainingAttestation,
            "user",
            ["number", "trainee_name", "course_title", "hours", "completed_at", "issued_at"],
            order_by=["issued_at"],
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
        erasure.scrub(EnrolmentEvent.objects.filter(enrolment__user=user), "reason")
        erasure.clear(TrainingAttestation.objects.filter(user=user), "trainee_name", "pdf")
