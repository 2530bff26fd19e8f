"""Fixtures of the payments tests: a paid course, and the local stand-in of Stripe's API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from courses.models import FundingSource, PaymentStatus
from courses.payments.services import checkout, fundings
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
def staff(db):
    """Staff who enrol funded trainees and read payments."""
    user = UserFactory(full_name="Gestion Administrative", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses", codename__in=["add_funding", "view_payment"]
        )
    )
    return user


@pytest.fixture
def fund_by_opco(staff, trainee, paid_course, django_capture_on_commit_callbacks):
    """Staff enrol the trainee on the paid course, funded by an OPCO that the invoice names; what
    the funding schedules after its commit (the e-mail, the invoice's PDF) runs."""

    def _fund():
        with django_capture_on_commit_callbacks(execute=True):
            return fundings.funded_enrolment_create(
                actor=staff,
                user=trainee,
                course=paid_course,
                source=FundingSource.TRAINING_FUND,
                reference="OPCO-2026-118",
                payer_name="OPCO Santé",
                payer_address="3 place de la Formation, 69003 Lyon",
            )

    return _fund


@pytest.fixture
def admin_user(db):
    """A superuser with a second factor, as the admin requires."""
    return UserFactory(
        full_name="Équipe technique", is_superuser=True, is_staff=True, second_factor=True
    )


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
