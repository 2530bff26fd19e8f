"""Integration: a real Celery worker on Redis sends the booking confirmation."""

from __future__ import annotations

import os
import time

import pytest
from django.core import mail
from icalendar import Calendar

from supervision import services

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_on_redis():
    """A worker thread of this process consuming the broker from CELERY_BROKER_URL.

    The worker runs in a thread so that it shares the locmem outbox and the test database.
    """
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("needs a broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/6 to run it")
    from celery.contrib.testing.worker import start_worker

    from institut.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield app
    finally:
        app.conf.task_always_eager = previous


def wait_for_mail(count: int, timeout: float = 30.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(mail.outbox) >= count:
            return list(mail.outbox)
        time.sleep(0.2)
    return list(mail.outbox)


def test_it_receives_the_booking_email_from_a_real_worker(celery_worker_on_redis, trainee):
    from tests.supervision.factories import SessionFactory

    session = SessionFactory()
    mail.outbox = []

    booking = services.booking_create(session=session, trainee=trainee)

    messages = wait_for_mail(1)
    assert len(messages) == 1
    (message,) = messages
    assert message.to == [trainee.email]
    assert "réservée" in message.subject
    calendar = Calendar.from_ical(message.attachments[0][1])
    assert calendar["METHOD"] == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == booking.ics_uid
