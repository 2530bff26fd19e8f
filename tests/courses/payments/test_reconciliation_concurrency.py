"""Reconciliation racing the webhook: applied once (a transactional test, apart so that the other
reconciliation tests share their module's home pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from courses.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Invoice,
)
from courses.payments.services import checkout, reconciliation
from institut.roles import Role
from tests.concurrency import run_together
from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import deliver
from tests.courses.payments.test_reconciliation import paid_on_stripe, webhook_of
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_applies_once_when_the_webhook_comes_at_the_same_moment(catalogue, stripe_api):
    course = build_course(catalogue, lessons=1, price_cents=9000)
    trainees = [UserFactory(roles=[Role.TRAINEE]) for _ in range(3)]
    payments = [checkout.checkout_start(user=t, course=course) for t in trainees]
    sessions = [paid_on_stripe(stripe_api, p) for p in payments]

    def webhooks():
        for session in sessions:
            assert deliver(Client(), webhook_of(session)).status_code == 200

    works = (webhooks, reconciliation.checkout_reconcile)
    results = run_together(2, lambda i: works[i]())
    errors = [result for result in results if isinstance(result, BaseException)]

    assert errors == []
    assert Invoice.objects.count() == 3
    assert EnrolmentEvent.objects.filter(to_status="active").count() == 3
    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.ACTIVE}
