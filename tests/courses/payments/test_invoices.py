"""Invoices and credit notes: one continuous sequence, seller's details, PDF, owner only."""

from __future__ import annotations

import io
import zoneinfo
from datetime import datetime

import pytest
from django.db.models.deletion import ProtectedError
from django.utils import timezone, translation
from pypdf import PdfReader
from wagtail.models import Locale

from courses.models import Invoice, InvoiceKind, Payment
from courses.payments.services.invoices import invoice_issue, invoice_pdf_ensure
from home.models import InstitutSettings
from tests.courses.payments.stripe_standin import (
    deliver,
    event,
    pay,
    refund_event,
)
from tests.courses.payments.test_refund_access import refund_asked, refund_in_full_then_fail

pytestmark = pytest.mark.calendar


@pytest.fixture
def seller(home):
    details = InstitutSettings.for_site(home.get_site())
    details.organisation_name = "Institut Charles Rojzman"
    details.address = "12 rue de la Coopération\n75011 Paris"
    details.siret = "12345678900011"
    details.training_body_number = "11756543210"
    details.save()
    return details


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_it_numbers_invoices_and_credit_notes_in_one_sequence(
    client, trainee, other_trainee, paid_course, seller, stripe_api
):
    pay(client, trainee, paid_course, intent="pi_a")
    deliver(client, refund_event(amount=12000, refunded=3000, intent="pi_a"))
    pay(client, other_trainee, paid_course, intent="pi_b")

    rows = list(Invoice.objects.order_by("sequence").values_list("sequence", "number", "kind"))

    year = rows[0][1].split("-")[1]
    assert rows == [
        (1, f"F-{year}-000001", InvoiceKind.INVOICE),
        (2, f"F-{year}-000002", InvoiceKind.CREDIT_NOTE),
        (3, f"F-{year}-000003", InvoiceKind.INVOICE),
    ]


