"""The daily reconciliation: Checkout Sessions completed in Stripe whose webhook never came, read
through Stripe's API (the local stand-in) and applied once, whatever the webhook does."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import stripe
from celery.schedules import crontab
from django.utils import timezone

from courses.models import (
    EnrolmentEvent,
    EnrolmentStatus,
    Invoice,
    Payment,
    PaymentStatus,
    StripeEvent,
)
from courses.payments import tasks
from courses.payments.services import checkout, reconciliation
from institut.roles import Role
from tests.courses.conftest import build_course
from tests.courses.payments.conftest import status_of
from tests.courses.payments.stripe_standin import session_event
from tests.factories import UserFactory


@pytest.fixture
def reconcile(django_capture_on_commit_callbacks):
    """Run the task as beat would; what it schedules after commit runs too (e-mails, PDFs)."""

    def _reconcile():
        with django_capture_on_commit_callbacks(execute=True):
            return tasks.reconcile_checkout_sessions.apply(throw=True).result

    return _reconcile


def paid_on_stripe(stripe_api, payment, **changes) -> dict:
    """The trainee paid on Stripe's page; the webhook has not come (yet)."""
    return stripe_api.complete(payment.stripe_session_id, intent=f"pi_{payment.pk}", **changes)


def webhook_of(session: dict) -> dict:
    """The checkout.session.completed delivery Stripe would have made for that session."""
    evt = session_event(Payment.objects.get(stripe_session_id=session["id"]))
    evt["data"]["object"] = dict(session)
    return evt


def test_it_applies_a_paid_session_whose_webhook_never_came(
    reconcile, stripe_api, payment, trainee, mailoutbox
):
    session = paid_on_stripe(stripe_api, payment)

    assert reconcile() == {"paid": 1}

    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert payment.stripe_payment_intent_id == f"pi_{payment.pk}"
    assert Invoice.objects.get().amount_cents == 12000
    record = StripeEvent.objects.get()
    assert (record.event_id, record.outcome) == (f"reconciliation:{session['id']}", "paid")
    assert [m.to for m in mailoutbox] == [[trainee.email]]
    assert EnrolmentEvent.objects.filter(to_status="active").count() == 1


def test_it_reads_only_complete_sessions_of_the_last_hours(reconcile, stripe_api, settings):
    settings.STRIPE_RECONCILE_HOURS = 48

    reconcile()

    (listing,) = [r for r in stripe_api.requests if r.method == "GET"]
    assert listing.path == "/v1/checkout/sessions"
    assert listing.params["status"] == "complete"
    since = int((timezone.now() - timedelta(hours=48)).timestamp())
    assert abs(int(listing.params["created[gte]"]) - since) <= 5
    assert listing.headers["Authorization"] == "Bearer sk_test_standin"


def test_it_changes_nothing_when_run_again(reconcile, stripe_api, payment, mailoutbox):
    paid_on_stripe(stripe_api, payment)
    reconcile()

    assert reconcile() == {}

    assert StripeEvent.objects.count() == 1
    assert Invoice.objects.count() == 1
    assert len(mailoutbox) == 1


def test_it_lets_a_late_webhook_change_nothing(reconcile, send, stripe_api, payment, mailoutbox):
    session = paid_on_stripe(stripe_api, payment)
    reconcile()

    response = send(webhook_of(session))

    assert response.content == b"already paid"
    assert status_of(payment) == (PaymentStatus.PAID, EnrolmentStatus.ACTIVE)
    assert Invoice.objects.count() == 1
    assert EnrolmentEvent.objects.filter(to_status="active").count() == 1
    assert len(mailoutbox) == 1


def test_it_leaves_a_payment_the_webhook_confirmed(reconcile, send, stripe_api, payment):
    session = paid_on_stripe(stripe_api, payment)
    send(webhook_of(session))

    assert reconcile() == {}

    assert not StripeEvent.objects.filter(event_id__startswith="reconciliation:").exists()
    assert Invoice.objects.count() == 1


def test_it_leaves_unpaid_sessions_and_sessions_of_others(
    reconcile, stripe_api, payment, trainee, paid_course, catalogue
):
    paid_on_stripe(stripe_api, payment, payment_status="unpaid")  # a bank transfer, on its way
    foreign = stripe_api.answer("/v1/checkout/sessions", {"mode": "payment"})[1]
    stripe_api.complete(foreign["id"], metadata={}, client_reference_id=None)

    assert reconcile() == {}

    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)
    assert not StripeEvent.objects.exists()


def test_it_leaves_sessions_older_than_the_window(reconcile, stripe_api, payment, settings):
    paid_on_stripe(stripe_api, payment, created=int(time.time()) - 80 * 3600)

    assert reconcile() == {}

    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)


def test_it_reads_every_page(reconcile, stripe_api, catalogue, monkeypatch):
    course = build_course(catalogue, lessons=1, price_cents=5000)
    payments = []
    for _ in range(5):
        payment = checkout.checkout_start(user=UserFactory(roles=[Role.TRAINEE]), course=course)
        paid_on_stripe(stripe_api, payment)
        payments.append(payment)
    monkeypatch.setattr(reconciliation, "PAGE_SIZE", 2)

    assert reconcile() == {"paid": 5}

    assert len([r for r in stripe_api.requests if r.method == "GET"]) == 3
    assert [status_of(p)[0] for p in payments] == [PaymentStatus.PAID] * 5


def test_it_holds_a_session_that_took_other_money(reconcile, stripe_api, payment, mailoutbox):
    paid_on_stripe(stripe_api, payment, amount_total=500)

    assert reconcile() == {"held": 1}

    assert status_of(payment) == (PaymentStatus.HELD, EnrolmentStatus.PENDING)
    assert not Invoice.objects.exists()


def test_it_records_a_session_of_an_unexpected_shape_as_ignored(reconcile, stripe_api, payment):
    paid_on_stripe(stripe_api, payment, amount_total="12000")

    assert reconcile() == {"ignored": 1}

    record = StripeEvent.objects.get()
    assert record.ignored_reason == "data.object.amount_total is not an amount in cents"
    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)


def test_it_applies_nothing_when_stripe_cannot_be_read(stripe_api, payment):
    paid_on_stripe(stripe_api, payment)
    stripe_api.status = 500

    with pytest.raises(stripe.StripeError):
        reconciliation.checkout_reconcile()

    assert status_of(payment) == (PaymentStatus.OPEN, EnrolmentStatus.PENDING)
    assert not StripeEvent.objects.exists()


def test_it_does_nothing_without_stripe_keys(stripe_api, settings):
    settings.STRIPE_SECRET_KEY = ""

    assert reconciliation.checkout_reconcile() == {}
    assert not stripe_api.requests


def test_it_runs_every_day_from_beat(settings):
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "courses.payments.tasks.reconcile_checkout_sessions"
    ]

    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
