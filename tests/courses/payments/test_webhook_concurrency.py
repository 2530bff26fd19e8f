"""Stripe's webhook under concurrent deliveries: applied once (transactional tests, apart so that
the other webhook tests share their module's home pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Invoice,
    PaymentStatus,
    StripeEvent,
)
from institut.roles import Role
from tests.concurrency import run_together
from tests.courses.conftest import build_course
from tests.courses.payments.conftest import status_of
from tests.courses.payments.stripe_standin import (
    deliver,
    refund_event,
    session_event,
)
from tests.courses.payments.test_webhook import next_standin, start_checkout
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_activates_once_when_the_same_event_arrives_five_times_at_once(catalogue, settings):
    from tests.courses.payments.stripe_standin import configure_test_keys

    configure_test_keys(settings)
    course = build_course(catalogue, lessons=1, price_cents=9000)
    trainee = UserFactory(roles=[Role.TRAINEE])
    with next_standin(settings):
        payment = start_checkout(trainee, course)
    completed = session_event(payment, event_id="evt_concurrent")
    answers = run_together(5, lambda _i: deliver(Client(), completed).status_code)

    assert answers == [200] * 5
    assert StripeEvent.objects.filter(event_id="evt_concurrent").count() == 1
    assert EnrolmentEvent.objects.filter(to_status="active").count() == 1
    assert Invoice.objects.count() == 1
    assert Enrolment.objects.get().status == EnrolmentStatus.ACTIVE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_refund_win_when_it_races_the_payment(catalogue, settings):
    from tests.courses.payments.stripe_standin import configure_test_keys

    configure_test_keys(settings)
    course = build_course(catalogue, lessons=1, price_cents=9000)
    trainees = [UserFactory(roles=[Role.TRAINEE]) for _ in range(4)]
    with next_standin(settings):
        payments = [start_checkout(t, course) for t in trainees]
    for payment in payments:
        intent = f"pi_race_{payment.pk}"
        events = [
            session_event(payment, intent=intent),
            refund_event(amount=9000, refunded=9000, intent=intent),
        ]
        answers = run_together(2, lambda i, events=events: deliver(Client(), events[i]).status_code)
        assert answers == [200, 200]
        assert status_of(payment) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)
