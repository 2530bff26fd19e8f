"""Refunds: staff ask Stripe for one from the admin (refund_start); what Stripe refunded comes
back by webhook as a credit note for what is new; a full refund ends access unless another
payment or a funding still pays for the course.
"""

from __future__ import annotations

import logging
from datetime import datetime

import stripe
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
)
from courses.payments.permissions import can_refund_payments
from courses.payments.services import checkout, invoices
from courses.services import CourseActionRefused, enrolment_note, enrolment_transition
from institut.formats import money

logger = logging.getLogger(__name__)


def refund_apply(
    *, enrolment: Enrolment, payment: Payment, charge: dict, sent_at: datetime | None = None
) -> str:
    """Record what Stripe refunded (a cumulative amount, as of `sent_at`, the event's creation):
    a credit note for what is new, one per Stripe refund, never a second one."""
    refunded = int(charge.get("amount_refunded") or 0)
    if charge.get("refunded") or refunded >= payment.amount_cents:
        refunded = payment.amount_cents
    new = refunded - payment.amount_refunded_cents
    if new <= 0:
        return "refund already recorded"
    invoice = Invoice.objects.filter(payment=payment, kind=InvoiceKind.INVOICE).first()
    known = _refunds_to_credit(payment, new, invoice)
    # What no refund asked here explains (a refund made in Stripe's dashboard), less what a
    # late event still counts of refunds that failed since.
    unknown = new - sum(amount for _id, amount in known) - _failed_since(payment, sent_at)
    new = sum(amount for _id, amount in known) + max(unknown, 0)
    if new <= 0:
        return "refund already recorded"
    payment.amount_refunded_cents += new
    full = payment.amount_refunded_cents >= payment.amount_cents
    payment.status = PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["amount_refunded_cents", "status", "updated"])
    if invoice is not None:
        for stripe_refund_id, amount in known:
            invoices.credit_note_issue(
                invoice=invoice, amount_cents=amount, stripe_refund_id=stripe_refund_id
            )
        if unknown > 0:
            invoices.credit_note_issue(invoice=invoice, amount_cents=unknown)
    checkout.payment_email_schedule(payment.pk, "refunded")
    if full:
        _access_end_after_refund(enrolment=enrolment, payment=payment)
        return "refunded"
    return "partially refunded"


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


def _access_end_after_refund(*, enrolment: Enrolment, payment: Payment) -> None:
    """A full refund ends access, unless another payment or a funding still pays for it."""
    still_paid = (
        enrolment.payments.exclude(pk=payment.pk)
        .filter(status__in=(PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED))
        .exists()
        or enrolment.fundings.exists()
    )
    reason = f"payment {payment.pk} fully refunded"
    if still_paid:
        return
    if enrolment.status == EnrolmentStatus.ACTIVE:
        enrolment_transition(
            enrolment=enrolment, to_status=EnrolmentStatus.ENDED, actor=None, reason=reason
        )
    elif enrolment.status == EnrolmentStatus.COMPLETED:
        # A completed course is a permanent fact: the refund is recorded beside it.
        enrolment_note(
            enrolment=enrolment, actor=None, reason=f"{reason}; completion kept on record"
        )


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
    """A refund.* event: record where a refund staff asked for stands; tell staff if it failed."""
    metadata = refund.get("metadata") or {}
    request_id = metadata.get("refund_request_id")  # digits: event_shapes checked it
    request = RefundRequest.objects.filter(stripe_refund_id=refund["id"]).first()
    if request is None and request_id:
        request = RefundRequest.objects.filter(
            pk=int(request_id), stripe_refund_id__in=("", refund["id"])
        ).first()
    if request is None:
        return "refund not asked here"
    status = _REFUND_STATUSES.get(refund.get("status"))
    if status is None or status == request.status:
        return "nothing to do"
    if not _refund_request_record(request, status=status, stripe_refund_id=refund["id"]):
        return "nothing to do"
    if status == RefundStatus.FAILED:
        _credit_note_cancel_after_failure(request)
        checkout.staff_alert_schedule(request.payment_id, "refund_failed", version=request.pk)
    return f"refund {status}"


@transaction.atomic
def _credit_note_cancel_after_failure(request: RefundRequest) -> None:
    """A refund that failed once its credit note was issued (it had succeeded, or was pending):
    the money stayed with the Institut, so the payment counts it as paid again and an invoice of
    the same amount cancels the credit note (which, numbered, is never deleted)."""
    payment = Payment.objects.select_for_update().get(pk=request.payment_id)
    amount = min(request.amount_cents, payment.amount_refunded_cents)
    note = invoices.credit_note_of_refund(request.stripe_refund_id) or (
        Invoice.objects.filter(payment=payment, kind=InvoiceKind.CREDIT_NOTE, stripe_refund_id="")
        .exclude(credit_notes__kind=InvoiceKind.INVOICE)
        .order_by("-sequence")
        .first()
    )
    if amount <= 0 or note is None:
        return
    payment.amount_refunded_cents -= amount
    payment.status = (
        PaymentStatus.PARTIALLY_REFUNDED if payment.amount_refunded_cents else PaymentStatus.PAID
    )
    payment.save(update_fields=["amount_refunded_cents", "status", "updated"])
    invoices.credit_note_cancel(note=note, amount_cents=amount)
