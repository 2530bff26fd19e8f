"""/stripe/webhook/ at its edges: signed bodies of an unexpected shape are stored as ignored with
their reason (never a 500), timestamps from the future are refused, and money other than the
price asked holds the enrolment and alerts staff."""

from __future__ import annotations

import json
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction

from courses.models import (
    EnrolmentEvent,
    EnrolmentStatus,
    Invoice,
    InvoiceKind,
    Payment,
    PaymentStatus,
    StripeEvent,
)
from courses.payments.services import checkout
from courses.services import CourseActionRefused
from tests.courses.conftest import lessons_of
from tests.courses.payments.conftest import status_of
from tests.courses.payments.stripe_standin import (
    deliver_raw,
    event,
    refund_event,
    session_event,
    signature_header,
)
from tests.factories import UserFactory


@pytest.fixture
def staff(db):
    """Someone who reads payments in the admin, and so hears about held ones."""
    user = UserFactory(email="compta@institut.test", full_name="Compta")
    user.user_permissions.add(Permission.objects.get(codename="view_payment"))
    return user


def completed(payment, **changes):
    """A checkout.session.completed event for the payment, with some of its session changed."""
    evt = session_event(payment)
    evt["data"]["object"].update(changes)
    return evt


# --- Bodies of an unexpected shape -----------------------------------------------------------


def _with_metadata(payment, **metadata):
    evt = session_event(payment)
    evt["data"]["object"]["metadata"].update(metadata)
    return evt


MALFORMED = {
    "metadata is a list": lambda p: completed(p, metadata=["payment_id", str(p.pk)]),
    "payment id with a newline": lambda p: _with_metadata(p, payment_id=f"{p.pk}\n"),
    "amount is a text": lambda p: completed(p, amount_total="12000"),
    "amount is a boolean": lambda p: completed(p, amount_total=True),
    "amount is a float": lambda p: completed(p, amount_total=12000.0),
    "object of another kind": lambda p: completed(p, object="invoice"),
    "session id is a number": lambda p: completed(p, id=12),
    "payment intent is a list": lambda p: completed(p, payment_intent=["pi_1"]),
    "data is a list": lambda p: {**session_event(p), "data": []},
    "object is missing": lambda p: {**session_event(p), "data": {}},
    "type is a number": lambda p: {**session_event(p), "type": 7},
    "created is a text": lambda p: {**session_event(p), "created": "yesterday"},
    "created is far away": lambda p: {**session_event(p), "created": 10**20},
    "text with a NUL": lambda p: completed(p, payment_status="pa\x00id"),
    "half a UTF-16 pair": lambda p: completed(p, payment_status="pa\ud800id"),
}


@pytest.mark.parametrize("build", MALFORMED.values(), ids=MALFORMED.keys())
def test_it_stores_a_signed_event_of_an_unexpected_shape_as_ignored(send, payment, build):
    evt = build(payment)

    response = send(evt)

    assert response.status_code == 200
    assert response.content == b"ignored"
    record = StripeEvent.objects.get()
    assert record.outcome == "ignored"
    assert record.ignored_reason
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)
    assert not Invoice.objects.exists()


def test_it_says_why_an_event_was_ignored(send, payment):
    evt = _with_metadata(payment, payment_id=f"{payment.pk}\n")

    send(evt)

    record = StripeEvent.objects.get()
    assert record.event_id == evt["id"]
    assert record.type == "checkout.session.completed"
    assert record.ignored_reason == "data.object.metadata.payment_id is not one of our ids"
    assert record.payload["data"]["object"]["metadata"]["payment_id"] == f"{payment.pk}\n"


def test_it_ignores_a_charge_whose_refunded_amount_is_a_text(send, payment):
    send(session_event(payment))
    charge = refund_event(amount=12000, refunded=12000)
    charge["data"]["object"]["amount_refunded"] = "12000"

    assert send(charge).content == b"ignored"

    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()
    assert StripeEvent.objects.get(event_id=charge["id"]).ignored_reason == (
        "data.object.amount_refunded is not an amount in cents"
    )


def test_it_ignores_a_refund_event_naming_a_request_that_is_not_a_number(send, payment):
    refund = {"id": "re_1", "object": "refund", "status": "failed", "metadata": {}}
    refund["metadata"]["refund_request_id"] = "1 OR 1=1"

    assert send(event("refund.failed", refund)).content == b"ignored"
    assert StripeEvent.objects.get().ignored_reason == (
        "data.object.metadata.refund_request_id is not one of our ids"
    )


