"""Fixtures of the payments tests: a paid course, and the local stand-in of Stripe's API."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from courses.models import PaymentStatus
from courses.payments.services import checkout
from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import deliver, running_standin, session_event
from tests.factories import UserFactory


@pytest.fixture
def paid_course(catalogue):
    return build_course(catalogue, title="Conflits constructifs", lessons=2, price_cents=12000)


@pytest.fixture
def stripe_api(settings):
    yield from running_standin(settings)


@pytest.fixture
def payment(trainee, paid_course, stripe_api):
    """The trainee's Checkout of the paid course, open at the stand-in, not paid yet."""
    return checkout.checkout_start(user=trainee, course=paid_course)


@pytest.fixture
def paid(send, trainee, paid_course, stripe_api):
    """A payment of 120 € confirmed by Stripe (the stand-in knows its payment intent)."""
    payment = checkout.checkout_start(user=trainee, course=paid_course)
    session = stripe_api.complete(payment.stripe_session_id, intent="pi_test_1")
    evt = session_event(payment)
    evt["data"]["object"] = dict(session)
    send(evt)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    return payment


@pytest.fixture
def admin_user(db):
    """A superuser with a second factor, as the admin requires."""
    user = UserFactory(full_name="Équipe technique", is_superuser=True, is_staff=True)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Deliver a signed event; what the service schedules after commit runs (e-mails, PDFs)."""

    def _send(evt, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, evt, **kwargs)

    return _send


def status_of(payment):
    """The payment's status and its enrolment's, read again."""
    payment.refresh_from_db()
    payment.enrolment.refresh_from_db()
    return payment.status, payment.enrolment.status
