"""What renewal audits hold about a certificate's holder: the audits drawn, the evidence they
uploaded (the files themselves), every step (exported, erased or pseudonymised for
institut.privacy)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.audits.models import RenewalAudit, RenewalAuditEvent, RenewalAuditEvidence
from institut.privacy import File, Notice, Provider, Table, table, trail_columns


class AuditsData(Provider):
    """Renewal audits: the outcome and its steps are kept (they bear on a certificate that stays
    verifiable), without the holder's documents or mentions of them."""

    key = "audits"
    label = _("Audits de renouvellement")
    order = 32

    def tables(self, user) -> list[Table]:
        return [
            table(
                "audits",
                _("Audits de renouvellement"),
                RenewalAudit.objects.filter(certificate__holder=user).order_by(
                    "requested_at", "pk"
                ),
                {
                    "id": _("Numéro"),
                    "certificate__number": _("Certificat"),
                    "status": _("Statut"),
                    "deadline": _("Justificatifs à déposer avant le"),
                    "requested_at": _("Demandés le"),
                    "submitted_at": _("Déposés le"),
                    "decided_at": _("Examiné le"),
                    "outcome_reason": _("Motif"),
                },
            ),
            table(
                "justificatifs",
                _("Justificatifs déposés"),
                RenewalAuditEvidence.objects.filter(audit__certificate__holder=user).order_by(
                    "uploaded_at", "pk"
                ),
                ["audit_id", "category", "original_name", "size", "note", "uploaded_at"],
            ),
            table(
                "historique_audits",
                _("Historique des audits"),
                RenewalAuditEvent.objects.filter(audit__certificate__holder=user).order_by(
                    "at", "pk"
                ),
                trail_columns("audit_id", _("Audit")),
            ),
        ]

    def files(self, user) -> list[File]:
        evidence = RenewalAuditEvidence.objects.filter(audit__certificate__holder=user)
        return [
            File(f"fichiers/audits/{e.audit_id}-{e.pk}.pdf", e.file, str(e))
            for e in evidence.exclude(file="")
        ]

    def notices(self, user) -> list[Notice]:
        if not RenewalAudit.objects.filter(certificate__holder=user).exists():
            return []
        return [
            Notice(
                _(
                    "Les audits de renouvellement de vos certificats et leur conclusion restent "
                    "enregistrés, sans votre nom ; les justificatifs que vous avez déposés sont "
                    "supprimés."
                )
            )
        ]

    def erase(self, user, erasure) -> None:
        evidence = RenewalAuditEvidence.objects.filter(audit__certificate__holder=user)
        erasure.delete_files(e.file for e in evidence.exclude(file=""))
        erasure.rewrite(
            evidence.filter(~Q(file="") | ~Q(original_name="") | ~Q(note="")),
            file="",
            original_name="",
            note="",
        )
        erasure.scrub(RenewalAudit.objects.filter(certificate__holder=user), "outcome_reason")
        erasure.scrub(RenewalAuditEvent.objects.filter(audit__certificate__holder=user), "reason")
