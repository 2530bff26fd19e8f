"""Views of payments: Checkout and its return pages, the Stripe webhook, the trainee's invoices."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from courses import selectors
from courses.payments import selectors as payments_selectors
from courses.payments.services import checkout, webhooks
from courses.payments.services.invoices import invoice_document, invoice_pdf_ensure
from courses.services import CourseActionRefused
from institut.downloads import pdf_attachment
from institut.form_actions import action_done

logger = logging.getLogger(__name__)


def _payment_page(request, payment_id: int, template: str):
    """A page about one of the trainee's own payments (anyone else's answers 404)."""
    payment = payments_selectors.payment_for_owner(user=request.user, payment_id=payment_id)
    if payment is None:
        raise Http404
    course = selectors.course_for_key(course_key=payment.course_key)
    context = {"payment": payment, "enrolment": payment.enrolment, "course": course}
    return render(request, template, context)


@login_required
@require_GET
def payment_success(request, payment_id: int):
    """Back from Checkout: the payment is being confirmed; access opens with Stripe's word."""
    return _payment_page(request, payment_id, "courses/payments/success.html")


@login_required
@require_GET
def payment_cancel(request, payment_id: int):
    """Back from a cancelled Checkout: the enrolment waits; pay later or give up."""
    return _payment_page(request, payment_id, "courses/payments/cancel.html")


@login_required
@require_POST
def enrolment_abandon(request, enrolment_id: int):
    """The trainee gives up a paid enrolment they have not paid."""
    action_done(
        request,
        lambda: checkout.enrolment_abandon(user=request.user, enrolment_id=enrolment_id),
        _("Votre inscription en attente de paiement est abandonnée."),
        refusals=(CourseActionRefused,),
    )
    return redirect("courses:invoices")


@login_required
@require_GET
def invoices(request):
    """/espace/factures/: the trainee's invoices and credit notes, and payments left to make."""
    return render(
        request,
        "courses/payments/invoices.html",
        {
            "invoices": payments_selectors.trainee_invoices(user=request.user),
            "pending": payments_selectors.pending_enrolments(user=request.user),
        },
    )


@login_required
@require_GET
def invoice_download(request, number: str):
    """An invoice or credit note PDF, for its owner only (anyone else gets 404), named as its
    e-mail attachment is, in the page's language: « facture-F-2026-000123.pdf »,
    « credit-note-F-2026-000124.pdf »."""
    invoice = payments_selectors.invoice_for_owner(user=request.user, number=number)
    if invoice is None:
        raise Http404
    invoice = invoice_pdf_ensure(invoice_id=invoice.pk)
    return pdf_attachment(invoice, invoice_document(invoice).name)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: 400 without a valid signature or with a timestamp too far from now (the
    reason in the body, which Stripe's dashboard shows); 200 once applied, for a duplicate, or
    for a verified body that is not an event of the expected shape (stored as ignored)."""
    try:
        outcome = webhooks.stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except webhooks.WebhookRejected as rejection:
        logger.warning("Stripe webhook rejected: %s", rejection)
        return HttpResponseBadRequest(f"rejected: {rejection}", content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
