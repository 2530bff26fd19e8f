"""Invoices and credit notes: one continuous numbering, the seller's details frozen at issue,
the PDF rendered once after the transaction commits.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import Enrolment
from courses.payments import selectors as payments_selectors
from courses.payments.models import (
    Funding,
    Invoice,
    InvoiceKind,
    InvoiceSequence,
    Payment,
)
from courses.selectors import courses_for_keys
from institut.formats import money
from institut.outbox.documents import StoredDocument, numbered_pdf
from institut.pdf import render_pdf

logger = logging.getLogger(__name__)


def invoice_pdf_schedule(invoice_id: int) -> None:
    from courses.payments.tasks import render_invoice_pdf

    transaction.on_commit(lambda: render_invoice_pdf.delay(invoice_id))


# --- Invoices ------------------------------------------------------------------------------------


def _invoice_number_take() -> tuple[int, str]:
    """The next number of the one sequence, under a lock held until the transaction ends."""
    counter = InvoiceSequence.objects.select_for_update().filter(pk=1).first()
    if counter is None:
        try:
            with transaction.atomic():
                InvoiceSequence.objects.create(pk=1)
        except IntegrityError:
            pass
        counter = InvoiceSequence.objects.select_for_update().get(pk=1)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    year = timezone.localdate().year
    return counter.last_number, f"{settings.INVOICE_NUMBER_PREFIX}-{year}-{counter.last_number:06d}"


def _seller() -> dict:
    details = payments_selectors.seller_details()
    return {
        "seller_name": details.organisation_name,
        "seller_address": details.address,
        "seller_siret": details.siret,
        "seller_vat_number": details.vat_number,
        "seller_training_body_number": details.training_body_number,
    }


# What a credit note, and the invoice that cancels one, copy from the document they answer.
_COPIED_FIELDS = (
    "enrolment_id",
    "payment_id",
    "funding_id",
    "user_id",
    "course_key",
    "course_title",
    "trainee_name",
    "currency",
    "buyer_name",
    "buyer_email",
    "buyer_address",
    "buyer_reference",
)


def _copied_from(document: Invoice) -> dict:
    return {name: getattr(document, name) for name in _COPIED_FIELDS}


def _document_issue(**fields) -> Invoice:
    """Number and write an invoice or a credit note, the seller's details frozen now; its PDF
    is rendered after the commit."""
    sequence, number = _invoice_number_take()
    document = Invoice.objects.create(
        sequence=sequence,
        number=number,
        issued_at=timezone.now(),
        vat_mention=settings.INVOICE_VAT_MENTION,
        **fields,
        **_seller(),
    )
    invoice_pdf_schedule(document.pk)
    return document


def invoiced_title(enrolment: Enrolment) -> str:
    """The course's French title: an invoice is a French document, whatever language the buyer
    read the course in (the title saved at enrolment when the course is gone)."""
    course = courses_for_keys(course_keys=[enrolment.course_key], language="fr").get(
        enrolment.course_key
    )
    return course.title if course is not None else enrolment.course_title


def payment_invoice(payment: Payment) -> Invoice | None:
    """The invoice issued for a payment; never one that cancels the credit note of a refund
    that failed, which bears the same payment."""
    return payment.invoices.filter(kind=InvoiceKind.INVOICE, credited_invoice__isnull=True).first()


def invoice_issue(
    *,
    enrolment: Enrolment,
    amount_cents: int,
    currency: str,
    buyer_name: str,
    buyer_email: str = "",
    buyer_address: str = "",
    buyer_reference: str = "",
    payment: Payment | None = None,
    funding: Funding | None = None,
) -> Invoice:
    """Issue the invoice of a payment or funding, once (the caller holds the enrolment lock).

    The one already issued is the payment's or funding's own, never the invoice that cancels
    the credit note of a refund that failed: it bears the same payment, and is newer."""
    existing = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE,
        enrolment=enrolment,
        payment=payment,
        funding=funding,
        credited_invoice__isnull=True,
    ).first()
    if existing is not None:
        return existing
    user = enrolment.user
    return _document_issue(
        kind=InvoiceKind.INVOICE,
        enrolment=enrolment,
        payment=payment,
        funding=funding,
        user=user,
        course_key=enrolment.course_key,
        course_title=invoiced_title(enrolment),
        trainee_name=user.full_name or user.email,
        amount_cents=amount_cents,
        currency=currency,
        buyer_name=buyer_name,
        buyer_email=buyer_email,
        buyer_address=buyer_address,
        buyer_reference=buyer_reference,
    )


def credit_note_issue(
    *, invoice: Invoice, amount_cents: int, stripe_refund_id: str = ""
) -> Invoice:
    """A credit note (avoir) for part or all of an invoice, in the same sequence; one per Stripe
    refund, when it is known (the database refuses a second one)."""
    if stripe_refund_id:
        existing = credit_note_of_refund(stripe_refund_id)
        if existing is not None:
            return existing
    return _document_issue(
        kind=InvoiceKind.CREDIT_NOTE,
        credited_invoice=invoice,
        stripe_refund_id=stripe_refund_id,
        amount_cents=amount_cents,
        **_copied_from(invoice),
    )


def credit_note_of_refund(stripe_refund_id: str) -> Invoice | None:
    """The credit note already issued for a Stripe refund, if any."""
    return Invoice.objects.filter(
        kind=InvoiceKind.CREDIT_NOTE, stripe_refund_id=stripe_refund_id
    ).first()


def credit_note_cancel(*, note: Invoice, amount_cents: int) -> Invoice:
    """An invoice that cancels (part of) a credit note whose refund never reached the person
    (Stripe reported it failed): a credit note, once numbered, is never deleted."""
    return _document_issue(
        kind=InvoiceKind.INVOICE,
        credited_invoice=note,
        amount_cents=amount_cents,
        **_copied_from(note),
    )


def invoice_pdf_render(*, invoice: Invoice) -> bytes:
    """The PDF bytes of an invoice or credit note; no network access."""
    return render_pdf(
        "courses/payments/invoice_pdf.html",
        {
            "invoice": invoice,
            "issued_on": timezone.localtime(invoice.issued_at).date(),
            "amount": money(invoice.amount_cents, invoice.currency),
            "paid_at": invoice.payment.paid_at if invoice.payment_id else None,
            "payment_terms": payments_selectors.seller_details().invoice_payment_terms,
        },
    )


def invoice_pdf_ensure(*, invoice_id: int) -> Invoice | None:
    """Render and store an invoice's PDF once; later calls return it unchanged."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().filter(pk=invoice_id).first()
        if invoice is None or invoice.pdf:
            return invoice
        with translation.override(settings.LANGUAGE_CODE):
            pdf = invoice_pdf_render(invoice=invoice)
        invoice.pdf.save(f"{invoice.number}.pdf", ContentFile(pdf), save=False)
        invoice.save(update_fields=["pdf"])
    return invoice


# --- In e-mails ----------------------------------------------------------------------------------

# The outbox's name for invoices and credit notes attached by reference (courses/apps.py).
DOCUMENT_SOURCE = "courses.invoice"


def invoice_pdf_bytes(invoice_id: str) -> bytes:
    """The stored PDF of an invoice or credit note, for the outbox when it sends: rendered and
    stored now if its render task has not run yet, so that the e-mail never goes without it."""
    invoice = invoice_pdf_ensure(invoice_id=int(invoice_id))
    if invoice is None:
        raise LookupError(f"Invoice {invoice_id} does not exist.")
    with invoice.pdf.open("rb") as stored:
        return stored.read()


def invoice_document(invoice: Invoice) -> StoredDocument:
    """An invoice or credit note to attach to an e-mail, named in the active language by its
    number: « facture-F-2026-000123.pdf », « avoir-F-2026-000124.pdf »."""
    word = _("avoir") if invoice.kind == InvoiceKind.CREDIT_NOTE else _("facture")
    return numbered_pdf(DOCUMENT_SOURCE, invoice, word)
