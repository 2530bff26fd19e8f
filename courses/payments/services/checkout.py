"""Stripe Checkout from the trainee's side: open or resume a payment, give up an unpaid
enrolment, and the e-mails about a payment. Access opens only when the webhook confirms.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrolment, EnrolmentSource, EnrolmentStatus
from courses.payments.models import (
    Invoice,
    InvoiceKind,
    Payment,
    PaymentStatus,
)
from courses.payments.selectors import payments_enabled
from courses.payments.services import invoices
from courses.reasons import enrolment_reason
from courses.services import (
    CourseActionRefused,
    check_may_enrol,
    enrolment_for_update,
    enrolment_open,
    enrolment_transition,
)
from institut.formats import money
from institut.outbox.services import email_enqueue

logger = logging.getLogger(__name__)


CHECKOUT_REUSE = timedelta(hours=23)


class TermsNotAccepted(CourseActionRefused):
    """The site has terms of sale (CGV) and the trainee did not accept them before paying."""


def terms_of_sale():
    """The live terms of sale page in the trainee's language, or None when the site has none."""
    from home.selectors import legal_page

    return legal_page("terms_of_sale")


def _terms_acceptance(terms) -> dict:
    """The payment's record of the terms accepted now: when, and which published version."""
    if terms is None:
        return {}
    return {
        "terms_accepted_at": timezone.now(),
        "terms_revision": terms.live_revision_id,
        "terms_published_at": terms.last_published_at,
        "terms_url": (terms.get_full_url() or "")[:500],
    }


# --- Stripe Checkout -----------------------------------------------------------------------------


# How long a call to Stripe may take: a person waits for a checkout, and a webhook that lists a
# payment's refunds holds the payment's row lock meanwhile (the library's default is 80 s).
STRIPE_TIMEOUT_SECONDS = 15


def stripe_client() -> stripe.StripeClient:
    """A Stripe client with the configured key (and API base, for the tests' stand-in)."""
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        max_network_retries=0,
        http_client=stripe.new_default_http_client(timeout=STRIPE_TIMEOUT_SECONDS),
    )


@transaction.atomic
def _checkout_prepare(*, user, course: CoursePage, terms=None) -> Payment:
    """The pending enrolment and the Checkout attempt to open (a new one, or one to resume),
    with the terms of sale accepted for it (the latest acceptance, on an attempt resumed)."""
    accepted = _terms_acceptance(terms)
    payment = _checkout_attempt(user=user, course=course, accepted=accepted)
    if accepted and payment.terms_accepted_at != accepted["terms_accepted_at"]:
        Payment.objects.filter(pk=payment.pk).update(**accepted)
        for name, value in accepted.items():
            setattr(payment, name, value)
    return payment


def _checkout_attempt(*, user, course: CoursePage, accepted: dict) -> Payment:
    check_may_enrol(user=user, course=course, prerequisites=False)
    if course.is_free:
        raise CourseActionRefused(_("Cette formation est gratuite : inscrivez-vous directement."))
    enrolment = enrolment_for_update(user=user, course=course)
    if enrolment is None:
        check_may_enrol(user=user, course=course)
        enrolment = enrolment_open(
            user=user,
            course=course,
            source=EnrolmentSource.PAID,
            status=EnrolmentStatus.PENDING,
            actor=user,
            reason=enrolment_reason("checkout_started"),
        )
    if enrolment.grants_access:
        raise CourseActionRefused(_("Vous êtes déjà inscrit·e à cette formation."))
    if enrolment.status != EnrolmentStatus.PENDING:
        check_may_enrol(user=user, course=course)
        enrolment_transition(
            enrolment=enrolment,
            to_status=EnrolmentStatus.PENDING,
            actor=user,
            reason=enrolment_reason("checkout_restarted"),
        )
    last = enrolment.payments.order_by("-attempt").first()
    if last is not None and last.status == PaymentStatus.HELD:
        raise CourseActionRefused(
            _(
                "Votre paiement est en cours de vérification par l'Institut : ne payez pas une "
                "seconde fois, nous vous contactons très vite."
            )
        )
    if last is not None and last.status == PaymentStatus.CREATING:
        return last  # the previous call never heard back: same idempotency key, same session
    if (
        last is not None
        and last.status == PaymentStatus.OPEN
        and last.checkout_url
        and last.amount_cents == course.price_cents
        and last.created > timezone.now() - CHECKOUT_REUSE
    ):
        return last
    attempt = (last.attempt if last else 0) + 1
    return Payment.objects.create(
        enrolment=enrolment,
        user=user,
        course_key=enrolment.course_key,
        course_title=course.title,
        attempt=attempt,
        idempotency_key=f"checkout-{enrolment.pk}-{attempt}",
        amount_cents=course.price_cents,
        currency="EUR",
        **accepted,
    )


