"""What supervision holds about a person: bookings, attendance, assignments, sessions given, the
calendar feed (exported, erased or pseudonymised for institut.privacy)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institut.privacy import Notice, NoticeSpec, Provider, TableSpec
from institut.reasons import REASON_PERSONAL
from supervision.models import (
    Booking,
    CalendarFeed,
    SupervisionEvent,
    SupervisionRecord,
    SupervisionSession,
    SupervisorAssignment,
)


class SupervisionData(Provider):
    """Supervision: attendance is permanent and kept, pseudonymised; future places are freed."""

    key = "supervision"
    label = _("Supervision")
    order = 20

    table_specs = (
        TableSpec(
            "reservations",
            _("Réservations"),
            Booking,
            "trainee",
            {
                "session__title": _("Séance"),
                "session__starts_at": _("Début"),
                "session__ends_at": _("Fin"),
                "session__trainer__full_name": _("Formateur·rice"),
                "status": _("Statut"),
                "cancelled_late": _("Annulation tardive"),
                "created_at": _("Réservée le"),
                "cancelled_at": _("Annulée le"),
            },
            order_by=["session__starts_at", "pk"],
        ),
        TableSpec(
            "presences",
            _("Présences"),
            SupervisionRecord,
            "trainee",
            {
                "session__starts_at": _("Séance du"),
                "kind": _("Type"),
                "status": _("Présence"),
                "minutes": _("Durée (minutes)"),
                "recorded_at": _("Saisie le"),
                "reason": _("Motif de la correction"),
            },
            order_by=["recorded_at", "pk"],
        ),
        TableSpec(
            "superviseurs",
            _("Superviseur·es attribué·es"),
            SupervisorAssignment,
            "trainee",
            {"supervisor__full_name": _("Superviseur·e"), "created": _("Depuis le")},
        ),
        TableSpec(
            "stagiaires_supervises",
            _("Stagiaires supervisé·es"),
            SupervisorAssignment,
            "supervisor",
            {"trainee__full_name": _("Stagiaire"), "created": _("Depuis le")},
        ),
        TableSpec(
            "seances_animees",
            _("Séances animées"),
            SupervisionSession,
            "trainer",
            ["title", "kind", "mode", "starts_at", "ends_at", "address", "status"],
            order_by=["starts_at"],
        ),
        TableSpec(
            "flux_agenda", _("Flux d'agenda"), CalendarFeed, "user", {"created_at": _("Créé le")}
        ),
    )
    notice_specs = (
        NoticeSpec(
            _(
                "Vos présences aux séances de supervision restent enregistrées, sans votre "
                "nom : elles fondent les heures d'un certificat qui reste vérifiable."
            ),
            SupervisionRecord,
            "trainee",
        ),
    )

    def notices(self, user) -> list[Notice]:
        notices = list(super().notices(user))
        if self._future_bookings(user).exists():
            notices.append(
                Notice(
                    _(
                        "Vos réservations de séances de supervision à venir sont annulées : "
                        "vos places sont libérées."
                    )
                )
            )
        return notices

    def _future_bookings(self, user):
        return Booking.objects.filter(
            trainee=user,
            status__in=(Booking.Status.BOOKED, Booking.Status.WAITLISTED),
            session__starts_at__gt=timezone.now(),
        )

    def erase(self, user, erasure) -> None:
        from supervision import services

        for booking in self._future_bookings(user):
            services.booking_cancel(booking=booking, actor=user)
            erasure.count("supervision.Booking: cancelled", 1)
        erasure.delete(CalendarFeed.objects.filter(user=user))
        erasure.delete(SupervisorAssignment.objects.filter(Q(trainee=user) | Q(supervisor=user)))
        erasure.scrub(SupervisionRecord.objects.filter(trainee=user), "reason")
        erasure.scrub(SupervisionEvent.objects.filter(booking__trainee=user), *REASON_PERSONAL)
