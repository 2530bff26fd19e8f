"""The fixed reasons certification writes into its permanent records, read in the reader's
language (the mechanism is institut.reasons; the codes are here).

A certificate's history (`CERTIFICATE_REASONS`: granted, renewed, expired) and an application's
(`APPLICATION_REASONS`: withdrawn with the account) record a code and its parameters beside the
stored French text; what the committee typed stays as typed. The renewal audits' steps have
their own codes in certification.audits.reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.utils.translation import gettext_lazy as _

from institut.formats import date_text, hours_duration
from institut.method import Step
from institut.reasons import Reasons, Wording


def _expired(params: Mapping) -> str:
    """« La période de validité s'est achevée le 1 mars 2027. », the date in the reader's words."""
    return _("La période de validité s'est achevée le %(date)s.") % {
        "date": date_text(date.fromisoformat(params["date"]))
    }


CERTIFICATE_REASONS = Reasons(
    {
        "granted": Wording(_("Certification accordée par la commission.")),
        "renewed": Wording(_("Renouvellement accordé par la commission.")),
        "expired": Wording(_expired),
    }
)

# The scheme's requirements by code (certification.selectors), named for a person.
REQUIREMENT_LABELS = {
    "courses": _("Formations requises terminées"),
    "practice": _("Heures de pratique approuvées"),
    "supervision": _("Heures de supervision suivies"),
    "renewal_supervision": _("Heures de supervision suivies depuis la dernière délivrance"),
    "training": _("Heures de formation en session réalisées"),
    "charter": _("Charte éthique en vigueur acceptée"),
}


def requirement_label(code: str) -> str:
    """A requirement's name in the current language (« Pratique de l'étape « Inspirer
    confiance » » for a step's); an unknown code as it is."""
    if code.startswith("step:"):
        try:
            step = Step(code.removeprefix("step:"))
        except ValueError:
            return code
        return str(_("Pratique de l'étape « %(step)s »") % {"step": step.label})
    return str(REQUIREMENT_LABELS.get(code, code))


def _not_met(params: Mapping) -> str:
    """« Conditions non remplies au moment de la décision : Heures de pratique approuvées :
    12 h sur 20 h. », each requirement and amount in the reader's words."""

    def amount(value, unit: str):
        return hours_duration(value) if unit == "hours" else value

    missing = "; ".join(
        str(_("%(label)s : %(done)s sur %(needed)s"))
        % {
            "label": requirement_label(item["code"]),
            "done": amount(item["done"], item["unit"]),
            "needed": amount(item["needed"], item["unit"]),
        }
        for item in params["missing"]
    )
    return _("Conditions non remplies au moment de la décision : %(missing)s.") % {
        "missing": missing
    }


APPLICATION_REASONS = Reasons(
    {
        "account_erased": Wording(_("Compte supprimé à la demande de la personne.")),
        # missing: [{"code", "done", "needed", "unit"}] of each requirement not met.
        "grant_refused": Wording(_not_met),
    }
)

certificate_reason = CERTIFICATE_REASONS.reason
application_reason = APPLICATION_REASONS.reason
