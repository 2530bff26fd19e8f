"""The fixed reasons an enrolment's history gives, read in the reader's language (the
mechanism is institut.reasons; the codes are here).

A service records a reason as a code with its parameters (`enrolment_reason("payment_confirmed",
payment=12)`); the history row keeps them (`reason_code`, `reason_params`) beside the text it
always kept (`reason`, in English: "payment 12 confirmed by Stripe"). `reason_text` writes a row's
reason for a person: « Paiement n° 12 confirmé par Stripe », "Payment no. 12 confirmed by
Stripe". A row without a code (written before codes, or a reason typed by a person) reads as
stored; what a person typed inside a fixed wording (a waiver, a hold) stays as typed.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from institut.reasons import Reason, Reasons, Wording

__all__ = ["ENROLMENT_REASONS", "STORED_LENGTH", "Reason", "enrolment_reason", "reason_text"]

# The `reason` column's length: the stored text is cut to it.
STORED_LENGTH = 255


def _funding_source(value) -> str:
    from courses.payments.models import FundingSource

    return str(dict(FundingSource.choices).get(value, value))


def _funded(params: Mapping) -> str:
    """« Inscription financée (Employeur), référence BC-2026-114 ; prérequis levés : … »"""
    words = {**params, "source": _funding_source(params["source"])}
    if params.get("reference"):
        text = _("Inscription financée (%(source)s), référence %(reference)s") % words
    else:
        text = _("Inscription financée (%(source)s)") % words
    if params.get("waiver"):
        text = _("%(text)s ; prérequis levés : %(waiver)s") % {**words, "text": text}
    return str(text)


def _funded_stored(params: Mapping) -> str:
    text = f"funded ({params['source']}) {params.get('reference', '')}".strip()
    if params.get("waiver"):
        text = f"{text}; prerequisites waived: {params['waiver']}"
    return text


ENROLMENT_REASONS = Reasons(
    {
        "enrolled": Wording(stored="enrolment", shown=_("Inscription à la formation")),
        "lessons_complete": Wording(
            stored="all required lessons complete",
            shown=_("Toutes les leçons obligatoires sont terminées"),
        ),
        "checkout_started": Wording(
            stored="checkout started", shown=_("Paiement en ligne commencé")
        ),
        "checkout_restarted": Wording(
            stored="checkout started again", shown=_("Paiement en ligne repris")
        ),
        "abandoned": Wording(
            stored="abandoned before payment", shown=_("Abandon avant le paiement")
        ),
        "payment_confirmed": Wording(
            stored="payment {payment} confirmed by Stripe",
            shown=_("Paiement n° %(payment)s confirmé par Stripe"),
        ),
        "payment_accepted": Wording(
            stored="payment {payment} accepted by staff: {note}",
            shown=_("Paiement n° %(payment)s accepté par l'équipe : %(note)s"),
        ),
        "refunded": Wording(
            stored="payment {payment} fully refunded",
            shown=_("Paiement n° %(payment)s remboursé en totalité"),
        ),
        "refunded_completed": Wording(
            stored="payment {payment} fully refunded; completion kept on record",
            shown=_("Paiement n° %(payment)s remboursé en totalité ; la formation reste terminée"),
        ),
        "refund_failed": Wording(
            stored="payment {payment} counts as paid again: refund failed",
            shown=_(
                "Remboursement échoué : le paiement n° %(payment)s compte de nouveau comme payé"
            ),
        ),
        "funded": Wording(stored=_funded_stored, shown=_funded),
    },
    stored_length=STORED_LENGTH,
)


# A service records a fixed reason with `enrolment_reason(code, **params)`; a reader writes a
# row's with `reason_text(code, params, stored)`.
enrolment_reason = ENROLMENT_REASONS.reason
reason_text = ENROLMENT_REASONS.text
