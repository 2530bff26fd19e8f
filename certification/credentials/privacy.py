"""What the signed credentials hold about a person: the place of each of their certificates and
training attestations in the published status lists (exported for institut.privacy).

The badges themselves (Open Badges 3.0) are signed when downloaded and never stored; the rows
here hold no name, and stay after an erasure: a credential already handed out must keep
answering for its status, and its bit is never given to another."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.credentials.models import StatusListEntry
from institut.privacy import NoticeSpec, Provider, TableSpec


def holds_credential(user) -> Q:
    """Status-list entries of the person's certificates and training attestations."""
    return Q(certificate__holder=user) | Q(attestation__user=user)


class CredentialsData(Provider):
    """Open Badges: each credential's entries in the status lists (no personal text)."""

    key = "badges"
    label = _("Badges numériques")
    order = 31

    table_specs = (
        TableSpec(
            "entrees_statuts",
            _("Badges délivrés et leur place dans les listes de statuts"),
            StatusListEntry,
            holds_credential,
            {
                "certificate__number": _("Certificat"),
                "attestation__number": _("Attestation"),
                "status_list__purpose": _("Liste"),
                "status_list__sequence": _("Numéro de liste"),
                "index": _("Index"),
                "allocated_at": _("Attribué le"),
            },
            order_by=["allocated_at", "pk"],
        ),
    )
    notice_specs = (
        NoticeSpec(
            _(
                "Les badges numériques déjà remis restent vérifiables : leur statut (valide, "
                "suspendu, retiré) continue d'être publié, sans votre nom."
            ),
            StatusListEntry,
            holds_credential,
        ),
    )
