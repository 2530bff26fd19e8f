"""Invoices under concurrent payments: one continuous sequence (a transactional test, apart so that
the other invoice tests share their module's home pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import Invoice
from courses.payments.services import checkout
from institut.roles import Role
from tests.concurrency import run_together
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
    answers = run_together(
        len(payments),
        lambda i: (
            deliver(Client(), session_event(payments[i], intent=f"pi_{payments[i].pk}")).status_code
        ),
    )

    assert answers == [200] * len(payments)
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(payments) + 1))
