"""Stripe's webhook under concurrent deliveries: applied once (transactional tests, apart so that
the other webhook tests share their module's home pages)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
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
    barrier = threading.Barrier(5)
    answers: list = []

    def post():
        try:
            barrier.wait()
            answers.append(deliver(Client(), completed).status_code)
        except BaseException as error:  # reported below
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

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
        barrier = threading.Barrier(2)
        answers: list = []

        def post(evt, barrier=barrier, answers=answers):
            try:
                barrier.wait()
                answers.append(deliver(Client(), evt).status_code)
            except BaseException as error:  # reported below
                answers.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=(evt,)) for evt in events]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [200, 200]
        assert status_of(payment) == (PaymentStatus.REFUNDED, EnrolmentStatus.ENDED)
