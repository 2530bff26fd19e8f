"""What the practice logbook holds about a person: entries, their review trail, period summaries
(exported, erased or pseudonymised for institut.privacy)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from institut.privacy import Notice, Provider, Table, table
from supervision.logbook.models import PeriodSummary, PracticeEntry, PracticeEntryEvent


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
        erasure.delete(
            PeriodSummary.objects.filter(trainee=user, status=PeriodSummary.Status.CLOSED)
        )