def test_it_prints_number_amount_seller_and_vat_mention_on_the_pdf(
    client, trainee, paid_course, seller, stripe_api
):
    pay(client, trainee, paid_course, intent="pi_a")
    invoice = Invoice.objects.get()
    client.force_login(trainee)

    response = client.get(f"/espace/factures/{invoice.number}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert f"Facture n° {invoice.number}" in text
    assert "120,00" in text
    assert "Institut Charles Rojzman" in text
    assert "SIRET : 12345678900011" in text
    assert "11756543210" in text
    assert "TVA non applicable, art. 261-4-4° du CGI" in text
    assert trainee.full_name in text


def test_it_prints_the_course_s_french_title_when_bought_on_the_english_page(
    client, trainee, paid_course, seller, stripe_api
):
    english = paid_course.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    english.title = "Social Therapy: the foundations"
    english.save_revision().publish()
    english.refresh_from_db()

    pay(client, trainee, english, intent="pi_a")
    invoice = invoice_pdf_ensure(invoice_id=Invoice.objects.get().pk)

    assert invoice.enrolment.course_title == "Social Therapy: the foundations"
    assert invoice.course_title == paid_course.title
    text = " ".join(pdf_text(invoice.pdf.read()).split())
    assert f"Formation « {paid_course.title} »" in text
    assert "Social Therapy" not in text


def test_it_prints_an_online_payment_as_settled_on_its_date(
    client, trainee, paid_course, seller, stripe_api
):
    payment = pay(client, trainee, paid_course, intent="pi_a")
    payment.refresh_from_db()
    invoice = Invoice.objects.get()
    client.force_login(trainee)

    text = pdf_text(
        b"".join(client.get(f"/espace/factures/{invoice.number}.pdf").streaming_content)
    )

    paid_on = timezone.localtime(payment.paid_at).strftime("%d/%m/%Y")
    assert f"Facture acquittée : payée en ligne par carte bancaire le {paid_on}." in text
    assert "pénalités" not in text  # nothing left to pay late


def test_it_prints_the_terms_of_sale_the_buyer_accepted(
    client, trainee, paid_course, seller, stripe_api
):
    payment = pay(client, trainee, paid_course, intent="pi_a")
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    Payment.objects.filter(pk=payment.pk).update(
        terms_accepted_at=datetime(2026, 12, 3, 14, 5, tzinfo=paris),
        terms_revision=7,
        terms_published_at=datetime(2026, 12, 1, 9, 30, tzinfo=paris),
        terms_url="https://institut.test/cgv/",
    )

    invoice = invoice_pdf_ensure(invoice_id=Invoice.objects.get().pk)

    text = " ".join(pdf_text(invoice.pdf.read()).split())
    assert (
        "Conditions générales de vente acceptées le 3 décembre 2026 à 14 h 05 (version publiée"
        " le 1er décembre 2026) : https://institut.test/cgv/"
    ) in text


def test_it_prints_no_terms_of_sale_when_none_were_accepted(
    client, trainee, paid_course, seller, stripe_api
):
    pay(client, trainee, paid_course, intent="pi_a")

    invoice = invoice_pdf_ensure(invoice_id=Invoice.objects.get().pk)

    text = pdf_text(invoice.pdf.read())
    assert "Facture acquittée" in text
    assert "Conditions générales" not in text


def test_it_keeps_an_issued_pdf_when_the_terms_are_recorded_later(
    client, trainee, paid_course, seller, stripe_api
):
    payment = pay(client, trainee, paid_course, intent="pi_a")
    issued = invoice_pdf_ensure(invoice_id=Invoice.objects.get().pk).pdf.read()
    Payment.objects.filter(pk=payment.pk).update(
        terms_accepted_at=timezone.now(), terms_url="https://institut.test/cgv/"
    )

    invoice = invoice_pdf_ensure(invoice_id=Invoice.objects.get().pk)

    assert invoice.pdf.read() == issued
    assert "Conditions générales" not in pdf_text(issued)


def test_it_prints_a_funders_payment_terms_and_late_payment_mentions(seller, fund_by_opco):
    """An invoice a funder settles later carries what the Code de commerce requires of an
    invoice between professionals: when and how to pay, no discount, the late-payment rate and
    the 40 € recovery fee."""
    seller.invoice_payment_terms = "À réception de la facture, par virement."
    seller.save()
    fund_by_opco()
    invoice = invoice_pdf_ensure(invoice_id=Invoice.objects.get().pk)

    text = " ".join(pdf_text(invoice.pdf.read()).split())

    assert "Conditions de règlement : À réception de la facture, par virement." in text
    assert "Pas d'escompte pour paiement anticipé." in text
    assert "majoré de 10 points" in text
    assert "indemnité forfaitaire pour frais de recouvrement de 40 €" in text
    assert "acquittée" not in text


def test_it_prints_the_french_payment_terms_on_an_invoice_whatever_the_language(
    seller, fund_by_opco
):
    """An invoice is a French document: the English terms (for the English terms of sale)
    never reach it."""
    seller.invoice_payment_terms = "À réception de la facture, par virement."
    seller.invoice_payment_terms_en = "On receipt of the invoice, by bank transfer."
    seller.save()
    fund_by_opco()
    with translation.override("en"):
        invoice = invoice_pdf_ensure(invoice_id=Invoice.objects.get().pk)

    text = " ".join(pdf_text(invoice.pdf.read()).split())

    assert "Conditions de règlement : À réception de la facture, par virement." in text
    assert "On receipt" not in text


def test_it_prints_a_credit_note_pointing_at_its_invoice(
    client, trainee, paid_course, seller, stripe_api, settings
):
    settings.INVOICE_VAT_MENTION = "TVA non applicable (mention de test)"
    pay(client, trainee, paid_course, intent="pi_a")
    deliver(client, refund_event(amount=12000, refunded=12000, intent="pi_a"))
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    client.force_login(trainee)

    response = client.get(f"/espace/factures/{note.number}.pdf")

    text = pdf_text(b"".join(response.streaming_content))
    assert f"Avoir n° {note.number}" in text
    assert f"Avoir sur la facture n° {note.credited_invoice.number}" in text
    assert "TVA non applicable (mention de test)" in text


@pytest.mark.parametrize(
    ("prefix", "invoice_word", "note_word"),
    [("", "facture", "avoir"), ("/en", "invoice", "credit-note")],
    ids=["fr", "en"],
)
def test_invoices_and_credit_notes_download_named_in_the_page_s_language(
    client, trainee, paid_course, seller, stripe_api, prefix, invoice_word, note_word
):
    pay(client, trainee, paid_course, intent="pi_a")
    deliver(client, refund_event(amount=12000, refunded=12000, intent="pi_a"))
    invoice = Invoice.objects.get(kind=InvoiceKind.INVOICE)
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    client.force_login(trainee)

    for document, word in ((invoice, invoice_word), (note, note_word)):
        response = client.get(f"{prefix}/espace/factures/{document.number}.pdf")
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="{word}-{document.number}.pdf"'
        )


