"""What the practice logbook holds about a person: entries, their review trail, period summaries
(exported, erased or pseudonymised for institut.privacy)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institut.privacy import Notice, Provider, TableSpec
from supervision.logbook.models import (
    PeriodCosignRequest,
    PeriodExternalConfirmation,
    PeriodSummary,
    PracticeEntry,
    PracticeEntryEvent,
)

# How long a co-signing link that was never used keeps the supervisor's name and address after
# it expired (the trainee sees whom they asked; then it is of no use to anyone).
UNUSED_LINK_RETENTION = datetime.timedelta(days=90)


class LogbookData(Provider):
    """The logbook: approved hours are kept without the trainee's texts; the rest is deleted."""

    key = "carnet"
    label = _("Carnet de pratique")
    order = 25

    table_specs = (
        TableSpec(
            "entrees",
            _("Entrées du carnet"),
            PracticeEntry,
            "trainee",
            {
                "id": _("Numéro"),
                "date": _("Date"),
                "duration_minutes": _("Durée (minutes)"),
                "setting": _("Cadre"),
                "role": _("Rôle"),
                "group_size": _("Nombre de participant·es"),
                "description": _("Description"),
                "reflection": _("Réflexion"),
                "status": _("Statut"),
                "corrects": _("Corrige l'entrée"),
                "reviewed_by__full_name": _("Relue par"),
                "reviewed_at": _("Relue le"),
            },
            order_by=["date", "pk"],
        ),
        TableSpec(
            "etapes",
            _("Étapes pratiquées"),
            PracticeEntry,
            lambda user: Q(trainee=user, steps__isnull=False),
            {"id": _("Entrée"), "steps__step": _("Étape")},
            order_by=["pk", "steps__step"],
        ),
        TableSpec(
            "relectures",
            _("Historique des relectures"),
            PracticeEntryEvent,
            "entry__trainee",
            {
                "entry_id": _("Entrée"),
                "action": _("Action"),
                "from_status": _("De"),
                "to_status": _("À"),
                "comment": _("Commentaire"),
                "created_at": _("Le"),
            },
            order_by=["created_at", "pk"],
        ),
        TableSpec(
            "periodes",
            _("Bilans de période"),
            PeriodSummary,
            "trainee",
            ["start", "end", "totals", "status", "closed_at", "confirmed_at"],
            order_by=["start"],
        ),
        # The link's secret is not exported: a link still valid would sign the period.
        TableSpec(
            "demandes_cosignature",
            _("Demandes de cosignature"),
            PeriodCosignRequest,
            "period__trainee",
            {
                "period__start": _("Période du"),
                "period__end": _("Au"),
                "supervisor_name": _("Superviseur·e"),
                "supervisor_email": _("E-mail du ou de la superviseur·e"),
                "created_at": _("Demandée le"),
                "expires_at": _("Lien valable jusqu'au"),
                "used_at": _("Lien utilisé le"),
            },
            order_by=["created_at", "pk"],
        ),
        TableSpec(
            "cosignatures",
            _("Cosignatures par lien"),
            PeriodExternalConfirmation,
            "period__trainee",
            {
                "period__start": _("Période du"),
                "period__end": _("Au"),
                "signer_name": _("Signée par"),
                "signer_email": _("Lien envoyé à"),
                "signed_at": _("Signée le"),
            },
            order_by=["signed_at"],
        ),
    )

    def notices(self, user) -> list[Notice]:
        if not PracticeEntry.objects.approved().filter(trainee=user).exists():
            return []
        return [
            Notice(
                _(
                    "Vos heures de pratique approuvées et vos bilans confirmés restent enregistrés "
                    "(date, durée, étapes), sans vos descriptions ni vos réflexions ; vos autres "
                    "entrées sont supprimées."
                )
            )
        ]

    def erase(self, user, erasure) -> None:
        entries = PracticeEntry.objects.filter(trainee=user)
        unapproved = entries.exclude(status=PracticeEntry.Status.APPROVED)
        erasure.delete(PracticeEntryEvent.objects.filter(entry__in=unapproved))
        erasure.delete(unapproved)
        erasure.clear(entries, "description", "reflection")
        erasure.scrub(PracticeEntryEvent.objects.filter(entry__trainee=user), "comment")
        # A co-signing request is kept with its period (the link it sent is accounted for);
        # an unused one loses the supervisor's name and address, and its link stops working.
        unused = PeriodCosignRequest.objects.filter(period__trainee=user, used_at=None)
        erasure.clear(unused, "supervisor_name", "supervisor_email")
        now = timezone.now()
        erasure.rewrite(unused.filter(expires_at__gt=now), expires_at=now)
        # A confirmed period keeps who signed it; the signer's device details go.
        erasure.clear(
            PeriodExternalConfirmation.objects.filter(period__trainee=user),
            "ip_address",
            "user_agent",
        )
        erasure.delete(
            PeriodSummary.objects.filter(
                trainee=user, status=PeriodSummary.Status.CLOSED, cosign_requests=None
            )
        )

    def apply_retention(self, *, now: datetime.datetime) -> dict[str, int]:
        """Unused co-signing links, some time after they expired, lose the supervisor's name
        and address (a used one stays with the period it confirmed)."""
        from institut.privacy.erasure import filled

        stale = PeriodCosignRequest.objects.filter(
            used_at=None, expires_at__lt=now - UNUSED_LINK_RETENTION
        ).filter(filled(PeriodCosignRequest, "supervisor_name", "supervisor_email"))
        return {
            "demandes de cosignature inutilisées anonymisées": stale.update(
                supervisor_name="", supervisor_email=""
            )
        }
