"""/stripe/webhook/: signed events verified by the stripe library, each applied exactly once."""

from __future__ import annotations

import time

from courses.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Invoice,
    InvoiceKind,
    Payment,
    PaymentStatus,
    StripeEvent,
)
from courses.payments.services import checkout
from tests.courses.conftest import build_course, lessons_of
from tests.courses.factories import complete
from tests.courses.payments.conftest import status_of
from tests.courses.payments.stripe_standin import (
    event,
    refund_event,
    running_standin,
    session_event,
)


def start_checkout(user, course) -> Payment:
    return checkout.checkout_start(user=user, course=course)


def test_it_opens_the_course_when_stripe_confirms_the_payment(
    send, client, trainee, paid_course, payment, mailoutbox
):
    response = send(session_event(payment))

    assert response.status_code == 200
    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    invoice = Invoice.objects.get()
    assert (invoice.kind, invoice.amount_cents, invoice.currency) == ("invoice", 12000, "EUR")
    assert invoice.buyer_email == trainee.email
    assert EnrolmentEvent.objects.filter(
        enrolment=payment.enrolment, from_status="pending", to_status="active"
    ).exists()
    assert [m.to for m in mailoutbox] == [[trainee.email]]
    assert "Paiement confirmé" in mailoutbox[0].subject
    assert invoice.number in mailoutbox[0].body or "/espace/factures/" in mailoutbox[0].body
    invoice.refresh_from_db()
    assert invoice.pdf.name.endswith(".pdf")  # rendered by the task scheduled on commit
    client.force_login(trainee)
    assert "Contenu secret" in client.get(lessons_of(paid_course)[0].url).content.decode()


def test_it_applies_a_duplicate_delivery_once(send, client, payment, mailoutbox):
    completed = session_event(payment, event_id="evt_same")

    first = send(completed)
    second = send(completed)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content == b"duplicate"
    assert StripeEvent.objects.filter(event_id="evt_same").count() == 1
    assert Invoice.objects.count() == 1
    assert EnrolmentEvent.objects.filter(to_status="active").count() == 1
    assert len(mailoutbox) == 1


def test_it_refuses_a_bad_signature_and_writes_nothing(send, client, payment):
    response = send(session_event(payment), secret="whsec_someone_else")

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)


def test_it_refuses_a_missing_signature(send, client, payment):
    response = send(session_event(payment), header="")

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_refuses_a_stale_timestamp(send, client, payment):
    # Stripe's default tolerance is five minutes.
    response = send(session_event(payment), timestamp=int(time.time()) - 600)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)


def test_it_refuses_everything_without_a_configured_secret(send, client, payment, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""

    assert send(session_event(payment)).status_code == 400
    assert not StripeEvent.objects.exists()


def test_it_answers_200_to_an_unknown_type_and_ignores_it(send, client, payment):
    response = send(event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored"
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)


def test_it_waits_for_a_delayed_payment_then_opens_the_course(send, client, payment):
    send(session_event(payment, payment_status="unpaid"))
    assert status_of(payment) == (PaymentStatus.PROCESSING, EnrolmentStatus.PENDING)
    assert not Invoice.objects.exists()

    send(session_event(payment, "checkout.session.async_payment_succeeded"))

    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert Invoice.objects.count() == 1


def test_it_keeps_the_enrolment_pending_when_a_delayed_payment_fails(
    send, client, payment, mailoutbox
):
    send(session_event(payment, payment_status="unpaid"))

    send(session_event(payment, "checkout.session.async_payment_failed"))

    assert status_of(payment) == (PaymentStatus.FAILED, EnrolmentStatus.PENDING)
    assert not Invoice.objects.exists()
    assert "Paiement non abouti" in mailoutbox[-1].subject


def test_it_records_an_expired_session_and_keeps_the_enrolment_pending(send, client, payment):
    send(session_event(payment, "checkout.session.expired", payment_status="unpaid"))

    assert status_of(payment) == (PaymentStatus.EXPIRED, EnrolmentStatus.PENDING)


def test_it_changes_nothing_when_expired_arrives_after_completed(send, client, payment):
    send(session_event(payment))

    send(session_event(payment, "checkout.session.expired", payment_status="unpaid"))

    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)


def test_it_opens_the_course_when_completed_arrives_after_expired(send, client, payment):
    # Out of order: the money is in, whatever the order of deliveries.
    send(session_event(payment, "checkout.session.expired", payment_status="unpaid"))

    send(session_event(payment))

    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)


def test_it_opens_the_course_even_after_the_trainee_abandoned(send, client, trainee, payment):
    checkout.enrolment_abandon(user=trainee, enrolment_id=payment.enrolment_id)

    send(session_event(payment))

    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)