def _absolute(name: str, *args) -> str:
    """The address of one of our pages, in the language the trainee is reading (Stripe brings
    them back to it after Checkout)."""
    return settings.SITE_URL + reverse(name, args=args)


def checkout_start(*, user, course: CoursePage, terms_accepted: bool = False) -> Payment:
    """Open (or resume) a Stripe Checkout for a paid course, once the trainee has accepted the
    terms of sale when the site has some (recorded on the payment); access waits for the
    webhook."""
    if not payments_enabled():
        raise CourseActionRefused(
            _(
                "Le paiement en ligne n'est pas configuré sur ce site : l'inscription à cette "
                "formation payante n'est pas possible en ligne pour le moment. Contactez "
                "l'Institut pour vous inscrire ou demander un financement."
            )
        )
    terms = terms_of_sale()
    if terms is not None and not terms_accepted:
        raise TermsNotAccepted(
            _(
                "Pour payer, cochez la case « J'ai lu et j'accepte les conditions générales de "
                "vente »."
            )
        )
    payment = _checkout_prepare(user=user, course=course, terms=terms)
    if payment.status == PaymentStatus.OPEN:
        return payment
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": payment.currency.lower(),
                    "unit_amount": payment.amount_cents,
                    "product_data": {"name": payment.course_title},
                },
            }
        ],
        "customer_email": user.email,
        "client_reference_id": str(payment.pk),
        "metadata": {"enrolment_id": str(payment.enrolment_id), "payment_id": str(payment.pk)},
        "payment_intent_data": {
            "metadata": {"enrolment_id": str(payment.enrolment_id), "payment_id": str(payment.pk)}
        },
        "success_url": _absolute("courses:payment_success", payment.pk),
        "cancel_url": _absolute("courses:payment_cancel", payment.pk),
        "locale": "en" if translation.get_language() == "en" else "fr",
    }
    try:
        session = stripe_client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": payment.idempotency_key}
        )
    except stripe.StripeError as error:
        logger.warning("Stripe refused the Checkout Session of payment %s: %s", payment.pk, error)
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.CREATING).update(
            status=PaymentStatus.ERROR, error_message=str(error)[:500]
        )
        raise CourseActionRefused(
            _(
                "Le service de paiement ne répond pas correctement : votre inscription reste en "
                "attente de paiement et rien ne vous a été prélevé. Réessayez dans quelques "
                "minutes, ou contactez l'Institut."
            )
        ) from error
    Payment.objects.filter(pk=payment.pk, status=PaymentStatus.CREATING).update(
        status=PaymentStatus.OPEN, stripe_session_id=session.id, checkout_url=session.url or ""
    )
    payment.refresh_from_db()
    if not payment.checkout_url:
        payment.checkout_url = session.url or ""
    return payment


@transaction.atomic
def enrolment_abandon(*, user, enrolment_id: int) -> Enrolment:
    """The trainee gives up a paid enrolment they have not paid for."""
    enrolment = Enrolment.objects.select_for_update().filter(pk=enrolment_id, user=user).first()
    if enrolment is None or enrolment.status != EnrolmentStatus.PENDING:
        raise CourseActionRefused(_("Aucune inscription en attente de paiement à abandonner."))
    return enrolment_transition(
        enrolment=enrolment,
        to_status=EnrolmentStatus.ABANDONED,
        actor=user,
        reason=enrolment_reason("abandoned"),
    )


def payment_email_schedule(
    payment_id: int, kind: str, version: str | int = "", issued: Iterable[Invoice] = ()
) -> None:
    """Owe the trainee this payment e-mail, in the caller's transaction (the outbox sends it);
    `version` tells apart two e-mails of one kind about one payment (access restored after each
    failed refund); the e-mail carries the documents its effect `issued` (a refund's credit
    notes, the invoice that cancels the credit note of a refund that failed)."""
    payment_email_send(payment_id=payment_id, kind=kind, version=version, issued=issued)


def staff_alert_schedule(
    payment_id: int, kind: str, version: str | int = "", facts: dict | None = None
) -> None:
    """Owe staff this alert, in the caller's transaction (the outbox sends it); `version` tells
    apart two alerts of one kind about one payment (each failed refund); `facts` are what the
    service did about it, for the alert to say."""
    staff_alert_send(payment_id=payment_id, kind=kind, version=version, facts=facts)


# --- E-mails -------------------------------------------------------------------------------------


PAYMENT_EMAIL_KINDS = ("confirmed", "failed", "refunded", "access_restored")


