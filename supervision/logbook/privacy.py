"""What the practice logbook holds about a person: entries, their review trail, period summaries
(exported, erased or pseudonymised for institut.privacy)."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from institut.privacy import Notice, Provider, Table, table
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

    def tables(self, user) -> list[Table]:
        entries = PracticeEntry.objects.filter(trainee=user)
        return [
            table(
                "entrees",
                _("Entrées du carnet"),
                entries.order_by("date", "pk"),
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
            ),
            table(
                "etapes",
                _("Étapes pratiquées"),
                entries.filter(steps__isnull=False).order_by("pk", "steps__step"),
                {"id": _("Entrée"), "steps__step": _("Étape")},
            ),
            table(
                "relectures",
                _("Historique des relectures"),
                PracticeEntryEvent.objects.filter(entry__trainee=user).order_by("created_at", "pk"),
                {
                    "entry_id": _("Entrée"),
                    "action": _("Action"),
                    "from_status": _("De"),
                    "to_status": _("À"),
                    "comment": _("Commentaire"),
                    "created_at": _("Le"),
                },
            ),
            table(
                "periodes",
                _("Bilans de période"),
                PeriodSummary.objects.filter(trainee=user).order_by("start"),
                ["start", "end", "totals", "status", "closed_at", "confirmed_at"],
            ),
            # The link's secret is not exported: a link still valid would sign the period.
            table(
                "demandes_cosignature",
                _("Demandes de cosignature"),
                PeriodCosignRequest.objects.filter(period__trainee=user).order_by(
                    "created_at", "pk"
                ),
                {
                    "period__start": _("Période du"),
                    "period__end": _("Au"),
                    "supervisor_name": _("Superviseur·e"),
                    "supervisor_email": _("E-mail du ou de la superviseur·e"),
                    "created_at": _("Demandée le"),
                    "expires_at": _("Lien valable jusqu'au"),
                    "used_at": _("Lien utilisé le"),
                },
            ),
            table(
                "cosignatures",
                _("Cosignatures par lien"),
                PeriodExternalConfirmation.objects.filter(period__trainee=user).order_by(
                    "signed_at"
                ),
                {
                    "period__start": _("Période du"),
                    "period__end": _("Au"),
                    "signer_name": _("Signée par"),
                    "signer_email": _("Lien envoyé à"),
                    "signed_at": _("Signée le"),
                },
            ),
        ]

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
        erasure.rewrite(
            entries.filter(~Q(description="") | ~Q(reflection="")), description="", reflection=""
        )
        erasure.scrub(PracticeEntryEvent.objects.filter(entry__trainee=user), "comment")
        # A co-signing request is kept with its period (the link it sent is accounted for);
        # an unused one loses the supervisor's name and address, and its link stops working.
        unused = PeriodCosignRequest.objects.filter(period__trainee=user, used_at=None)
        erasure.rewrite(
            unused.filter(~Q(supervisor_name="") | ~Q(supervisor_email="")),
            supervisor_name="",
            supervisor_email="",
        )
        now = timezone.now()
        erasure.rewrite(unused.filter(expires_at__gt=now), expires_at=now)
        # A confirmed period keeps who signed it; the signer's device details go.
        erasure.rewrite(
            PeriodExternalConfirmation.objects.filter(period__trainee=user).filter(
                Q(ip_address__isnull=False) | ~Q(user_agent="")
            ),
            ip_address=None,
            user_agent="",
        )
        erasure.delete(
            PeriodSummary.objects.filter(
                trainee=user, status=PeriodSummary.Status.CLOSED, cosign_requests=None
            )
        )

    def apply_retention(self, *, now: datetime.datetime) -> dict[str, int]:
        """Unused co-signing links, some time after they expired, lose the supervisor's name
        and address (a used one stays with the period it confirmed)."""
        stale = PeriodCosignRequest.objects.filter(
            used_at=None, expires_at__lt=now - UNUSED_LINK_RETENTION
        ).filter(~Q(supervisor_name="") | ~Q(supervisor_email=""))
        return {
            "demandes de cosignature inutilisées anonymisées": stale.update(
                supervisor_name="", supervisor_email=""
            )
        }
