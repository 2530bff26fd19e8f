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
from institut.privacy import File, Notice, Provider, Table, table


class CoursesData(Provider):
    """Learning records: the completed courses and attestations are kept, pseudonymised."""

    key = "formations"
    label = _("Formations")
    order = 10

    def tables(self, user) -> list[Table]:
        return [
            table(
                "inscriptions",
                _("Inscriptions"),
                Enrolment.objects.filter(user=user).order_by("created"),
                ["course_title", "status", "source", "created", "completed_at"],
            ),
            table(
                "historique_inscriptions",
                _("Historique des inscriptions"),
                EnrolmentEvent.objects.filter(enrolment__user=user).order_by("at", "pk"),
                {
                    "enrolment__course_title": _("Formation"),
                    "from_status": _("De"),
                    "to_status": _("À"),
                    "reason": _("Motif"),
                    "at": _("Le"),
                },
            ),
            table(
                "lecons_terminees",
                _("Leçons terminées"),
                LessonProgress.objects.filter(user=user).order_by("completed_at"),
                {
                    "lesson_key": _("Leçon"),
                    "course_key": _("Formation"),
                    "completed_at": _("Terminée le"),
                },
            ),
            table(
                "quiz",
                _("Réponses aux quiz"),
                QuizAttempt.objects.filter(user=user).order_by("created", "pk"),
                ["lesson_title", "number", "answers", "score", "passed", "created"],
            ),
            table(
                "reflexions",
                _("Réflexions"),
                ReflectionAnswer.objects.filter(user=user).order_by("created"),
                {
                    "lesson_key": _("Leçon"),
                    "text": _("Texte"),
                    "submitted_at": _("Envoyée le"),
                },
            ),
            table(
                "attestations",
                _("Attestations de formation"),
                TrainingAttestation.objects.filter(user=user).order_by("issued_at"),
                ["number", "trainee_name", "course_title", "hours", "completed_at", "issued_at"],
            ),
        ]

    def files(self, user) -> list[File]:
        return [
            File(f"fichiers/attestations/{a.number}.pdf", a.pdf, str(a))
            for a in TrainingAttestation.objects.filter(user=user).exclude(pdf="")
        ]

    def notices(self, user) -> list[Notice]:
        if not Enrolment.objects.filter(user=user).exists():
            return []
        return [
            Notice(
                _(
                    "Vos réponses aux quiz, vos réflexions et votre progression sont supprimées. "
                    "Vos inscriptions et vos attestations de formation restent, sans votre nom : "
                    "la vérification d'une attestation n'indiquera plus à qui elle a été délivrée."
                )
            )
        ]

    def erase(self, user, erasure) -> None:
        erasure.delete(LessonProgress.objects.filter(user=user))
        erasure.delete(QuizAttempt.objects.filter(user=user))
        erasure.delete(ReflectionAnswer.objects.filter(user=user))
        erasure.scrub(EnrolmentEvent.objects.filter(enrolment__user=user), "reason")
        attestations = TrainingAttestation.objects.filter(user=user)
        erasure.delete_files(a.pdf for a in attestations.exclude(pdf=""))
        erasure.rewrite(attestations, trainee_name="", pdf="")
