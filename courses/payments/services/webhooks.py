"""Stripe's webhook: a delivery verified on its raw body, each event applied once (its id is
stored in the same transaction as its effect), the payment confirmed, access opened, invoiced.

Locks are always taken in the same order: the enrolment row, then its payment, then the invoice
counter.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import Enrolment, EnrolmentStatus
from courses.payments.models import (
    PAYMENT_CAPTURED_STATUSES,
    Payment,
    PaymentStatus,
    StripeEvent,
)
from courses.payments.permissions import can_refund_payments
from courses.payments.services import checkout, event_shapes, invoices, refunds
from courses.reasons import Reason, enrolment_reason
from courses.services import CourseActionRefused, enrolment_transition
from institut.formats import money
from institut.locks import require_atomic

logger = logging.getLogger(__name__)


# --- Webhook -------------------------------------------------------------------------------------


class WebhookRejected(Exception):
    """A webhook request that does not come from Stripe (missing or bad signature, a timestamp
    more than the tolerance away from now in either direction)."""


# Seconds a signed delivery's timestamp may be away from our clock, in the past (Stripe's own
# check) or in the future (ours: the stripe library accepts any future timestamp).
SIGNATURE_TOLERANCE = 300


def _signed_at(header: str) -> int:
    """The timestamp of a Stripe-Signature header the stripe library has just verified, read
    the way it reads it (the first `t=`, up to a second `=`)."""
    items = [item.split("=", 2) for item in header.split(",")]
    return int(next(item[1] for item in items if item[0] == "t"))


def stripe_webhook_receive(*, payload: bytes, signature: str | None) -> str:
    """Verify a webhook delivery on its raw body, then apply its event once.

    A verified body that is not an event of the expected shape is stored as ignored, with the
    reason, and answered like any other: Stripe must not send it again.
    """
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not signature:
        raise WebhookRejected("missing signature or secret")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(
            text, signature, secret, tolerance=SIGNATURE_TOLERANCE
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
        raise WebhookRejected(str(error)) from error
    signed_at = _signed_at(signature)
    if signed_at > time.time() + SIGNATURE_TOLERANCE:
        raise WebhookRejected(
            f"timestamp {signed_at} is more than {SIGNATURE_TOLERANCE} s in the future"
        )
    event, reason = event_shapes.event_parse(text)
    if reason:
        return stripe_event_ignore(text=text, event=event, reason=reason)
    return stripe_event_apply(event=event)


def stripe_event_ignore(*, text: str, event, reason: str) -> str:
    """Store a verified body that cannot be applied, already ignored with the reason, once."""
    logger.warning("Stripe event ignored: %s", reason)
    event_id = event.get("id") if isinstance(event, dict) else None
    if not event_shapes.valid_event_id(event_id):
        digest = hashlib.sha256(text.encode()).hexdigest()[:40]
        event_id = f"invalid:{digest}"
    event_type = event.get("type") if isinstance(event, dict) else None
    payload = (
        event_shapes.storable(event)
        if event is not None
        else {"unparsed": event_shapes.storable_text(text[:2000])}
    )
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                event_id=event_id,
                type=event_shapes.storable_text(event_type[:100])
                if isinstance(event_type, str)
                else "",
                payload=payload,
                outcome="ignored",
                ignored_reason=reason[:500],
            )
    except IntegrityError:
        return "duplicate"
    return "ignored"


def stripe_event_apply(*, event: dict) -> str:
    """Apply an event and store its id in the same transaction; a duplicate changes nothing.

    The event has the shape event_shapes checks (a webhook's, or a session the reconciliation
    read from Stripe's API).
    """
    obj = event["data"]["object"]
    event_type = event["type"]
    sent_at = datetime.fromtimestamp(event["created"], tz=UTC)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event["id"],
                    type=event_type,
                    payload=event,
                    payment_intent_id=(obj.get("payment_intent") or "")
                    if event_type.startswith(("charge.", "refund."))
                    else "",
                    stripe_created=sent_at,
                )
        except IntegrityError:
            return "duplicate"
        handler = _HANDLERS.get(event_type)
        outcome = handler(obj, sent_at) if handler else "ignored"
        StripeEvent.objects.filter(pk=record.pk).update(outcome=outcome)
    return outcome


def _payment_lock(*, payment_id) -> tuple[Enrolment, Payment] | None:
    """Lock a payment's enrolment, then the payment itself."""
    require_atomic("_payment_lock")
    try:
        enrolment_id = (
            Payment.objects.filter(pk=int(payment_id))
            .values_list("enrolment_id", flat=True)
            .first()
        )
    except (TypeError, ValueError):
        return None
    if enrolment_id is None:
        return None
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    payment = Payment.objects.select_for_update().get(pk=int(payment_id))
    return enrolment, payment


def _session_payment_lock(session: dict) -> tuple[Enrolment, Payment] | None:
    metadata = session.get("metadata") or {}
    payment_id = metadata.get("payment_id") or session.get("client_reference_id")
    if payment_id is None and session.get("id"):
        payment_id = (
            Payment.objects.filter(stripe_session_id=session["id"])
            .values_list("pk", flat=True)
            .first()
        )
    locked = _payment_lock(payment_id=payment_id)
    if locked is None:
        logger.warning("Stripe session %s matches no payment.", session.get("id"))
        return None
    enrolment, payment = locked
    if str(metadata.get("enrolment_id", enrolment.pk)) != str(enrolment.pk):
        logger.warning("Stripe session %s names another enrolment.", session.get("id"))
        return None
    changed = []
    if session.get("id") and payment.stripe_session_id != session["id"]:
        payment.stripe_session_id = session["id"]
        changed.append("stripe_session_id")
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if intent and payment.stripe_payment_intent_id != intent:
        payment.stripe_payment_intent_id = intent
        changed.append("stripe_payment_intent_id")
    if changed:
        payment.save(update_fields=[*changed, "updated"])
    return enrolment, payment


def _with_locked_payment(handler):
    """A handler of a Checkout Session event, called with its enrolment and payment locked."""

    @functools.wraps(handler)
    def handle(session: dict, _sent_at: datetime) -> str:
        locked = _session_payment_lock(session)
        if locked is None:
            return "unknown payment"
        return handler(session, *locked)

    return handle


@_with_locked_payment
def _on_checkout_completed(session: dict, enrolment: Enrolment, payment: Payment) -> str:
    if session.get("payment_status") in ("paid", "no_payment_required"):
        return _payment_confirm(enrolment=enrolment, payment=payment, session=session)
    if payment.status in (PaymentStatus.CREATING, PaymentStatus.OPEN, PaymentStatus.ERROR):
        payment.status = PaymentStatus.PROCESSING
        payment.save(update_fields=["status", "updated"])
    return "awaiting payment"


@_with_locked_payment
def _on_async_payment_succeeded(session: dict, enrolment: Enrolment, payment: Payment) -> str:
    return _payment_confirm(enrolment=enrolment, payment=payment, session=session)


@_with_locked_payment
def _on_async_payment_failed(session: dict, _enrolment: Enrolment, payment: Payment) -> str:
    if payment.status in PAYMENT_CAPTURED_STATUSES or payment.status == PaymentStatus.FAILED:
        return "nothing to do"
    payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["status", "updated"])
    checkout.payment_email_schedule(payment.pk, "failed")
    return "failed"


