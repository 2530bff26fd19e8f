"""Refunds made outside the site, with events arriving at once (transactional tests, apart so that
the other tests share their module's home pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import Invoice, InvoiceKind, Payment, PaymentStatus
from institut.roles import Role
from tests.concurrency import run_together
from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import (
    configure_test_keys,
    deliver,
    event,
    refund_event,
    session_event,
)
from tests.courses.payments.test_refund_outside import cancelling, refund_object
from tests.courses.payments.test_webhook import next_standin, start_checkout
from tests.factories import UserFactory


@pytest.fixture
def dashboard_refunded(catalogue, settings):
    """A payment of 90 € of which 40 € were refunded in Stripe's dashboard, not credited yet;
    the stand-in keeps running."""
    configure_test_keys(settings)
    course = build_course(catalogue, lessons=1, price_cents=9000)
    trainee = UserFactory(roles=[Role.TRAINEE])
    with next_standin(settings) as standin:
        payment = start_checkout(trainee, course)
        deliver(Client(), session_event(payment, intent="pi_race"))
        refund = standin.dashboard_refund(4000, intent="pi_race")
        yield payment, refund


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failure_delivered_twice_at_once_cancels_the_credit_note_once(dashboard_refunded):
    payment, refund = dashboard_refunded
    deliver(Client(), refund_event(amount=9000, refunded=4000, intent="pi_race"))
    failed = refund_object(refund, "failed")
    failures = [event("refund.failed", failed), event("refund.updated", failed)]

    answers = run_together(2, lambda i: deliver(Client(), failures[i]).status_code)

    assert answers == [200, 200]
    assert cancelling(refund["id"]) == [4000]
    payment = Payment.objects.get(pk=payment.pk)
    assert (payment.status, payment.amount_refunded_cents) == (PaymentStatus.PAID, 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_failure_racing_the_charge_event_leaves_nothing_credited(dashboard_refunded):
    payment, refund = dashboard_refunded
    events = [
        refund_event(amount=9000, refunded=4000, intent="pi_race"),
        event("refund.failed", refund_object(refund, "failed")),
    ]

    answers = run_together(2, lambda i: deliver(Client(), events[i]).status_code)

    assert answers == [200, 200]
    payment = Payment.objects.get(pk=payment.pk)
    assert (payment.status, payment.amount_refunded_cents) == (PaymentStatus.PAID, 0)
    credited = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
    assert all(cancelling(note.stripe_refund_id) == [4000] for note in credited)
