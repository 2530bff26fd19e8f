"""Refunds made outside the admin (in Stripe's dashboard): each is credited under its own Stripe
id, once, whatever the order and number of its events; one that fails has its credit note
cancelled by an invoice and staff are told, as for a refund asked here."""

from __future__ import annotations

from courses.models import Invoice, InvoiceKind, PaymentStatus, StripeEvent
from courses.payments.services import checkout
from tests.courses.payments.stripe_standin import (
    event,
    refund_event,
)
from tests.courses.payments.test_refund_admin import refund_40, refund_of


def notes():
    """(Stripe refund id, amount) of each credit note, in the order they were numbered."""
    rows = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).order_by("sequence")
    return list(rows.values_list("stripe_refund_id", "amount_cents"))


def refund_object(refund: dict, status: str) -> dict:
    """A refund event's object, as Stripe sends it for a refund made in its dashboard."""
    return {
        "id": refund["id"],
        "object": "refund",
        "amount": refund["amount"],
        "created": refund["created"],
        "currency": "eur",
        "status": status,
        "payment_intent": refund["payment_intent"],
        "metadata": {},
        **({"failure_reason": "expired_or_canceled_card"} if status == "failed" else {}),
    }


def cancelling(note_id: str) -> list[int]:
    """The amounts of the invoices that cancel the credit note of this Stripe refund."""
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE, stripe_refund_id=note_id)
    return list(note.credit_notes.values_list("amount_cents", flat=True))


def test_a_dashboard_refund_is_credited_under_its_stripe_id(send, paid, stripe_api):
    refund = stripe_api.dashboard_refund(3000)

    assert send(refund_event(amount=12000, refunded=3000)).content == b"partially refunded"

    assert notes() == [(refund["id"], 3000)]
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (PaymentStatus.PARTIALLY_REFUNDED, 3000)
    (listing,) = [r for r in stripe_api.requests if (r.method, r.path) == ("GET", "/v1/refunds")]
    assert listing.params["payment_intent"] == "pi_test_1"


def test_two_dashboard_refunds_have_their_own_credit_notes_whatever_the_order(
    send, paid, stripe_api
):
    first = stripe_api.dashboard_refund(2000)
    second = stripe_api.dashboard_refund(5000)

    send(refund_event(amount=12000, refunded=7000))  # the second one's event, arriving first
    send(refund_event(amount=12000, refunded=2000))  # the first one's, late
    send(refund_event(amount=12000, refunded=7000))  # Stripe sends one again

    assert sorted(notes()) == sorted([(first["id"], 2000), (second["id"], 5000)])
    paid.refresh_from_db()
    assert paid.amount_refunded_cents == 7000


def test_a_dashboard_refund_made_after_the_event_waits_for_its_own(send, paid, stripe_api):
    first = stripe_api.dashboard_refund(2000)
    older = refund_event(amount=12000, refunded=2000)
    second = stripe_api.dashboard_refund(5000)  # Stripe lists it when the first event comes

    send(older)
    assert notes() == [(first["id"], 2000)]

    send(refund_event(amount=12000, refunded=7000))
    assert notes() == [(first["id"], 2000), (second["id"], 5000)]


def test_a_failed_dashboard_refund_cancels_its_credit_note_and_tells_staff(
    send, paid, stripe_api, admin_user, mailoutbox
):
    refund = stripe_api.dashboard_refund(4000)
    send(refund_event(amount=12000, refunded=4000))
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    failed = refund_object(refund, "failed")

    assert send(event("refund.failed", failed)).content == b"refund failed"
    assert send(event("refund.updated", failed)).content == b"nothing to do"
    assert send(event("charge.refund.updated", failed)).content == b"nothing to do"

    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (PaymentStatus.PAID, 0)
    assert note.stripe_refund_id == refund["id"]
    assert cancelling(refund["id"]) == [4000]
    cancel = Invoice.objects.get(credited_invoice=note)
    assert (cancel.kind, cancel.sequence > note.sequence) == (InvoiceKind.INVOICE, True)
    alerts = [m for m in mailoutbox if "Remboursement échoué" in m.subject]
    assert [m.to for m in alerts] == [[admin_user.email]]
    assert "annulé par une facture du même montant" in alerts[0].body


