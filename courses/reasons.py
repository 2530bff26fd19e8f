"""The fixed reasons an enrolment's history gives, read in the reader's language.

A service records a reason as a code with its parameters (`enrolment_reason("payment_confirmed",
payment=12)`); the history row keeps them (`reason_code`, `reason_params`) beside the text it
always kept (`reason`, in English: "payment 12 confirmed by Stripe"). `reason_text` writes a row's
reason for a person: « Paiement n° 12 confirmé par Stripe », "Payment no. 12 confirmed by
Stripe". A row without a code (written before codes, or a reason typed by a person) reads as
stored; what a person typed inside a fixed wording (a waiver, a hold) stays as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The `reason` column's length: the stored text is cut to it.
STORED_LENGTH = 255


@dataclass(frozen=True)
class Reason:
    """A fixed reason as a service records it: its code, its parameters and its stored text."""

    code: str
    params: dict = field(default_factory=dict)
    stored: str = ""

    @property
    def columns(self) -> dict:
        """The history row's columns that hold it."""
        return {"reason": self.stored, "reason_code": self.code, "reason_params": self.params}


@dataclass(frozen=True)
class Wording:
    """How a code reads: `stored`, the English text kept in the row (a str.format of the
    parameters), and `shown`, the words for a person (a lazy French text with %(name)s
    parameters, or a function of the parameters)."""

    stored: str | Callable[[Mapping], str]
    shown: Promise | Callable[[Mapping], str]

    def stored_text(self, params: Mapping) -> str:
        if callable(self.stored):
            return self.stored(params)
        return self.stored.format(**params)

    def text(self, params: Mapping) -> str:
        if callable(self.shown):
            return self.shown(params)
        return str(self.shown) % params


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


ENROLMENT_REASONS: dict[str, Wording] = {
    "enrolled": Wording("enrolment", _("Inscription à la formation")),
    "lessons_complete": Wording(
        "all required lessons complete", _("Toutes les leçons obligatoires sont terminées")
    ),
    "checkout_started": Wording("checkout started", _("Paiement en ligne commencé")),
    "checkout_restarted": Wording("checkout started again", _("Paiement en ligne repris")),
    "abandoned": Wording("abandoned before payment", _("Abandon avant le paiement")),
    "payment_confirmed": Wording(
        "payment {payment} confirmed by Stripe", _("Paiement n° %(payment)s confirmé par Stripe")
    ),
    "payment_accepted": Wording(
        "payment {payment} accepted by staff: {note}",
        _("Paiement n° %(payment)s accepté par l'équipe : %(note)s"),
    ),
    "refunded": Wording(
        "payment {payment} fully refunded", _("Paiement n° %(payment)s remboursé en totalité")
    ),
    "refunded_completed": Wording(
        "payment {payment} fully refunded; completion kept on record",
        _("Paiement n° %(payment)s remboursé en totalité ; la formation reste terminée"),
    ),
    "refund_failed": Wording(
        "payment {payment} counts as paid again: refund failed",
        _("Remboursement échoué : le paiement n° %(payment)s compte de nouveau comme payé"),
    ),
    "funded": Wording(_funded_stored, _funded),
}


def enrolment_reason(code: str, **params) -> Reason:
    """The reason `code` with its parameters, as a service records it (an unknown code or a
    missing parameter fails here, when it is written, not when it is read)."""
    wording = ENROLMENT_REASONS[code]
    wording.text(params)
    return Reason(code, params, wording.stored_text(params)[:STORED_LENGTH])


def reason_text(code: str, params: Mapping | None, stored: str) -> str:
    """A history row's reason in the current language: its code's words with its parameters,
    or the stored text for a row without a code (or with one this version does not know)."""
    wording = ENROLMENT_REASONS.get(code or "")
    if wording is None:
        return stored
    try:
        return wording.text(params or {})
    except (KeyError, TypeError, ValueError):
        return stored
