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

from institut.reasons import Reasons, Wording


def _expired(params: Mapping) -> str:
    """« La période de validité s'est achevée le 1 mars 2027. », the date in the reader's words."""
    from institut.formats import date_text

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

APPLICATION_REASONS = Reasons(
    {
        "account_erased": Wording(_("Compte supprimé à la demande de la personne.")),
    }
)

certificate_reason = CERTIFICATE_REASONS.reason
application_reason = APPLICATION_REASONS.reason