def test_it_lists_the_trainees_invoices_in_their_space(
    client, trainee, paid_course, seller, stripe_api
):
    pay(client, trainee, paid_course, intent="pi_a")
    client.force_login(trainee)

    html = client.get("/espace/factures/").content.decode()

    invoice = Invoice.objects.get()
    assert invoice.number in html
    assert "120,00" in html
    assert "/espace/factures/" in client.get("/espace/").content.decode()


def test_it_answers_404_for_another_trainees_invoice(
    client, trainee, other_trainee, paid_course, seller, stripe_api
):
    pay(client, trainee, paid_course, intent="pi_a")
    invoice = Invoice.objects.get()
    client.force_login(other_trainee)

    assert client.get(f"/espace/factures/{invoice.number}.pdf").status_code == 404
    assert invoice.number not in client.get("/espace/factures/").content.decode()


def test_it_sends_anonymous_visitors_to_log_in(client, trainee, paid_course, seller, stripe_api):
    pay(client, trainee, paid_course, intent="pi_a")
    invoice = Invoice.objects.get()

    response = client.get(f"/espace/factures/{invoice.number}.pdf")

    assert response.status_code == 302
    assert "/comptes/login/" in response["Location"]


def test_it_never_edits_or_deletes_an_invoice(client, trainee, paid_course, seller, stripe_api):
    pay(client, trainee, paid_course, intent="pi_a")
    invoice = Invoice.objects.get()

    invoice.amount_cents = 1
    with pytest.raises(ProtectedError):
        invoice.save()
    with pytest.raises(ProtectedError):
        invoice.delete()
    assert Invoice.objects.get().amount_cents == 12000


def test_it_lists_many_invoices_in_a_bounded_number_of_queries(
    client, trainee, paid_course, seller, stripe_api, django_assert_max_num_queries
):
    pay(client, trainee, paid_course, intent="pi_a")
    first = Invoice.objects.get()
    for number in range(2, 42):
        Invoice.objects.create(
            kind=InvoiceKind.CREDIT_NOTE if number % 2 else InvoiceKind.INVOICE,
            credited_invoice=first if number % 2 else None,
            sequence=number,
            number=f"F-2026-{number:06d}",
            enrolment_id=first.enrolment_id,
            user=trainee,
            issued_at=first.issued_at,
            course_key=first.course_key,
            course_title=first.course_title,
            trainee_name=first.trainee_name,
            amount_cents=100,
            buyer_name=first.buyer_name,
            seller_name=first.seller_name,
        )
    client.force_login(trainee)

    with django_assert_max_num_queries(12):
        html = client.get("/espace/factures/").content.decode()

    assert "F-2026-000041" in html


def test_issuing_a_payment_s_invoice_again_after_a_failed_refund_gives_that_invoice(
    client, send, admin_user, paid, stripe_api
):
    refund_in_full_then_fail(client, send, admin_user, paid)
    (original,) = Invoice.objects.filter(kind=InvoiceKind.INVOICE, credited_invoice=None)
    cancelling = Invoice.objects.get(kind=InvoiceKind.INVOICE, credited_invoice__isnull=False)
    assert cancelling.sequence > original.sequence  # the newest invoice bearing this payment

    again = invoice_issue(
        enrolment=paid.enrolment,
        amount_cents=paid.amount_cents,
        currency=paid.currency,
        buyer_name="Camille Martin",
        payment=paid,
    )

    assert again == original
    assert Invoice.objects.count() == 3  # the invoice, its credit note, the cancelling invoice


def test_a_refund_after_one_that_failed_credits_the_payment_s_invoice(
    client, send, admin_user, paid, stripe_api
):
    failed = refund_asked(client, admin_user, paid, "40")
    send(refund_event(amount=12000, refunded=4000))
    send(event("refund.failed", {**failed, "status": "failed"}))
    refund_asked(client, admin_user, paid, "30")

    send(refund_event(amount=12000, refunded=3000))

    (original,) = Invoice.objects.filter(kind=InvoiceKind.INVOICE, credited_invoice=None)
    latest = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).order_by("sequence").last()
    assert latest.amount_cents == 3000
    assert latest.credited_invoice == original  # not the 40 € invoice that cancelled the first