def payment_email_send(
    *,
    payment_id: int,
    kind: str,
    version: str | int = "",
    issued: Iterable[Invoice] = (),
) -> bool:
    """E-mail the trainee about a payment: confirmed, failed, refunded, or their access restored
    because a refund failed (once each; a refund once per refunded total; a restored access once
    per `version`). True when the e-mail is owed now, False when it already was.

    The confirmation carries the payment's invoice, a refund the credit notes it `issued`, a
    restored access the invoice `issued` to cancel the refund's credit note: their PDFs,
    attached by reference (the outbox reads them when it sends, rendering one not stored yet),
    the link to the trainee's invoices kept."""
    payment = Payment.objects.select_related("user").filter(pk=payment_id).first()
    if payment is None or kind not in PAYMENT_EMAIL_KINDS:
        return False
    user = payment.user
    attached = _attached_documents(payment, kind, issued)
    with translation.override(user.language):
        documents = [invoices.invoice_document(document) for document in attached]
        context = {
            "payment": payment,
            "user": user,
            "kind": kind,
            "amount": money(payment.amount_cents, payment.currency),
            "refunded": money(payment.amount_refunded_cents, payment.currency),
            "fully_refunded": payment.amount_refunded_cents >= payment.amount_cents,
            "invoices_url": settings.SITE_URL + reverse("courses:invoices"),
            # A held payment had no invoice: its refund has no credit note to mention.
            "credit_note": kind == "refunded"
            and (bool(attached) or payment.invoices.filter(kind=InvoiceKind.CREDIT_NOTE).exists()),
            "invoice": attached[0]
            if kind in ("confirmed", "access_restored") and attached
            else None,
            # The credit note that the restored access's invoice cancels.
            "cancelled_note": attached[0].credited_invoice
            if kind == "access_restored" and attached
            else None,
            "credit_note_numbers": ", ".join(note.number for note in attached)
            if kind == "refunded"
            else "",
            "attached_count": len(attached),
        }
        subject = render_to_string(f"courses/payments/email/{kind}_subject.txt", context)
        body = render_to_string(f"courses/payments/email/{kind}_body.txt", context)
    return (
        email_enqueue(
            kind=f"payment_{kind}",
            about=payment,
            to=user,
            version=payment.amount_refunded_cents if kind == "refunded" else version,
            subject=subject,
            text=body,
            documents=documents,
        )
        is not None
    )


def _attached_documents(payment: Payment, kind: str, issued: Iterable[Invoice]) -> list:
    """What a payment e-mail carries: the confirmation, the payment's invoice (a held payment
    accepted by staff has one too); a refund, the credit notes it issued; a restored access,
    the invoice that cancels the credit note of the refund that failed."""
    if kind == "confirmed":
        invoice = invoices.payment_invoice(payment)
        return [invoice] if invoice is not None else []
    if kind in ("refunded", "access_restored"):
        return sorted(issued, key=lambda document: document.sequence)
    return []


STAFF_ALERT_KINDS = ("held", "refund_failed")


def staff_alert_recipients() -> list[str]:
    """PAYMENTS_ALERT_EMAILS, or else every active person who may read payments."""
    if settings.PAYMENTS_ALERT_EMAILS:
        return list(settings.PAYMENTS_ALERT_EMAILS)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    perm = Permission.objects.filter(
        content_type__app_label="courses", codename="view_payment"
    ).first()
    readers = Q(is_superuser=True)
    if perm is not None:
        readers |= Q(user_permissions=perm) | Q(groups__permissions=perm)
    users = get_user_model().objects.filter(readers, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def staff_alert_send(
    *, payment_id: int, kind: str, version: str | int = "", facts: dict | None = None
) -> bool:
    """E-mail staff about a payment that needs them: money other than asked, a failed refund
    (once per address and version), saying the `facts` the service gave (what it did)."""
    payment = Payment.objects.select_related("user").filter(pk=payment_id).first()
    recipients = staff_alert_recipients()
    if payment is None or kind not in STAFF_ALERT_KINDS or not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "payment": payment,
            "kind": kind,
            "amount": money(payment.amount_cents, payment.currency),
            "admin_url": settings.SITE_URL + reverse("course_payments:inspect", args=[payment.pk]),
            **(facts or {}),
        }
        subject = render_to_string(f"courses/payments/email/staff_{kind}_subject.txt", context)
        body = render_to_string(f"courses/payments/email/staff_{kind}_body.txt", context)
    owed = [
        email_enqueue(
            kind=f"payment_staff_{kind}",
            about=payment,
            to=address,
            version=version,
            language=settings.LANGUAGE_CODE,
            subject=subject,
            text=body,
        )
        for address in recipients
    ]
    return any(email is not None for email in owed)
