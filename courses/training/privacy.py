"""What in-person training holds about a person: places in sessions, convocations, signed
attendance, certificats de réalisation, satisfaction answers, and for a trainer the sheets they
signed (exported, erased or pseudonymised for institut.privacy)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.privacy import course_titles
from courses.training.models import (
    Attendance,
    CompletionCertificate,
    Convocation,
    EvidencePack,
    PlacementStatus,
    SatisfactionAnswer,
    SatisfactionRequest,
    SatisfactionResponse,
    SessionEvent,
    SessionPlacement,
    TrainerSignature,
)
from institut.privacy import (
    FileSpec,
    Notice,
    NoticeSpec,
    Provider,
    TableSpec,
    trail_columns,
    trail_labels,
)

# A session's course by its current title in the reader's language, else as the session saved it.
SESSION_COURSE = course_titles("session__course_key", saved="session__course_title")


class TrainingData(Provider):
    """Training sessions: the signed sheets and certificats de réalisation are kept (a training
    body must prove the training it delivered), without the device details or the names."""

    key = "sessions"
    label = _("Sessions de formation")
    order = 12

    table_specs = (
        TableSpec(
            "places",
            _("Places en session"),
            SessionPlacement,
            "trainee",
            {
                "id": _("Numéro"),
                "session__course_title": _("Formation"),
                "session__title": _("Session"),
                "session__address": _("Adresse"),
                "status": _("Statut"),
                "employer_name": _("Employeur"),
                "created_at": _("Demandée le"),
                "placed_at": _("Confirmée le"),
                "cancelled_at": _("Annulée le"),
            },
            order_by=["created_at", "pk"],
            labels={"session__course_title": SESSION_COURSE},
        ),
        TableSpec(
            "historique_places",
            _("Historique des places"),
            SessionEvent,
            "placement__trainee",
            trail_columns("placement_id", _("Place")),
            order_by=["at", "pk"],
            labels=trail_labels(SessionEvent.ACTIONS, PlacementStatus.choices),
        ),
        TableSpec(
            "convocations",
            _("Convocations"),
            Convocation,
            "placement__trainee",
            ["placement_id", "kind", "sent_to", "subject", "body", "sent_at"],
            order_by=["sent_at", "pk"],
        ),
        TableSpec(
            "emargements",
            _("Émargements"),
            Attendance,
            "trainee",
            {
                "placement_id": _("Place"),
                "slot__date": _("Date"),
                "slot__period": _("Demi-journée"),
                "status": _("Présence"),
                "method": _("Mode de signature"),
                "minutes_late": _("Minutes de retard"),
                "reason": _("Motif"),
                "recorded_by__full_name": _("Saisi par"),
                "recorded_at": _("Saisi le"),
                "ip_address": _("Adresse IP"),
                "user_agent": _("Navigateur"),
                "supersedes_id": _("Corrige l'émargement"),
            },
            order_by=["recorded_at", "pk"],
        ),
        TableSpec(
            "certificats_realisation",
            _("Certificats de réalisation"),
            CompletionCertificate,
            "trainee",
            [
                "number",
                "trainee_name",
                "employer_name",
                "action_title",
                "first_day",
                "last_day",
                "hours_planned",
                "hours_done",
                "online_hours",
                "issued_at",
            ],
            order_by=["issued_at", "pk"],
        ),
        TableSpec(
            "satisfaction",
            _("Questionnaires de satisfaction"),
            SatisfactionResponse,
            "request__placement__trainee",
            {
                "id": _("Numéro"),
                "session__course_title": _("Formation"),
                "kind": _("Questionnaire"),
                "comment": _("Commentaire"),
                "submitted_at": _("Envoyé le"),
            },
            order_by=["submitted_at", "pk"],
            labels={"session__course_title": SESSION_COURSE},
        ),
        TableSpec(
            "reponses_satisfaction",
            _("Réponses aux questionnaires"),
            SatisfactionAnswer,
            "response__request__placement__trainee",
            {
                "response_id": _("Questionnaire"),
                "question_text": _("Question"),
                "score": _("Note"),
                "text": _("Réponse"),
            },
            order_by=["response_id", "pk"],
        ),
        TableSpec(
            "feuilles_signees",
            _("Feuilles d'émargement signées (formateur·rice)"),
            TrainerSignature,
            "trainer",
            {
                "slot__session__course_title": _("Formation"),
                "slot__date": _("Date"),
                "slot__period": _("Demi-journée"),
                "signed_at": _("Signée le"),
                "ip_address": _("Adresse IP"),
                "user_agent": _("Navigateur"),
            },
            order_by=["signed_at", "pk"],
            labels={
                "slot__session__course_title": course_titles(
                    "slot__session__course_key", saved="slot__session__course_title"
                )
            },
        ),
    )
    file_specs = (
        FileSpec(
            CompletionCertificate,
            "trainee",
            "pdf",
            "fichiers/certificats-de-realisation/{row.number}.pdf",
        ),
    )
    notice_specs = (
        NoticeSpec(
            _(
                "Vos émargements et vos certificats de réalisation restent enregistrés "
                "(dates, présence, heures), sans votre nom ni les détails de vos "
                "appareils : l'organisme de formation doit pouvoir prouver la formation "
                "dispensée. Vos commentaires de satisfaction sont supprimés, vos notes "
                "restent, anonymes."
            ),
            Attendance,
            "trainee",
        ),
    )

    def notices(self, user) -> list[Notice]:
        notices = list(super().notices(user))
        if self._future_placements(user).exists():
            notices.append(
                Notice(
                    _(
                        "Vos places dans les sessions de formation à venir sont annulées et "
                        "libérées."
                    )
                )
            )
        return notices

    def _future_placements(self, user):
        return SessionPlacement.objects.filter(
            trainee=user,
            status__in=(PlacementStatus.PLACED, PlacementStatus.WAITLISTED),
            session__slots__starts_at__gt=timezone.now(),
        ).exclude(session__slots__starts_at__lte=timezone.now())

    def erase(self, user, erasure) -> None:
        from courses.training import services

        for placement in self._future_placements(user).distinct():
            services.placement_cancel(actor=user, placement=placement)
            erasure.count("courses.SessionPlacement: cancelled", 1)
        erasure.clear(SessionPlacement.objects.filter(trainee=user), "employer_name")
        erasure.scrub(SessionEvent.objects.filter(placement__trainee=user), "reason")
        erasure.clear(
            Convocation.objects.filter(placement__trainee=user), "sent_to", subject="", body=""
        )
        # The sheet's rows stay as signed (their hash covers the reason); the device goes.
        erasure.clear(Attendance.objects.filter(trainee=user), "ip_address", "user_agent")
        erasure.clear(TrainerSignature.objects.filter(trainer=user), "ip_address", "user_agent")
        erasure.clear(
            CompletionCertificate.objects.filter(trainee=user),
            "trainee_name",
            "employer_name",
            "pdf",
        )
        responses = SatisfactionResponse.objects.filter(request__placement__trainee=user)
        erasure.clear(responses, "comment")
        erasure.clear(SatisfactionAnswer.objects.filter(response__in=responses), "text")
        erasure.delete(SatisfactionRequest.objects.filter(placement__trainee=user, response=None))
        # Evidence packs copy the sheets and certificates with the names: built again on request.
        packs = EvidencePack.objects.filter(session__placements__trainee=user).distinct()
        erasure.delete_files(pack.file for pack in packs.exclude(file=""))
        erasure.delete(EvidencePack.objects.filter(pk__in=list(packs.values_list("pk", flat=True))))
