"""Invoices under concurrent payments: one continuous sequence (a transactional test, apart so that
the other invoice tests share their module's home pages)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from courses.models import Invoice
from courses.payments.services import checkout
from institut.roles import Role
from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import (
    deliver,
    running_standin,
    session_event,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.calendar


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_numbers_continuous_under_concurrent_payments(catalogue, settings):
    course = build_course(catalogue, lessons=1, price_cents=9000)
    trainees = [UserFactory(roles=[Role.TRAINEE]) for _ in range(8)]
    standin = running_standin(settings)
    next(standin)
    payments = [checkout.checkout_start(user=t, course=course) for t in trainees]
    standin.close()
    barrier = threading.Barrier(len(payments))
    answers: list = []

    def post(payment):
        try:
            barrier.wait()
            answers.append(
                deliver(Client(), session_event(payment, intent=f"pi_{payment.pk}")).status_code
            )
        except BaseException as error:  # reported below
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(p,)) for p in payments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [200] * len(payments)
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(payments) + 1))
