"""What renewal audits hold about a certificate's holder: the audits drawn, the evidence they
uploaded (the files themselves), every step (exported, erased or pseudonymised for
institut.privacy)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from certification.audits.models import RenewalAudit, RenewalAuditEvent, RenewalAuditEvidence
from certification.audits.reasons import AUDIT_REASONS
from institut.privacy import FileSpec, NoticeSpec, Provider, TableSpec, trail_columns, trail_labels
from institut.reasons import REASON_DATA, REASON_PERSONAL, reason_words


class AuditsData(Provider):
    """Renewal audits: the outcome and its steps are kept (they bear on a certificate that stays
    verifiable), without the holder's documents or mentions of them."""

    key = "audits"
    label = _("Audits de renouvellement")
    order = 32

    table_specs = (
        TableSpec(
            "audits",
            _("Audits de renouvellement"),
            RenewalAudit,
            "certificate__holder",
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
            order_by=["requested_at", "pk"],
        ),
        TableSpec(
            "justificatifs",
            _("Justificatifs déposés"),
            RenewalAuditEvidence,
            "audit__certificate__holder",
            ["audit_id", "category", "original_name", "size", "note", "uploaded_at"],
            order_by=["uploaded_at", "pk"],
        ),
        TableSpec(
            "historique_audits",
            _("Historique des audits"),
            RenewalAuditEvent,
            "audit__certificate__holder",
            trail_columns("audit_id", _("Audit")),
            order_by=["at", "pk"],
            labels={
                **trail_labels(RenewalAuditEvent.ACTIONS, RenewalAudit.Status.choices),
                "reason": reason_words(AUDIT_REASONS),
            },
            data=REASON_DATA,
        ),
    )
    file_specs = (
        FileSpec(
            RenewalAuditEvidence,
            "audit__certificate__holder",
            "file",
            "fichiers/audits/{row.audit_id}-{row.pk}.pdf",
        ),
    )
    notice_specs = (
        NoticeSpec(
            _(
                "Les audits de renouvellement de vos certificats et leur conclusion restent "
                "enregistrés, sans votre nom ; les justificatifs que vous avez déposés sont "
                "supprimés."
            ),
            RenewalAudit,
            "certificate__holder",
        ),
    )

    def erase(self, user, erasure) -> None:
        erasure.clear(
            RenewalAuditEvidence.objects.filter(audit__certificate__holder=user),
            "file",
            "original_name",
            "note",
        )
        erasure.scrub(RenewalAudit.objects.filter(certificate__holder=user), "outcome_reason")
        erasure.scrub(
            RenewalAuditEvent.objects.filter(audit__certificate__holder=user), *REASON_PERSONAL
        )