BODIES = {
    "not JSON": "this is not JSON",
    "JSON list": "[1, 2, 3]",
    "NaN": '{"id": "evt_nan", "type": "x", "created": NaN, "data": {"object": {}}}',
    "huge float": '{"id": "evt_big", "type": "x", "created": 1e400, "data": {"object": {}}}',
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "escaped NUL": '{"id": "evt_nul", "type": "a\\u0000b", "created": 1, "data": {"object": {}}}',
    "half a pair": '{"id": "evt_sur", "type": "a\\udc00", "created": 1, "data": {"x": "\\ud800"}}',
    "truncated": '{"id": "evt_cut", "type": "checkout.session.completed", "data": {"obj',
    "number with a newline": '{"id": "evt_nl", "type": "x", "created": 17\n00000000, "data": {}}',
}


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_it_never_fails_on_a_signed_body_that_is_not_an_event(client, payment, body):
    response = deliver_raw(client, body)

    assert response.status_code == 200
    record = StripeEvent.objects.get()
    assert (record.outcome, bool(record.ignored_reason)) == ("ignored", True)
    json.dumps(record.payload)  # what was stored reads back as JSON


def test_it_stores_the_same_unreadable_body_once(client, payment):
    first = deliver_raw(client, "not JSON at all")
    second = deliver_raw(client, "not JSON at all")

    assert (first.content, second.content) == (b"ignored", b"duplicate")
    record = StripeEvent.objects.get()
    assert record.event_id.startswith("invalid:")
    assert record.payload == {"unparsed": "not JSON at all"}


def test_it_still_applies_an_unknown_type_of_any_object(send, payment):
    response = send(event("customer.created", {"id": "cus_1", "object": "customer", "x": [1]}))

    assert response.content == b"ignored"
    assert StripeEvent.objects.get().ignored_reason == ""


def test_it_refuses_a_body_that_is_not_utf8(client, payment):
    response = client.post(
        "/stripe/webhook/",
        data=b"\xff\xfe{}",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={int(time.time())},v1=00",
    )

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.postgres
def test_it_keeps_an_ignored_event_permanent(send, payment):
    send(completed(payment, amount_total="12000"))

    with (
        pytest.raises(DatabaseError, match="permanent record: UPDATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE courses_stripeevent SET ignored_reason = ''")


# --- Timestamps ------------------------------------------------------------------------------


def test_it_refuses_a_timestamp_more_than_five_minutes_in_the_future(send, payment):
    response = send(session_event(payment), timestamp=int(time.time()) + 600)

    assert response.status_code == 400
    assert b"future" in response.content
    assert not StripeEvent.objects.exists()
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)


def test_it_accepts_a_timestamp_a_little_ahead_of_our_clock(send, payment):
    response = send(session_event(payment), timestamp=int(time.time()) + 60)

    assert response.status_code == 200
    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)


def test_it_accepts_a_timestamp_a_little_behind_our_clock(send, payment):
    response = send(session_event(payment), timestamp=int(time.time()) - 240)

    assert response.status_code == 200


# --- Money other than asked ------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [{"amount_total": 100}, {"amount_total": 24000}, {"currency": "usd"}, {"amount_total": None}],
    ids=["less", "more", "other currency", "no amount"],
)
def test_it_holds_the_enrolment_when_stripe_took_other_money(
    send, client, trainee, paid_course, payment, staff, mailoutbox, changes
):
    response = send(completed(payment, **changes))

    assert (response.status_code, response.content) == (200, b"held")
    assert status_of(payment) == (PaymentStatus.HELD, EnrolmentStatus.PENDING)
    assert payment.hold_reason.startswith("Stripe a encaissé")
    assert not Invoice.objects.exists()
    assert not EnrolmentEvent.objects.filter(to_status="active").exists()
    client.force_login(trainee)
    assert "Contenu secret" not in client.get(lessons_of(paid_course)[0].url).content.decode()
    (alert,) = mailoutbox
    assert alert.to == [staff.email]
    assert "Paiement retenu" in alert.subject
    assert payment.hold_reason in alert.body
    assert f"/paiements/inspect/{payment.pk}/" in alert.body


def test_it_records_the_money_taken_so_a_refund_gives_it_back(send, payment, staff, mailoutbox):
    send(completed(payment, amount_total=10000))

    payment.refresh_from_db()
    assert (payment.amount_cents, payment.refundable_cents) == (10000, 10000)
    assert "100,00" in payment.hold_reason and "120,00" in payment.hold_reason

    send(refund_event(amount=10000, refunded=10000))

    assert status_of(payment) == (PaymentStatus.REFUNDED, EnrolmentStatus.PENDING)
    # A held payment had no invoice: its refund has no credit note, and the e-mail says so.
    assert not Invoice.objects.exists()
    refunded = mailoutbox[-1]
    assert refunded.to == [payment.user.email]
    assert "Chaque remboursement a son avoir" not in refunded.body
    assert "aucun avoir n'est donc émis" in refunded.body