def test_a_dashboard_refund_that_failed_before_its_charge_event_is_never_credited(
    send, paid, stripe_api, admin_user, mailoutbox
):
    refund = stripe_api.dashboard_refund(4000)  # Stripe's list still says it succeeded
    charge = refund_event(amount=12000, refunded=4000)  # sent before the failure

    assert send(event("refund.failed", refund_object(refund, "failed"))).content == (
        b"refund failed, nothing credited"
    )
    assert send(charge).content == b"refund already recorded"

    assert notes() == []
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (PaymentStatus.PAID, 0)
    assert len([m for m in mailoutbox if "Remboursement échoué" in m.subject]) == 1


def test_a_dashboard_refund_that_succeeded_changes_nothing_by_its_own_event(send, paid, stripe_api):
    refund = stripe_api.dashboard_refund(4000)

    assert send(event("refund.created", refund_object(refund, "succeeded"))).content == (
        b"refund not asked here"
    )
    assert notes() == []


def test_a_dashboard_refund_in_the_second_a_failed_refund_was_cancelled_is_credited(
    client, send, admin_user, paid, stripe_api
):
    asked = refund_40(client, admin_user, paid)
    send(refund_event(amount=12000, refunded=4000))
    stripe_api.refunds[0]["status"] = "failed"
    send(event("refund.failed", refund_of(asked, "failed")))
    (cancel,) = Invoice.objects.filter(kind=InvoiceKind.INVOICE, credited_invoice__isnull=False)
    dashboard = stripe_api.dashboard_refund(4000)
    # Stripe's event for the dashboard refund, created in the second the failed refund's credit
    # note was cancelled: its cumulative amount no longer counts the failed refund.
    charge = refund_event(amount=12000, refunded=4000)
    charge["created"] = int(cancel.issued_at.timestamp())

    assert send(charge).content == b"partially refunded"

    assert notes() == [(asked.stripe_refund_id, 4000), (dashboard["id"], 4000)]
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (PaymentStatus.PARTIALLY_REFUNDED, 4000)


def test_it_reads_the_refunds_a_charge_carries_without_asking_stripe(send, paid, stripe_api):
    charge = refund_event(amount=12000, refunded=3000)
    charge["data"]["object"]["refunds"] = {
        "object": "list",
        "has_more": False,
        "data": [{"id": "re_carried", "object": "refund", "amount": 3000, "status": "succeeded"}],
    }

    send(charge)

    assert notes() == [("re_carried", 3000)]
    assert not [r for r in stripe_api.requests if r.path == "/v1/refunds"]


def test_it_ignores_a_charge_whose_refunds_are_not_refunds(send, paid, stripe_api):
    charge = refund_event(amount=12000, refunded=3000)
    charge["data"]["object"]["refunds"] = {
        "object": "list",
        "data": [{"id": "re_1", "object": "refund", "amount": "3000", "status": "succeeded"}],
    }

    assert send(charge).content == b"ignored"

    assert StripeEvent.objects.get(event_id=charge["id"]).ignored_reason == (
        "data.object.refunds.data.0.amount is not an amount in cents"
    )
    assert notes() == []


def test_it_credits_without_an_id_when_stripe_does_not_list_the_refunds(send, paid, stripe_api):
    stripe_api.dashboard_refund(3000)
    stripe_api.status = 503

    assert send(refund_event(amount=12000, refunded=3000)).content == b"partially refunded"

    assert notes() == [("", 3000)]


def test_it_waits_for_stripe_no_longer_than_its_timeout_while_it_holds_the_payment(
    send, paid, stripe_api, monkeypatch
):
    monkeypatch.setattr(checkout, "STRIPE_TIMEOUT_SECONDS", 0.2)
    stripe_api.dashboard_refund(3000)
    stripe_api.delay = 2

    assert send(refund_event(amount=12000, refunded=3000)).content == b"partially refunded"

    assert notes() == [("", 3000)]  # credited without an id, as when Stripe does not answer


# --- Concurrency -----------------------------------------------------------------------------
