"""Refunds: staff ask Stripe for one from the admin (refund_start); what Stripe refunded comes
back by webhook as a credit note for what is new; a full refund ends access unless another
payment or a funding still pays for the course, and if it then fails, the access opens again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import stripe
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from courses.models import Enrolment, EnrolmentStatus
from courses.payments.models import (
    Invoice,
    InvoiceKind,
    Payment,
    PaymentStatus,
    RefundRequest,
    RefundStatus,
    StripeEvent,
)
from courses.payments.permissions import can_refund_payments
from courses.payments.services import checkout, event_shapes, invoices
from courses.reasons import Reason, enrolment_reason
from courses.services import CourseActionRefused, enrolment_note, enrolment_transition
from institut.formats import money

logger = logging.getLogger(__name__)


def refund_apply(
    *, enrolment: Enrolment, payment: Payment, charge: dict, sent_at: datetime | None = None
) -> str:
    """Record what Stripe refunded (a cumulative amount, as of `sent_at`, the event's creation):
    a credit note for what is new, one per Stripe refund, never a second one.

    Refunds staff asked for here are credited under their Stripe id; so are refunds made outside
    the admin (in Stripe's dashboard), found in the charge's list of refunds or, since API version
    2022-11-15 leaves it out, in Stripe's list of the payment's refunds. Only money that no refund
    Stripe lists explains (Stripe did not answer) is credited without an id."""
    refunded = int(charge.get("amount_refunded") or 0)
    if charge.get("refunded") or refunded >= payment.amount_cents:
        refunded = payment.amount_cents
    new = refunded - payment.amount_refunded_cents
    if new <= 0:
        return "refund already recorded"
    # The payment's own invoice: never the newer one cancelling the credit note of a failed refund.
    invoice = invoices.payment_invoice(payment)
    known = _refunds_to_credit(payment, new, invoice)
    unexplained = new - _total(known)
    if unexplained > 0 and invoice is not None:
        outside, failed_cents = _outside_refunds_to_credit(
            payment, _stripe_refunds_of(payment, charge), unexplained
        )
        known += outside
        unexplained -= _total(outside) + failed_cents
    # What no refund explains, less what a late event still counts of refunds that failed since.
    unknown = unexplained - _failed_since(payment, sent_at)
    new = _total(known) + max(unknown, 0)
    if new <= 0:
        return "refund already recorded"
    payment.amount_refunded_cents += new
    full = payment.amount_refunded_cents >= payment.amount_cents
    payment.status = PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["amount_refunded_cents", "status", "updated"])
    notes = []
    if invoice is not None:
        for stripe_refund_id, amount in known:
            notes.append(
                invoices.credit_note_issue(
                    invoice=invoice, amount_cents=amount, stripe_refund_id=stripe_refund_id
                )
            )
        if unknown > 0:
            notes.append(invoices.credit_note_issue(invoice=invoice, amount_cents=unknown))
    checkout.payment_email_schedule(payment.pk, "refunded", issued=notes)
    if full:
        _access_end_after_refund(enrolment=enrolment, payment=payment)
        return "refunded"
    return "partially refunded"


def _total(refunds: list[tuple[str, int]]) -> int:
    return sum(amount for _id, amount in refunds)


def _refunds_to_credit(
    payment: Payment, new_cents: int, invoice: Invoice | None
) -> list[tuple[str, int]]:
    """The refunds staff asked for (Stripe id, amount), in order, that the new amount covers and
    that have no credit note yet."""
    if invoice is None:
        return []
    asked = list(
        payment.refund_requests.filter(status__in=_REFUND_ASKED)
        .exclude(stripe_refund_id="")
        .order_by("pk")
        .values_list("stripe_refund_id", "amount_cents")
    )
    credited = set(
        Invoice.objects.filter(
            kind=InvoiceKind.CREDIT_NOTE,
            stripe_refund_id__in=[stripe_refund_id for stripe_refund_id, _amount in asked],
        ).values_list("stripe_refund_id", flat=True)
    )
    known = []
    for stripe_refund_id, amount in asked:
        if amount <= new_cents and stripe_refund_id not in credited:
            known.append((stripe_refund_id, amount))
            new_cents -= amount
    return known


def _failed_since(payment: Payment, sent_at: datetime | None) -> int:
    """What refunds that failed after an event was sent still weigh in its cumulative amount:
    an older event delivered late counts money that came back to the Institut since."""
    if sent_at is None:
        return 0
    cancelled = Invoice.objects.filter(
        payment=payment,
        kind=InvoiceKind.INVOICE,
        credited_invoice__kind=InvoiceKind.CREDIT_NOTE,
        issued_at__gt=sent_at,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return cancelled or 0


def _stripe_refunds_of(payment: Payment, charge: dict) -> list[dict]:
    """The refunds Stripe made of the payment (id, amount, status, metadata): the charge's own
    list when it carries one whole (API versions before 2022-11-15), else Stripe's API; none
    when Stripe does not answer."""
    carried = charge.get("refunds")
    if isinstance(carried, dict) and not carried.get("has_more"):
        return carried["data"]  # event_shapes checked its shape
    if not settings.STRIPE_SECRET_KEY or not payment.stripe_payment_intent_id:
        return []
    try:
        listed = (
            checkout.stripe_client()
            .v1.refunds.list(
                params={"payment_intent": payment.stripe_payment_intent_id, "limit": 100}
            )
            .to_dict()
        )
        event_shapes.check_refund_list(listed)
    except (stripe.StripeError, event_shapes.ShapeError) as error:
        logger.warning("Stripe's refunds of payment %s unread: %s", payment.pk, error)
        return []
    return listed["data"]


def _outside_refunds_to_credit(
    payment: Payment, listed: list[dict], unexplained_cents: int
) -> tuple[list[tuple[str, int]], int]:
    """The refunds made outside the admin (Stripe id, amount), oldest first, that the new amount
    covers, that Stripe still counts, that no event said failed, and that have no credit note;
    and what the refunds known to have failed and never credited weigh: a late event may still
    count them, and their money is never credited without an id."""
    requests = payment.refund_requests.values_list("pk", "stripe_refund_id")
    asked_ids = {stripe_refund_id for _pk, stripe_refund_id in requests if stripe_refund_id}
    asked_pks = {str(pk) for pk, _stripe_refund_id in requests}
    failed = _refunds_failed(payment)
    for refund in listed:
        if _REFUND_STATUSES.get(refund.get("status")) == RefundStatus.FAILED:
            failed[refund["id"]] = int(refund.get("amount") or 0)
    # Stripe lists the newest first; the oldest is credited first, even within one second.
    oldest_first = sorted(
        enumerate(listed), key=lambda item: (item[1].get("created") or 0, -item[0])
    )
    candidates = [
        refund
        for _position, refund in oldest_first
        if _REFUND_STATUSES.get(refund.get("status")) in _REFUND_ASKED
        and refund["id"] not in asked_ids
        and refund["id"] not in failed
        and (refund.get("metadata") or {}).get("refund_request_id") not in asked_pks
    ]
    credited = set(
        Invoice.objects.filter(
            kind=InvoiceKind.CREDIT_NOTE,
            stripe_refund_id__in=[refund["id"] for refund in candidates] + list(failed),
        ).values_list("stripe_refund_id", flat=True)
    )
    outside = []
    for refund in candidates:
        amount = int(refund.get("amount") or 0)
        if 0 < amount <= unexplained_cents and refund["id"] not in credited:
            outside.append((refund["id"], amount))
            unexplained_cents -= amount
    failed_cents = sum(amount for refund_id, amount in failed.items() if refund_id not in credited)
    return outside, failed_cents


_REFUND_EVENT_TYPES = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")


def _refunds_failed(payment: Payment) -> dict[str, int]:
    """The refunds of the payment (Stripe id: amount) that a refund event already said failed:
    it may have come before the charge event, and Stripe's list may be older than it."""
    if not payment.stripe_payment_intent_id:
        return {}
    payloads = StripeEvent.objects.filter(
        payment_intent_id=payment.stripe_payment_intent_id, type__in=_REFUND_EVENT_TYPES
    ).values_list("payload", flat=True)
    failed = {}
    for payload in payloads:
        refund = ((payload or {}).get("data") or {}).get("object") or {}
        if _REFUND_STATUSES.get(refund.get("status")) == RefundStatus.FAILED and refund.get("id"):
            failed[refund["id"]] = int(refund.get("amount") or 0)
    return failed


def _access_end_after_refund(*, enrolment: Enrolment, payment: Payment) -> None:
    """A full refund ends access, unless another payment or a funding still pays for it."""
    still_paid = (
        enrolment.payments.exclude(pk=payment.pk)
        .filter(status__in=(PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED))
        .exists()
        or enrolment.fundings.exists()
    )
    reason = _refund_end_reason(payment.pk)
    if still_paid:
        return
    if enrolment.status == EnrolmentStatus.ACTIVE:
        enrolment_transition(
            enrolment=enrolment, to_status=EnrolmentStatus.ENDED, actor=None, reason=reason
        )
    elif enrolment.status == EnrolmentStatus.COMPLETED:
        # A completed course is a permanent fact: the refund is recorded beside it.
        enrolment_note(
            enrolment=enrolment,
            actor=None,
            reason=enrolment_reason("refunded_completed", payment=payment.pk),
        )


def _refund_end_reason(payment_id: int) -> Reason:
    """The reason, in the enrolment's event trail, of an access that a full refund ended."""
    return enrolment_reason("refunded", payment=payment_id)


def _access_reopen_after_failure(*, enrolment: Enrolment, payment: Payment) -> bool:
    """A refund of the payment failed, and the payment counts as paid again: the access that
    its full refund ended opens again. Only when the enrolment's last event says that refund
    ended it: an access staff or the trainee ended stays ended, and so does one already reopened
    (the same failure delivered twice). True when it reopened."""
    if enrolment.status != EnrolmentStatus.ENDED or payment.status not in (
        PaymentStatus.PAID,
        PaymentStatus.PARTIALLY_REFUNDED,
    ):
        return False
    last = enrolment.events.order_by("at", "pk").last()
    if last is None or (last.to_status, last.reason) != (
        EnrolmentStatus.ENDED,
        _refund_end_reason(payment.pk).stored,
    ):
        return False
    enrolment_transition(
        enrolment=enrolment,
        to_status=EnrolmentStatus.ACTIVE,
        actor=None,
        reason=enrolment_reason("refund_failed", payment=payment.pk),
    )
    return True


# --- Refunds asked by staff ----------------------------------------------------------------------


# Requests that Stripe accepted, or may have: their amounts are refunded, or about to be.
_REFUND_ASKED = (RefundStatus.REQUESTED, RefundStatus.PENDING, RefundStatus.SUCCEEDED)


def refund_available_cents(*, payment: Payment) -> int:
    """What staff may still ask Stripe to refund: what it took, less what is refunded as far as
    we know (its webhooks' total, or what staff asked here if that is more, the webhook not
    having come yet). Stripe checks it again."""
    asked = payment.refund_requests.filter(status__in=_REFUND_ASKED).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return max(payment.refundable_cents - max((asked or 0) - payment.amount_refunded_cents, 0), 0)


def refund_request_for(*, payment: Payment, key: str) -> RefundRequest | None:
    """The request a confirmation form (its key) already made, if any."""
    return RefundRequest.objects.filter(idempotency_key=_idempotency_key(payment.pk, key)).first()


def _idempotency_key(payment_id: int, key: str) -> str:
    return f"refund-{payment_id}-{key}"[:100]


def _refund_request_prepare(
    *, actor, payment_id: int, amount_cents: int, reason: str, key: str
) -> RefundRequest:
    """The request to send: a new one, or the one of the same confirmation sent again."""
    if not can_refund_payments(actor):
        raise CourseActionRefused(_("Vous ne pouvez pas rembourser de paiement."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise CourseActionRefused(_("Ce paiement n'existe pas."))
        request = refund_request_for(payment=payment, key=key)
        if request is not None:
            return request  # the same confirmation, submitted again: never a second refund
        available = refund_available_cents(payment=payment)
        if not payment.stripe_payment_intent_id or available <= 0:
            raise CourseActionRefused(_("Ce paiement n'a plus rien à rembourser."))
        if amount_cents <= 0 or amount_cents > available:
            raise CourseActionRefused(
                _("Le montant dépasse ce qui reste à rembourser (%(available)s).")
                % {"available": money(available, payment.currency)}
            )
        return RefundRequest.objects.create(
            payment=payment,
            amount_cents=amount_cents,
            reason=reason,
            requested_by=actor,
            idempotency_key=_idempotency_key(payment.pk, key),
        )


@transaction.atomic
def _refund_request_record(request: RefundRequest, *, status: str, **fields) -> bool:
    """Move a request to `status` if it may still go there (a webhook may have come first)."""
    current = RefundRequest.objects.select_for_update().get(pk=request.pk)
    if status != current.status and status not in _REFUND_STATUS_MAY_BECOME[current.status]:
        return False
    if current.stripe_refund_id:
        fields.pop("stripe_refund_id", None)
    RefundRequest.objects.filter(pk=request.pk).update(status=status, **fields)
    for name, value in {"status": status, **fields}.items():
        setattr(request, name, value)
    return True


def refund_start(
    *, actor, payment_id: int, amount_cents: int, reason: str, key: str
) -> RefundRequest:
    """Ask Stripe to refund (part of) a payment; its webhook then issues the credit note.

    `key` comes from the confirmation form: the same confirmation sent twice (a double click,
    a retry after Stripe did not answer) is the same request with the same idempotency key, so
    Stripe refunds once. The request is stored before Stripe is called, so that a crash leaves
    a trace of it.
    """
    request = _refund_request_prepare(
        actor=actor, payment_id=payment_id, amount_cents=amount_cents, reason=reason, key=key
    )
    if not request.may_send:
        return request
    payment = request.payment
    try:
        refund = checkout.stripe_client().v1.refunds.create(
            params={
                "payment_intent": payment.stripe_payment_intent_id,
                "amount": request.amount_cents,
                "metadata": {
                    "refund_request_id": str(request.pk),
                    "payment_id": str(payment.pk),
                    "reason": request.reason[:500],
                },
            },
            options={"idempotency_key": request.idempotency_key},
        )
    except stripe.InvalidRequestError as error:
        logger.warning("Stripe refused refund request %s: %s", request.pk, error)
        _refund_request_record(request, status=RefundStatus.REFUSED, error_message=str(error)[:500])
        if getattr(error, "param", None) == "amount":
            raise CourseActionRefused(
                _(
                    "Stripe refuse ce montant : il dépasse ce qui reste à rembourser sur ce "
                    "paiement. Aucun remboursement n'a été fait."
                )
            ) from error
        raise CourseActionRefused(
            _("Stripe a refusé ce remboursement : %(error)s")
            % {"error": error.user_message or error.__class__.__name__}
        ) from error
    except stripe.StripeError as error:
        logger.warning("Stripe did not answer refund request %s: %s", request.pk, error)
        _refund_request_record(
            request, status=RefundStatus.UNREACHABLE, error_message=str(error)[:500]
        )
        raise CourseActionRefused(
            _(
                "Le service de paiement ne répond pas : le remboursement n'est pas confirmé. "
                "Réessayez dans quelques minutes avec le même formulaire : il ne sera jamais "
                "fait deux fois."
            )
        ) from error
    _refund_request_record(
        request,
        status=_REFUND_STATUSES.get(refund.status, RefundStatus.PENDING),
        stripe_refund_id=refund.id,
        error_message="",
    )
    return request


# Stripe's refund statuses, and ours.
_REFUND_STATUSES = {
    "pending": RefundStatus.PENDING,
    "requires_action": RefundStatus.PENDING,
    "succeeded": RefundStatus.SUCCEEDED,
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.FAILED,
}
# What a later event may still change: a final failure is never undone by an older event.
_REFUND_STATUS_MAY_BECOME = {
    RefundStatus.REQUESTED: set(RefundStatus),
    RefundStatus.UNREACHABLE: set(RefundStatus),
    RefundStatus.PENDING: {RefundStatus.SUCCEEDED, RefundStatus.FAILED},
    RefundStatus.SUCCEEDED: {RefundStatus.FAILED},
    RefundStatus.FAILED: set(),
    RefundStatus.REFUSED: set(),
}


def refund_status_apply(*, refund: dict) -> str:
    """A refund.* event: record where a refund staff asked for stands; tell staff if it failed.
    A refund made outside the admin that failed has its credit note cancelled too."""
    metadata = refund.get("metadata") or {}
    request_id = metadata.get("refund_request_id")  # digits: event_shapes checked it
    request = RefundRequest.objects.filter(stripe_refund_id=refund["id"]).first()
    if request is None and request_id:
        request = RefundRequest.objects.filter(
            pk=int(request_id), stripe_refund_id__in=("", refund["id"])
        ).first()
    if request is None:
        return _outside_refund_status_apply(refund)
    status = _REFUND_STATUSES.get(refund.get("status"))
    if status is None or status == request.status:
        return "nothing to do"
    if not _refund_request_record(request, status=status, stripe_refund_id=refund["id"]):
        return "nothing to do"
    if status == RefundStatus.FAILED:
        failure = _credit_note_cancel_after_failure(
            payment_id=request.payment_id,
            stripe_refund_id=request.stripe_refund_id,
            amount_cents=request.amount_cents,
            idless_too=True,
        )
        checkout.staff_alert_schedule(
            request.payment_id, "refund_failed", version=request.pk, facts=failure.facts()
        )
    return f"refund {status}"


def _outside_refund_status_apply(refund: dict) -> str:
    """A refund made outside the admin (in Stripe's dashboard): charge.refunded credits it under
    its id; if it fails, its credit note is cancelled and staff are told, once."""
    if _REFUND_STATUSES.get(refund.get("status")) != RefundStatus.FAILED:
        return "refund not asked here"
    intent = refund.get("payment_intent")
    payment_id = (
        Payment.objects.filter(stripe_payment_intent_id=intent).values_list("pk", flat=True).first()
        if intent
        else None
    )
    if payment_id is None:
        # Kept with its payment intent: a charge event applied later never credits it.
        return "refund not asked here"
    failure = _credit_note_cancel_after_failure(
        payment_id=payment_id, stripe_refund_id=refund["id"]
    )
    if failure.outcome == "already cancelled":
        return "nothing to do"
    checkout.staff_alert_schedule(
        payment_id, "refund_failed", version=refund["id"], facts=failure.facts()
    )
    return "refund failed" if failure.outcome == "cancelled" else "refund failed, nothing credited"


@dataclass(frozen=True)
class _Failure:
    """What a failed refund changed: its credit note "cancelled", "already cancelled" or "no
    credit note" (none matched it); and whether the access its full refund ended reopened."""

    outcome: str
    access_restored: bool = False

    def facts(self) -> dict:
        """What the staff alert says happened."""
        return {
            "credit_note_cancelled": self.outcome == "cancelled",
            "access_restored": self.access_restored,
        }


@transaction.atomic
def _credit_note_cancel_after_failure(
    *, payment_id: int, stripe_refund_id: str, amount_cents: int | None = None, idless_too=False
) -> _Failure:
    """A refund that failed once its credit note was issued (it had succeeded, or was pending):
    the money stayed with the Institut, so the payment counts it as paid again, an invoice of
    the same amount cancels the credit note (which, numbered, is never deleted), and the access
    that its full refund ended opens again (the trainee is told). Its credit note is the one
    bearing its Stripe id or, with `idless_too`, the latest one credited without an id. The
    trainee's e-mail carries the invoice that cancels it."""
    # The enrolment, then the payment: the order of the charge events' locks.
    enrolment_id = Payment.objects.values_list("enrolment_id", flat=True).get(pk=payment_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    note = invoices.credit_note_of_refund(stripe_refund_id) if stripe_refund_id else None
    if note is None and idless_too:
        note = (
            Invoice.objects.filter(
                payment=payment, kind=InvoiceKind.CREDIT_NOTE, stripe_refund_id=""
            )
            .exclude(credit_notes__kind=InvoiceKind.INVOICE)
            .order_by("-sequence")
            .first()
        )
    if note is None or note.payment_id != payment.pk:
        return _Failure("no credit note")
    if note.credit_notes.filter(kind=InvoiceKind.INVOICE).exists():
        return _Failure("already cancelled")
    amount = min(amount_cents or note.amount_cents, payment.amount_refunded_cents)
    if amount <= 0:
        return _Failure("no credit note")
    payment.amount_refunded_cents -= amount
    payment.status = (
        PaymentStatus.PARTIALLY_REFUNDED if payment.amount_refunded_cents else PaymentStatus.PAID
    )
    payment.save(update_fields=["amount_refunded_cents", "status", "updated"])
    cancelling = invoices.credit_note_cancel(note=note, amount_cents=amount)
    restored = _access_reopen_after_failure(enrolment=enrolment, payment=payment)
    if restored:
        checkout.payment_email_schedule(
            payment.pk, "access_restored", version=note.pk, issued=[cancelling]
        )
    return _Failure("cancelled", access_restored=restored)