def test_it_holds_once_when_the_event_comes_again(send, payment, staff, mailoutbox):
    evt = completed(payment, amount_total=100)
    send(evt)
    send({**evt, "id": "evt_other_delivery"})

    assert status_of(payment) == (PaymentStatus.HELD, EnrolmentStatus.PENDING)
    assert len(mailoutbox) == 1


def test_it_sends_the_alert_to_the_configured_addresses(send, payment, settings, mailoutbox):
    settings.PAYMENTS_ALERT_EMAILS = ["tresorerie@institut.test"]

    send(completed(payment, amount_total=100))

    assert mailoutbox[0].to == ["tresorerie@institut.test"]


def test_it_refuses_a_second_checkout_while_a_payment_is_held(
    send, trainee, paid_course, payment, staff
):
    send(completed(payment, amount_total=100))

    with pytest.raises(CourseActionRefused, match="vérification"):
        checkout.checkout_start(user=trainee, course=paid_course)
    assert Payment.objects.count() == 1


def test_it_tells_the_trainee_the_payment_is_being_checked(
    send, client, trainee, paid_course, payment, staff
):
    send(completed(payment, amount_total=100))
    client.force_login(trainee)

    page = client.get(paid_course.url).content.decode()

    assert 'id="payment-held"' in page
    assert "Payer maintenant" not in page


# --- What staff see --------------------------------------------------------------------------


def test_it_shows_staff_the_ignored_events_and_why(client, send, payment, admin_user):
    send(completed(payment, amount_total="12000"))
    send(event("customer.created", {"id": "cus_1", "object": "customer"}))
    client.force_login(admin_user)

    listing = client.get("/admin/formations/evenements-stripe/").content.decode()
    record = StripeEvent.objects.get(ignored_reason__gt="")
    inspect = client.get(f"/admin/formations/evenements-stripe/inspect/{record.pk}/")

    assert "data.object.amount_total is not an amount in cents" in listing
    assert "customer.created" in listing
    assert "data.object.amount_total is not an amount in cents" in inspect.content.decode()
    assert client.get(f"/admin/formations/evenements-stripe/edit/{record.pk}/").status_code in (
        302,
        403,
        404,
    )


def test_it_shows_staff_the_held_payments_and_why(client, send, payment, admin_user):
    send(completed(payment, amount_total=100))
    client.force_login(admin_user)

    held = client.get("/admin/formations/paiements/?status=held").content.decode()
    inspect = client.get(f"/admin/formations/paiements/inspect/{payment.pk}/").content.decode()

    assert "Camille Martin" in held
    assert "Retenu : montant inattendu" in held
    assert "Stripe a encaissé 1,00" in inspect


def test_it_reads_the_timestamp_as_stripe_does(client, payment):
    body = json.dumps(session_event(payment))
    future = int(time.time()) + 600
    header = signature_header(body, timestamp=future).replace(f"t={future}", f"t={future}=1")

    response = deliver_raw(client, body, header=header)

    assert response.status_code == 400
    assert b"future" in response.content


def test_it_lets_staff_accept_a_held_payment_as_it_is(
    client, send, payment, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    send(completed(payment, amount_total=10000))
    client.force_login(admin_user)
    inspect = client.get(f"/admin/formations/paiements/inspect/{payment.pk}/").content.decode()
    accept = f"/admin/formations/paiements/{payment.pk}/accepter/"
    assert accept in inspect
    assert 'id="accept-confirmation"' in client.get(accept).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept)

    assert response.status_code == 302
    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert Invoice.objects.get().amount_cents == 10000
    opened = EnrolmentEvent.objects.get(to_status="active")
    assert opened.actor == admin_user
    assert "accepted by staff" in opened.reason
    assert "Paiement confirmé" in mailoutbox[-1].subject
    assert client.post(accept).status_code == 302  # a second click changes nothing
    assert Invoice.objects.count() == 1


def test_it_lets_only_staff_who_handle_money_accept_a_held_payment(client, send, payment, staff):
    send(completed(payment, amount_total=100))
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client.force_login(staff)

    response = client.post(f"/admin/formations/paiements/{payment.pk}/accepter/")

    assert response.status_code == 404
    assert status_of(payment) == (PaymentStatus.HELD, EnrolmentStatus.PENDING)