@_with_locked_payment
def _on_checkout_expired(session: dict, _enrolment: Enrolment, payment: Payment) -> str:
    if payment.status not in (
        PaymentStatus.CREATING,
        PaymentStatus.OPEN,
        PaymentStatus.PROCESSING,
        PaymentStatus.ERROR,
    ):
        return "nothing to do"
    payment.status = PaymentStatus.EXPIRED
    payment.save(update_fields=["status", "updated"])
    return "expired"


def _intent_lock(intent: str) -> None:
    """Serialise a refund received before its payment with that payment's confirmation.

    Without it, on PostgreSQL, a refund could be stored as deferred just after the confirmation
    looked for deferred refunds. SQLite runs one writing transaction at a time anyway.
    """
    if intent and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"pi:{intent}"])


def _on_charge_refunded(charge: dict, sent_at: datetime) -> str:
    intent = charge.get("payment_intent")
    if not intent:
        return "no payment intent"

    def payment_id_for_intent():
        rows = Payment.objects.filter(stripe_payment_intent_id=intent).values_list("pk", flat=True)
        return rows.first()

    payment_id = payment_id_for_intent()
    if payment_id is None:
        _intent_lock(intent)
        payment_id = payment_id_for_intent()  # a confirmation may have committed meanwhile
    if payment_id is None:
        return "deferred"  # kept with its payment intent, applied when the payment is confirmed
    enrolment, payment = _payment_lock(payment_id=payment_id)
    if payment.status not in PAYMENT_CAPTURED_STATUSES:
        return "deferred"
    return refunds.refund_apply(
        enrolment=enrolment, payment=payment, charge=charge, sent_at=sent_at
    )


def _on_refund_event(refund: dict, _sent_at: datetime) -> str:
    return refunds.refund_status_apply(refund=refund)


