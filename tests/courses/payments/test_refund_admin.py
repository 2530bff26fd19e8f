"""Staff refund all or part of a payment from the admin: a form, a confirmation, a refund asked of
Stripe (the local stand-in) with an idempotency key; the webhook then issues the credit note."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from wagtail.users.models import UserProfile

from courses.models import (
    EnrolmentStatus,
    Invoice,
    InvoiceKind,
    PaymentStatus,
    RefundRequest,
    RefundStatus,
)
from courses.payments.services import checkout
from tests.courses.payments.conftest import status_of
from tests.courses.payments.stripe_standin import event, refund_event
from tests.factories import UserFactory


def url(payment) -> str:
    return f"/admin/formations/paiements/{payment.pk}/rembourser/"


def ask(client, payment, amount: str, reason: str = "Annulation demandée par la stagiaire"):
    """Fill the form; the answer is the confirmation page, whose key is returned with it."""
    response = client.post(url(payment), {"amount_euros": amount, "reason": reason})
    match = re.search(r'name="key" value="([0-9a-f]{32})"', response.content.decode())
    return response, match.group(1) if match else None


def confirm(client, payment, amount: str, key: str, reason="Annulation demandée par la stagiaire"):
    return client.post(
        url(payment),
        {"amount_euros": amount, "reason": reason, "key": key, "action": "confirm"},
    )


def refund_of(request, status: str) -> dict:
    """The Stripe refund object of a request of 40 €, in this status."""
    return {
        "id": request.stripe_refund_id,
        "object": "refund",
        "amount": 4000,
        "status": status,
        "payment_intent": "pi_test_1",
        "metadata": {"refund_request_id": str(request.pk)},
    }


def stripe_refunds(stripe_api):
    """The refunds asked of Stripe (not its lists of refunds, which the webhook reads)."""
    return [r for r in stripe_api.requests if (r.method, r.path) == ("POST", "/v1/refunds")]


def test_it_asks_for_a_confirmation_before_refunding(client, admin_user, paid, stripe_api):
    client.force_login(admin_user)

    response, key = ask(client, paid, "120")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="refund-confirmation"' in page
    assert "120,00" in page
    assert key
    assert not stripe_refunds(stripe_api)
    assert not RefundRequest.objects.exists()


def test_it_refunds_in_full_through_stripe_then_the_webhook_ends_access(
    client, send, admin_user, paid, stripe_api, mailoutbox
):
    client.force_login(admin_user)
    _page, key = ask(client, paid, "120")

    response = confirm(client, paid, "120", key)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/formations/paiements/inspect/{paid.pk}/"
    (call,) = stripe_refunds(stripe_api)
    assert call.params["payment_intent"] == "pi_test_1"
    assert call.params["amount"] == "12000"
    assert call.headers["Idempotency-Key"] == f"refund-{paid.pk}-{key}"
    request = RefundRequest.objects.get()
    assert (request.status, request.amount_cents) == (RefundStatus.SUCCEEDED, 12000)
    assert request.requested_by == admin_user
    assert request.reason == "Annulation demandée par la stagiaire"
    assert call.params["metadata[refund_request_id]"] == str(request.pk)
    # Nothing changes on our side until Stripe's webhook says the money went back.
    assert status_of(paid) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)

    send(refund_event(amount=12000, refunded=12000))

    assert status_of(paid) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)
    assert Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE).amount_cents == 12000


def test_it_refunds_part_and_keeps_access(client, send, admin_user, paid, stripe_api):
    client.force_login(admin_user)
    _page, key = ask(client, paid, "20,50")

    confirm(client, paid, "20,50", key)
    send(refund_event(amount=12000, refunded=2050))

    assert stripe_refunds(stripe_api)[0].params["amount"] == "2050"
    assert status_of(paid) == (PaymentStatus.PARTIALLY_REFUNDED, EnrolmentStatus.ACTIVE)
    assert Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE).amount_cents == 2050
    page = client.get(url(paid)).content.decode()
    assert "99,50" in page  # what is left to refund


def test_it_refunds_once_when_the_confirmation_is_sent_twice(client, admin_user, paid, stripe_api):
    client.force_login(admin_user)
    _page, key = ask(client, paid, "30")

    confirm(client, paid, "30", key)
    again = confirm(client, paid, "30", key)

    assert again.status_code == 302
    assert len(stripe_refunds(stripe_api)) == 1
    assert RefundRequest.objects.count() == 1
    assert sum(r["amount"] for r in stripe_api.refunds) == 3000


def test_it_refuses_more_than_what_is_left(client, send, admin_user, paid, stripe_api):
    send(refund_event(amount=12000, refunded=10000))
    client.force_login(admin_user)

    response, key = ask(client, paid, "30")

    assert key is None
    assert "Le montant dépasse ce qui reste à rembourser (20,00" in response.content.decode()
    assert not stripe_refunds(stripe_api)


def test_it_refuses_more_than_what_is_left_even_when_the_page_was_old(
    client, admin_user, paid, stripe_api
):
    client.force_login(admin_user)
    _page, first = ask(client, paid, "100")
    _page, second = ask(client, paid, "100")  # another tab, before the first was confirmed
    confirm(client, paid, "100", first)

    response = confirm(client, paid, "100", second)

    assert len(stripe_refunds(stripe_api)) == 1
    assert "Le montant dépasse" in response.content.decode()


def test_it_says_so_when_stripe_refuses_the_amount(client, admin_user, paid, stripe_api):
    stripe_api.dashboard_refund(11000)
    client.force_login(admin_user)
    _page, key = ask(client, paid, "50")

    response = confirm(client, paid, "50", key)

    assert response.status_code == 200
    assert "Stripe refuse ce montant" in response.content.decode()
    assert RefundRequest.objects.get().status == RefundStatus.REFUSED


def test_it_says_so_when_stripe_is_down_and_retries_with_the_same_key(
    client, admin_user, paid, stripe_api
):
    client.force_login(admin_user)
    _page, key = ask(client, paid, "40")
    stripe_api.status = 503

    response = confirm(client, paid, "40", key)

    page = response.content.decode()
    assert "Le service de paiement ne répond pas" in page
    assert f'value="{key}"' in page  # the same confirmation, to send again
    assert RefundRequest.objects.get().status == RefundStatus.UNREACHABLE

    stripe_api.status = 200
    confirm(client, paid, "40", key)

    keys = [r.headers["Idempotency-Key"] for r in stripe_refunds(stripe_api)]
    assert keys == [f"refund-{paid.pk}-{key}"] * len(keys)
    assert RefundRequest.objects.get().status == RefundStatus.SUCCEEDED
    assert [r["amount"] for r in stripe_api.refunds] == [4000]


def test_it_answers_in_english_too(client, admin_user, paid, stripe_api):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)
    _page, key = ask(client, paid, "40")
    stripe_api.status = 503

    page = confirm(client, paid, "40", key).content.decode()

    assert "The payment service is not answering" in page


def test_the_english_confirmation_puts_no_space_before_the_reason_s_colon(
    client, admin_user, paid, stripe_api
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin_user)

    page, _key = ask(client, paid, "40", reason="Cancelled")

    assert "Reason: Cancelled" in page.content.decode()


def test_it_records_a_refund_that_failed_later_and_alerts_staff(
    client, send, admin_user, paid, stripe_api, mailoutbox
):
    client.force_login(admin_user)
    _page, key = ask(client, paid, "40")
    confirm(client, paid, "40", key)
    request = RefundRequest.objects.get()
    refund = refund_of(request, "failed")

    assert send(event("refund.failed", refund)).content == b"refund failed"
    assert send(event("refund.updated", {**refund, "status": "succeeded"})).content == (
        b"nothing to do"
    )

    request.refresh_from_db()
    assert request.status == RefundStatus.FAILED
    assert "Remboursement échoué" in mailoutbox[-1].subject
    assert mailoutbox[-1].to == [admin_user.email]


def test_it_offers_the_refund_from_the_payment_page(client, admin_user, paid, stripe_api):
    client.force_login(admin_user)

    page = client.get(f"/admin/formations/paiements/inspect/{paid.pk}/").content.decode()
    listing = client.get("/admin/formations/paiements/").content.decode()

    assert url(paid) in page
    assert url(paid) in listing


def test_it_offers_no_refund_of_an_unpaid_payment(
    client, admin_user, trainee, paid_course, stripe_api
):
    waiting = checkout.checkout_start(user=trainee, course=paid_course)
    client.force_login(admin_user)

    page = client.get(f"/admin/formations/paiements/inspect/{waiting.pk}/").content.decode()
    response = client.get(url(waiting))

    assert url(waiting) not in page
    assert response.status_code == 302
    assert not stripe_refunds(stripe_api)


def test_it_hides_the_refund_from_staff_who_may_only_read_payments(
    client, paid, stripe_api, admin_user
):
    reader = UserFactory(is_staff=True, second_factor=True)
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_payment"),
    )
    client.force_login(reader)

    page = client.get(f"/admin/formations/paiements/inspect/{paid.pk}/").content.decode()
    form = client.get(url(paid))
    refused = client.post(url(paid), {"amount_euros": "10", "reason": "x", "action": "confirm"})

    assert url(paid) not in page
    assert (form.status_code, refused.status_code) == (404, 404)
    assert not stripe_refunds(stripe_api)


def test_it_reads_the_refund_page_in_a_bounded_number_of_queries(
    client, admin_user, paid, stripe_api, django_assert_max_num_queries
):
    client.force_login(admin_user)
    for amount in ("1", "2", "3", "4", "5", "6"):
        _page, key = ask(client, paid, amount)
        confirm(client, paid, amount, key)

    with django_assert_max_num_queries(15):
        page = client.get(url(paid)).content.decode()

    assert page.count("Annulation demandée par la stagiaire") == 6


def test_it_gives_the_refunds_to_the_person_and_erases_their_name_from_them(
    client, admin_user, paid, stripe_api, trainee
):
    from courses.payments.privacy import PaymentsData
    from institut.privacy.erasure import account_erase

    reason = "Camille Martin a quitté son poste"
    client.force_login(admin_user)
    _page, key = ask(client, paid, "10", reason=reason)
    confirm(client, paid, "10", key, reason=reason)

    (refunds,) = [t for t in PaymentsData().tables(trainee) if t.key == "remboursements"]
    assert [(r["amount_cents"], r["reason"]) for r in refunds.rows] == [(1000, reason)]

    account_erase(user=trainee, actor=trainee)

    assert "Camille Martin" not in RefundRequest.objects.get().reason


def test_a_refund_failing_after_success_cancels_its_credit_note_with_an_invoice(
    client, send, admin_user, paid, stripe_api, mailoutbox
):
    client.force_login(admin_user)
    _page, key = ask(client, paid, "40")
    confirm(client, paid, "40", key)
    refund = refund_of(RefundRequest.objects.get(), "succeeded")
    send(event("refund.updated", refund))
    send(refund_event(amount=12000, refunded=4000))
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert "Chaque remboursement a son avoir" in mailoutbox[-1].body

    assert send(event("refund.failed", {**refund, "status": "failed"})).content == b"refund failed"
    assert send(event("refund.failed", {**refund, "status": "failed"})).content == (
        b"nothing to do"
    )

    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (PaymentStatus.PAID, 0)
    cancelling = Invoice.objects.get(kind=InvoiceKind.INVOICE, credited_invoice=note)
    assert cancelling.amount_cents == 4000 and cancelling.sequence > note.sequence
    assert Invoice.objects.filter(kind=InvoiceKind.INVOICE).count() == 2  # no other one
    alert = mailoutbox[-1]
    assert "Remboursement échoué" in alert.subject
    assert "annulé par une facture du même montant" in alert.body


def refund_40(client, admin_user, paid) -> RefundRequest:
    """Staff ask Stripe to refund 40 € of the payment; the request made."""
    client.force_login(admin_user)
    _page, key = ask(client, paid, "40")
    confirm(client, paid, "40", key)
    return RefundRequest.objects.latest("pk")


def test_an_older_refund_event_sent_again_after_the_failure_issues_no_second_credit_note(
    client, send, admin_user, paid, stripe_api
):
    request = refund_40(client, admin_user, paid)
    refund = refund_of(request, "succeeded")
    charge = refund_event(amount=12000, refunded=4000)
    send(event("refund.updated", refund))
    send(charge)
    send(event("refund.failed", {**refund, "status": "failed"}))
    # Stripe delivers, late and out of order, another charge event sent before the failure.
    older = refund_event(amount=12000, refunded=4000)
    older["created"] = charge["created"] - 60

    assert send(older).status_code == 200
    assert send(charge).content == b"duplicate"

    (note,) = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
    assert note.stripe_refund_id == request.stripe_refund_id
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (PaymentStatus.PAID, 0)


def test_a_new_refund_after_a_failed_one_has_its_own_credit_note(
    client, send, admin_user, paid, stripe_api
):
    first = refund_40(client, admin_user, paid)
    send(refund_event(amount=12000, refunded=4000))
    send(event("refund.failed", refund_of(first, "failed")))
    second = refund_40(client, admin_user, paid)

    send(refund_event(amount=12000, refunded=4000))

    notes = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).order_by("sequence")
    assert [(n.stripe_refund_id, n.amount_cents) for n in notes] == [
        (first.stripe_refund_id, 4000),
        (second.stripe_refund_id, 4000),
    ]
    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (PaymentStatus.PARTIALLY_REFUNDED, 4000)


def test_the_database_refuses_a_second_credit_note_of_one_stripe_refund(
    client, send, admin_user, paid, stripe_api
):
    refund_40(client, admin_user, paid)
    send(refund_event(amount=12000, refunded=4000))
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    fields = {
        f.attname: getattr(note, f.attname)
        for f in Invoice._meta.concrete_fields
        if f.attname not in ("id", "sequence", "number")
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(**fields, sequence=note.sequence + 100, number="F-TEST-1")


def test_the_refund_form_shows_no_label_for_its_hidden_key(client, admin_user, paid, stripe_api):
    client.force_login(admin_user)

    page = client.get(url(paid)).content.decode()

    assert 'name="amount_euros"' in page
    assert 'type="hidden" name="key"' in page
    assert not re.search(r">\s*Key\s*<", page)


def test_the_payment_page_labels_every_field_in_french_and_writes_money(
    client, admin_user, paid, stripe_api
):
    client.force_login(admin_user)

    page = client.get(f"/admin/formations/paiements/inspect/{paid.pk}/").content.decode()

    for english in ("Idempotency key", "Checkout url", "Error message", "Updated", "Enrolment"):
        assert english not in page
    assert "Clé d&#x27;idempotence (Stripe)" in page or "Clé d'idempotence (Stripe)" in page
    assert "120,00\xa0€" in page
    assert "12000" not in page