def test_it_ends_access_on_a_full_refund_with_a_credit_note_and_an_audit_row(
    send, client, trainee, paid_course, payment, mailoutbox
):
    send(session_event(payment))

    response = send(refund_event(amount=12000, refunded=12000))

    assert response.status_code == 200
    assert status_of(payment) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)
    invoice = Invoice.objects.get(kind=InvoiceKind.INVOICE)
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert (note.credited_invoice, note.amount_cents) == (invoice, 12000)
    assert note.sequence == invoice.sequence + 1
    assert EnrolmentEvent.objects.filter(
        enrolment=payment.enrolment,
        from_status="active",
        to_status="ended",
        reason__contains="fully refunded",
    ).exists()
    assert "Remboursement" in mailoutbox[-1].subject
    client.force_login(trainee)
    assert "Contenu secret" not in client.get(lessons_of(paid_course)[0].url).content.decode()


def test_it_keeps_access_on_a_partial_refund(send, client, payment):
    send(session_event(payment))

    send(refund_event(amount=12000, refunded=2000))

    assert status_of(payment) == (PaymentStatus.PARTIALLY_REFUNDED, EnrolmentStatus.ACTIVE)
    assert payment.amount_refunded_cents == 2000
    assert Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE).amount_cents == 2000


def test_it_counts_two_partial_refunds_right_whatever_their_order(send, client, payment):
    send(session_event(payment))

    send(refund_event(amount=12000, refunded=12000))  # second refund, arriving first
    send(refund_event(amount=12000, refunded=5000))  # the first one, late

    assert status_of(payment) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)
    notes = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
    assert sum(n.amount_cents for n in notes) == 12000


def test_it_lets_a_refund_received_before_the_payment_win(send, client, payment):
    refund = refund_event(amount=12000, refunded=12000)
    assert send(refund).content == b"deferred"
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)

    send(session_event(payment))

    assert status_of(payment) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)
    kinds = list(Invoice.objects.order_by("sequence").values_list("kind", flat=True))
    assert kinds == ["invoice", "credit_note"]
    assert StripeEvent.objects.get(event_id=refund["id"]).outcome == "applied later: refunded"


def test_it_keeps_a_completed_course_on_record_after_a_full_refund(send, client, trainee, payment):
    send(session_event(payment))
    complete(Enrolment.objects.get(pk=payment.enrolment_id))

    send(refund_event(amount=12000, refunded=12000))

    assert status_of(payment) == (PaymentStatus.REFUNDED, EnrolmentStatus.COMPLETED)
    assert EnrolmentEvent.objects.filter(reason__contains="completion kept").exists()


def test_it_ignores_a_session_that_is_not_ours(send, client, payment):
    foreign = event(
        "checkout.session.completed",
        {"id": "cs_other", "object": "checkout.session", "payment_status": "paid", "metadata": {}},
    )

    assert send(foreign).status_code == 200
    assert StripeEvent.objects.get().outcome == "unknown payment"
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)


class next_standin:
    """A stand-in for one block of a test that has no stripe_api fixture."""

    def __init__(self, settings):
        self.generator = running_standin(settings)

    def __enter__(self):
        return next(self.generator)

    def __exit__(self, *exc):
        self.generator.close()


def test_it_lets_a_refunded_trainee_pay_again_with_a_new_attempt(
    send, trainee, paid_course, payment, stripe_api
):
    send(session_event(payment))
    send(refund_event(amount=12000, refunded=12000))

    again = start_checkout(trainee, paid_course)

    assert (again.attempt, again.idempotency_key) == (2, f"checkout-{payment.enrolment_id}-2")
    assert status_of(again) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)
    send(session_event(again, intent="pi_test_2"))
    assert status_of(again) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert Invoice.objects.filter(kind=InvoiceKind.INVOICE).count() == 2


def test_it_writes_a_title_with_an_apostrophe_as_it_is_in_the_emails(
    send, catalogue, trainee, stripe_api, mailoutbox
):
    course = build_course(catalogue, title="L'écoute d'un groupe", price_cents=9000)
    payment = start_checkout(trainee, course)

    send(session_event(payment))
    send(refund_event(amount=9000, refunded=3000))

    bodies = [m.body for m in mailoutbox]
    assert len(bodies) == 2
    for body in bodies:
        assert "« L'écoute d'un groupe »" in body
        assert "&#x27;" not in body


def test_the_confirmation_page_is_titled_confirmed_once_stripe_confirmed(
    send, client, trainee, payment
):
    send(session_event(payment))
    client.force_login(trainee)

    html = client.get(f"/formations/paiement/{payment.pk}/confirmation/").content.decode()

    assert "<title>Paiement confirmé · " in html
    assert "en cours de confirmation" not in html


def test_the_refund_emails_say_what_part_is_refunded_so_far_then_the_whole(
    send, payment, mailoutbox
):
    send(session_event(payment))

    send(refund_event(amount=12000, refunded=4000))
    send(refund_event(amount=12000, refunded=12000))

    partial, full = (m.body for m in mailoutbox[1:])
    assert "une partie de votre paiement de 120,00\xa0€" in partial
    assert "40,00\xa0€ remboursés à ce jour" in partial
    assert "la totalité de votre paiement de 120,00\xa0€" in full
    # Not « remboursé 120,00 € sur votre paiement de 120,00 € » after 40 € refunded before.
    assert "remboursé 120,00" not in full
    assert "avoir" in full and "/espace/factures/" in full
