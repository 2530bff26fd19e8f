"""The holder's certificate e-mail carries the certificate's PDF by reference: the outbox row
names it, the sender reads it (rendering it if it is not stored), a PDF that cannot be read holds
the e-mail, and a row written before, with the PDF's bytes, still sends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from certification import documents, tasks
from certification.models import CertificationScheme
from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import email_enqueue, emails_send_due
from tests.certification.factories import make_certificate
from tests.courses.training.helpers import pdf_text

pytestmark = pytest.mark.django_db

KIND = "certification_certificate_document"


@pytest.fixture
def certificate(trainee):
    return make_certificate(
        trainee, scheme=CertificationScheme.objects.create(name_en="TST® practitioner")
    )


def the_certificate_email(mailoutbox, certificate):
    (message,) = [m for m in mailoutbox if m.attachments]
    assert message.to == [certificate.holder.email]
    (attachment,) = message.attachments
    return message, attachment


def test_the_email_carries_the_certificate_pdf_named_in_french(certificate, mailoutbox):
    tasks.generate_certificate_pdf(certificate.pk)

    message, (name, content, mimetype) = the_certificate_email(mailoutbox, certificate)
    assert (name, mimetype) == (f"certificat-{certificate.number}.pdf", "application/pdf")
    text = pdf_text(content)
    assert certificate.number in text
    assert "Camille Martin" in text
    assert certificate.number in message.body


def test_an_english_holder_gets_the_certificate_named_and_written_in_english(
    certificate, trainee, mailoutbox
):
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])

    tasks.generate_certificate_pdf(certificate.pk)

    _message, (name, content, _mimetype) = the_certificate_email(mailoutbox, certificate)
    assert name == f"certificate-{certificate.number}.pdf"
    assert "TST® practitioner" in pdf_text(content)


def test_the_outbox_row_names_the_certificate_rather_than_holding_its_bytes(certificate):
    tasks.generate_certificate_pdf(certificate.pk)

    row = OutboxEmail.objects.get(kind=KIND)
    assert row.attachments == []
    assert row.documents == [
        {
            "source": documents.DOCUMENT_SOURCE,
            "id": str(certificate.pk),
            "name": f"certificat-{certificate.number}.pdf",
            "mimetype": "application/pdf",
        }
    ]


def test_a_certificate_not_rendered_yet_is_rendered_and_stored_when_the_email_goes(
    certificate, mailoutbox
):
    assert not certificate.pdf
    email_enqueue(
        kind=KIND,
        about=certificate,
        to=certificate.holder,
        subject="Votre certificat",
        text="Ci-joint.",
        documents=[documents.certificate_document(certificate)],
    )

    _message, (_name, content, _mimetype) = the_certificate_email(mailoutbox, certificate)
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as stored:
        assert stored.read() == content
    assert certificate.number in pdf_text(content)


def test_a_pdf_that_cannot_be_read_is_retried_then_staff_are_alerted(certificate, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.OUTBOX_ALERT_EMAILS = ["equipe@institut.test"]
    tasks.generate_certificate_pdf(certificate.pk)  # owed; sent after the commit (none here)
    certificate.refresh_from_db()
    certificate.pdf.storage.delete(certificate.pdf.name)  # the stored file is lost

    assert emails_send_due() == 0
    row = OutboxEmail.objects.get(kind=KIND)
    assert (row.status, row.attempts) == (EmailStatus.QUEUED, 1)
    assert "FileNotFoundError" in row.last_error
    assert emails_send_due(now=row.next_attempt_at + timedelta(seconds=1)) == 0

    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED
    emails_send_due(now=row.next_attempt_at or None)  # the alert, owed as the row failed
    (alert,) = mail.outbox  # never the certificate's e-mail without its PDF
    assert alert.to == ["equipe@institut.test"]
    assert f"L'e-mail n° {row.pk} ({KIND}) n'a pas pu être envoyé" in alert.body
    assert "FileNotFoundError" in alert.body


def test_an_email_owed_before_with_the_pdf_bytes_in_its_row_still_sends(certificate):
    content = documents.render_certificate_pdf(certificate)
    email_enqueue(  # as the task wrote the row until the PDF was attached by reference
        kind=KIND,
        about=certificate,
        to=certificate.holder,
        version="before",
        subject="Votre certificat",
        text="Ci-joint.",
        attachments=[(f"{certificate.number}.pdf", content, "application/pdf")],
    )

    assert emails_send_due() == 1
    (message,) = mail.outbox
    assert message.attachments == [(f"{certificate.number}.pdf", content, "application/pdf")]
    assert certificate.number in pdf_text(message.attachments[0][1])
