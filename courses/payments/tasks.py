"""Background work of payments: thin, idempotent tasks that call the payment services."""

from __future__ import annotations

from celery import shared_task

from courses.payments.services import checkout, fundings, invoices


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_invoice_pdf(invoice_id: int) -> bool:
    """Render (once) the PDF of an invoice or credit note."""
    return invoices.invoice_pdf_ensure(invoice_id=invoice_id) is not None


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_payment_email(payment_id: int, kind: str) -> bool:
    """Tell the trainee that a payment was confirmed, failed, or refunded."""
    return checkout.payment_email_send(payment_id=payment_id, kind=kind)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_funding_email(funding_id: int) -> bool:
    """Tell the trainee that a funded enrolment opened their course."""
    return fundings.funding_email_send(funding_id=funding_id)
