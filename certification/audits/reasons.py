"""The fixed notes of a renewal audit's steps, read in the reader's language (the mechanism is
institut.reasons): the draw (its month and seed), each document joined (its nature, and its file
name as uploaded), the suspension proposed after the reminder. What the committee typed stays as
typed."""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from institut.reasons import Reasons, Wording


def _evidence(params: Mapping) -> str:
    """« heures de pratique : journal-2026.pdf », the nature in the reader's language."""
    # By the app registry: the models module reads its codes from here.
    evidence = apps.get_model("certification", "RenewalAuditEvidence")
    categories = dict(evidence.Category.choices)
    category = categories.get(params["category"], params["category"])
    return _("%(category)s : %(name)s") % {"category": category, "name": params["name"]}


AUDIT_REASONS = Reasons(
    {
        # month: "12/2026", written the same in every language.
        "drawn": Wording(_("Tirage de %(month)s, graine %(seed)s.")),
        "evidence_added": Wording(_evidence),
        "no_evidence": Wording(_("Aucun justificatif transmis %(days)s jours après le rappel.")),
    }
)

audit_reason = AUDIT_REASONS.reason