_HANDLERS = {
    "checkout.session.completed": _on_checkout_completed,
    "checkout.session.async_payment_succeeded": _on_async_payment_succeeded,
    "checkout.session.async_payment_failed": _on_async_payment_failed,
    "checkout.session.expired": _on_checkout_expired,
    "charge.refunded": _on_charge_refunded,
    "refund.created": _on_refund_event,
    "refund.updated": _on_refund_event,
    "refund.failed": _on_refund_event,
    "charge.refund.updated": _on_refund_event,
}


def _payment_confirm(*, enrolment: Enrolment, payment: Payment, session: dict) -> str:
    """Stripe says the money is in: record it, open access, invoice; then late refunds.

    Money other than what was asked (amount or currency) holds the payment: access stays
    closed and staff are told; the money taken is recorded so that a refund can give it back.
    """
    if payment.status in PAYMENT_CAPTURED_STATUSES:
        return "already paid"
    taken = (session.get("amount_total"), (session.get("currency") or "").upper())
    if taken != (payment.amount_cents, payment.currency):
        return _payment_hold(
            enrolment=enrolment, payment=payment, amount=taken[0], currency=taken[1]
        )
    payment.paid_at = timezone.now()
    _payment_open(
        enrolment=enrolment,
        payment=payment,
        actor=None,
        reason=enrolment_reason("payment_confirmed", payment=payment.pk),
    )
    return _late_refunds_apply(enrolment=enrolment, payment=payment, outcome="paid")


def _payment_open(*, enrolment: Enrolment, payment: Payment, actor, reason: Reason) -> None:
    """The payment is paid: access opens, the invoice is issued, the trainee is told."""
    payment.status = PaymentStatus.PAID
    payment.save(update_fields=["status", "paid_at", "updated"])
    if not enrolment.grants_access:
        enrolment_transition(
            enrolment=enrolment, to_status=EnrolmentStatus.ACTIVE, actor=actor, reason=reason
        )
    elif enrolment.status == EnrolmentStatus.ACTIVE:
        logger.warning(
            "Enrolment %s was already open when payment %s came.", enrolment.pk, payment.pk
        )
    invoices.invoice_issue(
        enrolment=enrolment,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        buyer_name=enrolment.user.full_name or enrolment.user.email,
        buyer_email=enrolment.user.email,
        payment=payment,
    )
    checkout.payment_email_schedule(payment.pk, "confirmed")


def payment_hold_release(*, actor, payment_id: int) -> Payment:
    """Staff accept the money a held payment took: access opens and that amount is invoiced."""
    if not can_refund_payments(actor):
        raise CourseActionRefused(_("Vous ne pouvez pas accepter de paiement."))
    with transaction.atomic():
        locked = _payment_lock(payment_id=payment_id)
        if locked is None or locked[1].status != PaymentStatus.HELD:
            raise CourseActionRefused(_("Ce paiement n'est pas retenu : rien à accepter."))
        enrolment, payment = locked
        _payment_open(
            enrolment=enrolment,
            payment=payment,
            actor=actor,
            reason=enrolment_reason(
                "payment_accepted", payment=payment.pk, note=payment.hold_reason
            ),
        )
    return payment


def _payment_hold(
    *, enrolment: Enrolment, payment: Payment, amount: int | None, currency: str
) -> str:
    """Stripe took other money than asked: keep it on record, open nothing, tell staff."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Stripe a encaissé %(taken)s au lieu des %(expected)s demandés.") % {
            "taken": money(amount, currency) if amount is not None else _("un montant inconnu"),
            "expected": money(payment.amount_cents, payment.currency),
        }
    logger.warning("Payment %s held: %s", payment.pk, reason)
    payment.status = PaymentStatus.HELD
    payment.hold_reason = reason[:255]
    payment.amount_cents = amount or 0
    payment.currency = currency[:3] or payment.currency
    payment.paid_at = timezone.now()
    payment.save(
        update_fields=["status", "hold_reason", "amount_cents", "currency", "paid_at", "updated"]
    )
    checkout.staff_alert_schedule(payment.pk, "held")
    return _late_refunds_apply(enrolment=enrolment, payment=payment, outcome="held")


def _late_refunds_apply(*, enrolment: Enrolment, payment: Payment, outcome: str) -> str:
    """Refunds of this payment that came before its confirmation, applied now in order."""
    if payment.stripe_payment_intent_id:
        _intent_lock(payment.stripe_payment_intent_id)
        for late in StripeEvent.objects.filter(
            type="charge.refunded", payment_intent_id=payment.stripe_payment_intent_id
        ).order_by("pk"):
            charge = late.payload.get("data", {}).get("object", {})
            outcome = refunds.refund_apply(
                enrolment=enrolment, payment=payment, charge=charge, sent_at=late.stripe_created
            )
            StripeEvent.objects.filter(pk=late.pk).update(outcome=f"applied later: {outcome}")
    return outcome
