"""Integration: a real `celery worker` on Redis sends the outbox's e-mails to an SMTP server; killed
with SIGKILL after the server accepted a message and before the row was marked, the e-mail is
sent once more, with the same Message-ID, by the next worker, and never a third time.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import F

from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import email_enqueue
from institut.outbox.tasks import retry_due_emails
from tests.factories import UserFactory
from tests.institut.smtp_sink import SMTPSink
from tests.institut.test_worker_crash import Worker, broker, wait_until, worker_env

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

__all__ = ["broker"]  # the fixture, shared with the other worker test


class HoldingSMTPSink(SMTPSink):
    """Keeps each message, then holds its "250 accepted" answer until `release` is set: the
    message is accepted (stored) while the sender still waits for the answer."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def keep(self, message) -> None:
        super().keep(message)
        self.release.wait(timeout=60)


def owe_email(to) -> OutboxEmail:
    with transaction.atomic():  # committed: its on_commit hands it to the worker
        return email_enqueue(
            kind="test_worker", to=to, subject="Séance réservée", text="Votre séance est réservée."
        )


def test_a_worker_killed_after_the_server_accepted_resends_once_with_the_same_message_id(
    broker, tmp_path
):
    person = UserFactory()
    with HoldingSMTPSink() as sink:
        env = worker_env(tmp_path / "media", sink.port)
        first = Worker(env, tmp_path / "first-worker.log")
        try:
            first.wait_ready()
            email = owe_email(person)
            wait_until(lambda: len(sink.messages) == 1, 60, "the server to accept it", first)
            # Accepted, not yet answered: the worker is between the server and the row.
            assert OutboxEmail.objects.get(pk=email.pk).status == EmailStatus.SENDING
            first.kill()
        finally:
            first.kill()
            sink.release.set()
        assert OutboxEmail.objects.get(pk=email.pk).status == EmailStatus.SENDING

        second = Worker(env, tmp_path / "second-worker.log")
        try:
            second.wait_ready()
            retry_due_emails.delay()  # too early: it may still be on its way
            time.sleep(3)
            assert len(sink.messages) == 1
            # OUTBOX_SENDING_TIMEOUT (600 s) later, as the beat would find it.
            OutboxEmail.objects.filter(pk=email.pk).update(
                claimed_at=F("claimed_at") - timedelta(seconds=601)
            )
            retry_due_emails.delay()
            wait_until(
                lambda: OutboxEmail.objects.get(pk=email.pk).status == EmailStatus.SENT,
                60,
                "the e-mail sent again and marked",
                second,
            )
            retry_due_emails.delay()
            time.sleep(3)  # room for a wrongful third copy to show
        finally:
            second.stop()

    email.refresh_from_db()
    first_copy, second_copy = sink.messages
    # (a long header may be folded on the wire: its white space is not part of the value)
    first_id, second_id = ("".join(str(m["Message-ID"]).split()) for m in sink.messages)
    assert first_id == second_id == email.message_id
    assert first_copy["To"] == second_copy["To"] == person.email
    assert email.crash_resends == 1
    assert email.attempts == 2
