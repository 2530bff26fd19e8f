"""Refunds made in Stripe: a credit note for what is newly refunded; a full refund ends access
unless another payment or a funding still pays for the course.
"""

from __future__ import annotations

import logging

from courses.models import Enrolment, EnrolmentStatus
from courses.payments.models import (
    Invoice,
    InvoiceKind,
    Payment,
    PaymentStatus,
)
from courses.payments.services import checkout, invoices
from courses.services import enrolment_note, enrolment_transition

logger = logging.getLogger(__name__)


def refund_apply(*, enrolment: Enrolment, payment: Payment, charge: dict) -> str:
    """Record what Stripe refunded (a cumulative amount): a credit note for what is new."""
    refunded = int(charge.get("amount_refunded") or 0)
    if charge.get("refunded") or refunded >= payment.amount_cents:
        refunded = payment.amount_cents
    new = refunded - payment.amount_refunded_cents
    if new <= 0:
        return "refund already recorded"
    payment.amount_refunded_cents = refunded
    full = refunded >= payment.amount_cents
    payment.status = PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["amount_refunded_cents", "status", "updated"])
    invoice = Invoice.objects.filter(payment=payment, kind=InvoiceKind.INVOICE).first()
    if invoice is not None:
        invoices.credit_note_issue(invoice=invoice, amount_cents=new)
    checkout.payment_email_schedule(payment.pk, "refunded")
    if full:
        _access_end_after_refund(enrolment=enrolment, payment=payment)
        return "refunded"
    return "partially refunded"


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
