"""Background work of payments: thin tasks that call the payment services.

Each runs again after a crash (acks_late, reject_on_worker_lost): the invoice PDF is rendered
once, the e-mails are outbox rows with a unique key, owed once however often a task runs, and the
daily reconciliation applies each Checkout Session once. The services owe the e-mails in their
own transactions; the e-mail tasks remain for messages queued before the outbox, and do nothing
more when run again.
"""

from __future__ import annotations

import stripe
from celery import shared_task
from django.db import transaction

from courses.payments.services import checkout, fundings, invoices, reconciliation
from institut.celery import RETRY_ON_OS_ERROR


@shared_task(**RETRY_ON_OS_ERROR, acks_late=True, reject_on_worker_lost=True)
def render_invoice_pdf(invoice_id: int) -> bool:
    """Render (once) the PDF of an invoice or credit note.

    Idempotent: it renders under the invoice's row lock only when the PDF is missing.
    """
    return invoices.invoice_pdf_ensure(invoice_id=invoice_id) is not None


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_payment_email(payment_id: int, kind: str) -> bool:
    """Tell the trainee that a payment was confirmed, failed, or refunded.

    Idempotent: the e-mail is an outbox row keyed (kind, payment, trainee, refunded total); a
    second run finds it owed already and adds nothing, so one e-mail goes.
    """
    with transaction.atomic():
        return checkout.payment_email_send(payment_id=payment_id, kind=kind)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_funding_email(funding_id: int) -> bool:
    """Tell the trainee that a funded enrolment opened their course.

    Idempotent: the e-mail is an outbox row keyed (funding, trainee); a second run adds nothing.
    """
    with transaction.atomic():
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
