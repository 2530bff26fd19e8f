"""The payment e-mails carry their documents: the confirmation its invoice, a refund its credit
note, as PDF attachments the outbox reads from the stored documents when it sends."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from courses.models import Invoice, InvoiceKind
from courses.payments.services import invoices
from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import emails_send_due
from tests.courses.payments.stripe_standin import refund_event, session_event
from tests.courses.payments.test_refund_access import refund_in_full_then_fail

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def only_attachment(message) -> tuple[str, bytes, str]:
    (attachment,) = message.attachments
    return attachment


def emails_of(mailoutbox, word: str) -> list:
    return [message for message in mailoutbox if word in message.subject]


def test_the_confirmation_carries_the_invoice_pdf_and_keeps_the_link(send, payment, mailoutbox):
    send(session_event(payment))

    invoice = Invoice.objects.get(kind=InvoiceKind.INVOICE)
    (message,) = emails_of(mailoutbox, "Paiement confirmé")
    name, content, mimetype = only_attachment(message)
    assert (name, mimetype) == (f"facture-{invoice.number}.pdf", "application/pdf")
    text = pdf_text(content)
    assert f"Facture n° {invoice.number}" in text
    assert "120,00" in text
    assert f"Votre facture n° {invoice.number} est jointe à ce message" in message.body
    assert "/espace/factures/" in message.body


def test_the_outbox_row_names_the_invoice_rather_than_holding_its_bytes(send, payment):
    send(session_event(payment))

    invoice = Invoice.objects.get()
    row = OutboxEmail.objects.get(kind="payment_confirmed")
    assert row.attachments == []
    assert row.documents == [
        {
            "source": invoices.DOCUMENT_SOURCE,
            "id": str(invoice.pk),
            "name": f"facture-{invoice.number}.pdf",
            "mimetype": "application/pdf",
        }
    ]


def test_the_confirmation_is_sent_once_for_a_duplicate_event(send, payment, mailoutbox):
    completed = session_event(payment, event_id="evt_twice")
    send(completed)
    send(completed)
    emails_send_due()

    (message,) = emails_of(mailoutbox, "Paiement confirmé")
    assert len(message.attachments) == 1


def test_an_english_trainee_gets_an_invoice_named_in_english(send, payment, trainee, mailoutbox):
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])

    send(session_event(payment))

    invoice = Invoice.objects.get()
    (message,) = mailoutbox
    name, _content, _mimetype = only_attachment(message)
    assert name == f"invoice-{invoice.number}.pdf"
    assert f"Your invoice no. {invoice.number} is attached" in message.body


def test_an_email_sent_before_the_render_task_renders_and_stores_the_invoice_once(
    send, payment, mailoutbox, monkeypatch
):
    # The render task has not run yet (another worker, a queue behind) when the e-mail goes.
    monkeypatch.setattr(invoices, "invoice_pdf_schedule", lambda invoice_id: None)

    send(session_event(payment))

    invoice = Invoice.objects.get()
    (message,) = mailoutbox
    _name, content, _mimetype = only_attachment(message)
    assert invoice.number in pdf_text(content)
    stored = invoice.pdf.name
    assert stored.endswith(".pdf")
    invoices.invoice_pdf_ensure(invoice_id=invoice.pk)  # the late render task: nothing new
    invoice.refresh_from_db()
    assert invoice.pdf.name == stored
    with invoice.pdf.open("rb") as pdf:
        assert pdf.read() == content


def test_an_invoice_that_cannot_be_rendered_holds_the_email_until_it_can(
    send, payment, mailoutbox, monkeypatch
):
    monkeypatch.setattr(invoices, "invoice_pdf_schedule", lambda invoice_id: None)

    def broken(*, invoice):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(invoices, "invoice_pdf_render", broken)

    send(session_event(payment))

    row = OutboxEmail.objects.get(kind="payment_confirmed")
    assert mailoutbox == []  # never without its invoice
    assert row.status == EmailStatus.QUEUED
    assert "renderer down" in row.last_error
    assert row.next_attempt_at is not None

    monkeypatch.undo()
    assert emails_send_due(now=row.next_attempt_at + timedelta(seconds=1)) == 1
    assert emails_send_due(now=row.next_attempt_at + timedelta(hours=1)) == 0

    (message,) = mailoutbox
    _name, content, _mimetype = only_attachment(message)
    assert Invoice.objects.get().number in pdf_text(content)
    assert OutboxEmail.objects.get(pk=row.pk).status == EmailStatus.SENT


def test_the_refund_email_carries_its_credit_note_pdf(send, paid, mailoutbox):
    mailoutbox.clear()

    send(refund_event(amount=12000, refunded=3000))

    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    (message,) = emails_of(mailoutbox, "Remboursement")
    name, content, mimetype = only_attachment(message)
    assert (name, mimetype) == (f"avoir-{note.number}.pdf", "application/pdf")
    text = pdf_text(content)
    assert note.number in text
    assert "30,00" in text
    assert f"L'avoir n° {note.number} de ce remboursement est joint" in message.body
    assert "/espace/factures/" in message.body


def test_each_refund_email_carries_only_the_credit_note_it_issued(send, paid, mailoutbox):
    mailoutbox.clear()

    send(refund_event(amount=12000, refunded=3000))
    send(refund_event(amount=12000, refunded=12000))

    first, second = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).order_by("sequence")
    names = [only_attachment(message)[0] for message in emails_of(mailoutbox, "Remboursement")]
    assert names == [f"avoir-{first.number}.pdf", f"avoir-{second.number}.pdf"]
    assert "90,00" in pdf_text(only_attachment(emails_of(mailoutbox, "Remboursement")[1])[1])


def test_an_english_trainee_gets_the_credit_note_named_in_english(send, paid, trainee, mailoutbox):
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])
    mailoutbox.clear()

    send(refund_event(amount=12000, refunded=3000))

    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    (message,) = mailoutbox
    assert only_attachment(message)[0] == f"credit-note-{note.number}.pdf"
    assert f"Credit note no. {note.number} for this refund is attached" in message.body


def cancelling_invoice() -> Invoice:
    return Invoice.objects.get(kind=InvoiceKind.INVOICE, credited_invoice__isnull=False)


def test_the_access_restored_email_carries_the_invoice_that_cancels_the_credit_note(
    client, send, admin_user, paid, stripe_api, mailoutbox
):
    refund_in_full_then_fail(client, send, admin_user, paid)

    invoice = cancelling_invoice()
    note = invoice.credited_invoice
    (message,) = emails_of(mailoutbox, "Accès rétabli")
    name, content, mimetype = only_attachment(message)
    assert (name, mimetype) == (f"facture-{invoice.number}.pdf", "application/pdf")
    text = pdf_text(content)
    assert f"Facture n° {invoice.number}" in text
    assert f"Annule l'avoir n° {note.number}" in text
    assert "120,00" in text
    assert (
        f"L'avoir n° {note.number} est annulé par la facture n° {invoice.number} du même "
        "montant, jointe à ce message" in message.body
    )
    assert "votre accès à la formation est rétabli" in message.body
    row = OutboxEmail.objects.get(kind="payment_access_restored")
    assert row.attachments == []
    assert row.documents == [invoices.invoice_document(invoice).as_json()]


def test_an_english_trainee_s_restored_access_carries_the_invoice_named_in_english(
    client, send, admin_user, paid, trainee, stripe_api, mailoutbox
):
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])

    refund_in_full_then_fail(client, send, admin_user, paid)

    invoice = cancelling_invoice()
    (message,) = emails_of(mailoutbox, "Access restored")
    assert only_attachment(message)[0] == f"invoice-{invoice.number}.pdf"
    assert (
        f"Credit note no. {invoice.credited_invoice.number} is cancelled by invoice no. "
        f"{invoice.number} of the same amount, attached to this message" in message.body
    )
