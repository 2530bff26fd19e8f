"""Stored documents attached by reference: the row names them, the sender reads them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from institut.outbox import documents
from institut.outbox.documents import StoredDocument
from institut.outbox.models import EmailStatus
from institut.outbox.services import email_enqueue, emails_send_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(monkeypatch):
    """A registered source of documents, whose bytes the test changes."""
    contents = {"7": b"%PDF-1.7 facture 7"}
    monkeypatch.setattr(documents, "_sources", dict(documents._sources))
    documents.register_document_source("test.document", lambda pk: contents[pk])
    return contents


def owe_document(to, *, source="test.document", pk=7):
    return email_enqueue(
        kind="test_document",
        to=to,
        subject="Votre facture",
        text="Ci-jointe.",
        documents=[StoredDocument(source=source, id=pk, name=f"facture-{pk}.pdf")],
    )


def test_the_row_keeps_the_reference_and_the_message_carries_the_bytes(trainee, stored):
    email = owe_document(trainee)
    stored["7"] = b"%PDF-1.7 facture 7, rendue"  # read when sent, not when owed

    emails_send_due()

    email.refresh_from_db()
    assert email.attachments == []
    assert email.documents[0]["id"] == "7"
    (message,) = mail.outbox
    assert message.attachments == [
        ("facture-7.pdf", b"%PDF-1.7 facture 7, rendue", "application/pdf")
    ]


def test_a_document_that_cannot_be_read_fails_the_attempt_and_is_retried(trainee, stored):
    email = owe_document(trainee, pk=8)

    assert emails_send_due() == 0

    email.refresh_from_db()
    assert mail.outbox == []
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert "KeyError" in email.last_error
    stored["8"] = b"%PDF-1.7 facture 8"
    assert emails_send_due(now=email.next_attempt_at + timedelta(seconds=1)) == 1
    (message,) = mail.outbox
    assert message.attachments[0][1] == b"%PDF-1.7 facture 8"


def test_an_unknown_source_is_an_error_not_an_email_without_its_document(trainee, stored):
    email = owe_document(trainee, source="nobody.registered")

    emails_send_due()

    email.refresh_from_db()
    assert mail.outbox == []
    assert "nobody.registered" in email.last_error
