"""Background work of payments: thin tasks that call the payment services.

The invoice PDF and the daily reconciliation run again after a crash (acks_late,
reject_on_worker_lost); the e-mails keep no record of being sent, so they are acknowledged on
receipt and run at most once.
"""

from __future__ import annotations

import stripe
from celery import shared_task

from courses.payments.services import checkout, fundings, invoices, reconciliation
from institut.celery import RETRY_ON_OS_ERROR


@shared_task(**RETRY_ON_OS_ERROR, acks_late=True, reject_on_worker_lost=True)
def render_invoice_pdf(invoice_id: int) -> bool:
    """Render (once) the PDF of an invoice or credit note.

    Idempotent: it renders under the invoice's row lock only when the PDF is missing.
    """
    return invoices.invoice_pdf_ensure(invoice_id=invoice_id) is not None


@shared_task(**RETRY_ON_OS_ERROR, acks_late=False)
def send_payment_email(payment_id: int, kind: str) -> bool:
    """Tell the trainee that a payment was confirmed, failed, or refunded.

    Not idempotent: nothing records that the e-mail went, so a second run sends it again; it is
    acknowledged on receipt and a crash while it runs loses it rather than sending it twice.
    """
    return checkout.payment_email_send(payment_id=payment_id, kind=kind)


@shared_task(**RETRY_ON_OS_ERROR, acks_late=False)
def send_staff_alert(payment_id: int, kind: str) -> bool:
    """Tell staff that a payment needs them (money other than asked, a refund that failed).

    Not idempotent: nothing records that the e-mail went, so a second run sends it again; it is
    acknowledged on receipt and a crash while it runs loses it rather than sending it twice.
    """
    return checkout.staff_alert_send(payment_id=payment_id, kind=kind)


@shared_task(**RETRY_ON_OS_ERROR, acks_late=False)
def send_funding_email(funding_id: int) -> bool:
    """Tell the trainee that a funded enrolment opened their course.

    Not idempotent: nothing records that the e-mail went, so a second run sends it again; it is
    acknowledged on receipt and a crash while it runs loses it rather than sending it twice.
    """
    return fundings.funding_email_send(funding_id=funding_id)


@shared_task(
    autoretry_for=(OSError, stripe.APIConnectionError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
)
def reconcile_checkout_sessions() -> dict[str, int]:
    """Apply the Checkout Sessions Stripe completed whose webhook never came (daily, by beat).

    Idempotent: each session is stored as the event "reconciliation:<session id>" in the same
    transaction as its effect, and a payment already confirmed (by the webhook, at any moment, or
    by an earlier run) is left unchanged under its row lock.
    """
    return reconciliation.checkout_reconcile()
