"""Business rules of payments: Stripe Checkout, webhook events applied once, refunds, fundings,
invoices and credit notes.

Locks are always taken in the same order: the enrolment row, then its payment, then the invoice
counter. Network calls to Stripe never happen inside a transaction.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import stripe
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses import payments_selectors, selectors
from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    Funding,
    FundingSource,
    Invoice,
    InvoiceKind,
    InvoiceSequence,
    Payment,
    PaymentStatus,
    StripeEvent,
)
from courses.payments_models import PAYMENT_CAPTURED_STATUSES
from courses.services import CourseActionRefused, _enrolment_transition
from institut import roles

logger = logging.getLogger(__name__)

# A Checkout Session stays open 24 hours; one younger than this is offered again.
CHECKOUT_REUSE = timedelta(hours=23)


# --- Stripe Checkout -----------------------------------------------------------------------------


def payments_enabled() -> bool:
    """Whether online payment is configured on this machine."""
    return bool(settings.STRIPE_SECRET_KEY)


def stripe_client() -> stripe.StripeClient:
    """A Stripe client with the configured key (and API base, for the tests' stand-in)."""
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=0
    )


def _refuse_if_cannot_enrol(*, user, course: CoursePage) -> None:
    if not getattr(user, "is_authenticated", False) or not roles.is_trainee(user):
        raise CourseActionRefused(_("Seuls les comptes stagiaires peuvent s'inscrire."))
    if not course.live:
        raise CourseActionRefused(_("Cette formation n'est pas ouverte aux inscriptions."))


@transaction.atomic
def _checkout_prepare(*, user, course: CoursePage) -> Payment:
    """The pending enrolment and the Checkout attempt to open (a new one, or one to resume)."""
    _refuse_if_cannot_enrol(user=user, course=course)
    if course.is_free:
        raise CourseActionRefused(_("Cette formation est gratuite : inscrivez-vous directement."))
    enrolment = _enrolment_lock_or_create(user=user, course=course)
    if enrolment.grants_access:
        raise CourseActionRefused(_("Vous êtes déjà inscrit·e à cette formation."))
    if enrolment.status != EnrolmentStatus.PENDING:
        missing = selectors.missing_prerequisites(user=user, course=course)
        if missing:
            raise CourseActionRefused(_("Terminez d'abord les formations prérequises."))
        _enrolment_transition(
            enrolment=enrolment,
            to_status=EnrolmentStatus.PENDING,
            actor=user,
            reason="checkout started again",
        )
    last = enrolment.payments.order_by("-attempt").first()
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
    )


def _enrolment_lock_or_create(*, user, course: CoursePage) -> Enrolment:
    """The user's enrolment in the course, locked; a new pending one if there is none."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )
    if enrolment is not None:
        return enrolment
    if selectors.missing_prerequisites(user=user, course=course):
        raise CourseActionRefused(_("Terminez d'abord les formations prérequises."))
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                course_key=course.translation_key,
                course_title=course.title,
                status=EnrolmentStatus.PENDING,
                source=EnrolmentSource.PAID,
            )
    except IntegrityError:
        # Two clicks at once: the other request created it.
        return Enrolment.objects.select_for_update().get(
            user=user, course_key=course.translation_key
        )
    EnrolmentEvent.objects.create(
        enrolment=enrolment, actor=user, to_status=enrolment.status, reason="checkout started"
    )
    return enrolment


def _absolute(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SITE_URL + reverse(name, args=args)


def checkout_start(*, user, course: CoursePage) -> Payment:
    """Open (or resume) a Stripe Checkout for a paid course; access waits for the webhook."""
    if not payments_enabled():
        raise CourseActionRefused(
            _(
                "Le paiement en ligne n'est pas configuré sur ce site : l'inscription à cette "
                "formation payante n'est pas possible en ligne pour le moment. Contactez "
                "l'Institut pour vous inscrire ou demander un financement."
            )
        )
    payment = _checkout_prepare(user=user, course=course)
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
    return _enrolment_transition(
        enrolment=enrolment,
        to_status=EnrolmentStatus.ABANDONED,
        actor=user,
        reason="abandoned before payment",
    )


# --- Webhook -------------------------------------------------------------------------------------


class WebhookRejected(Exception):
    """A webhook request that does not come from Stripe (missing or bad signature)."""


def stripe_webhook_receive(*, payload: bytes, signature: str | None) -> str:
    """Verify a webhook delivery on its raw body, then apply its event once."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not signature:
        raise WebhookRejected("missing signature or secret")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)  # Stripe's default tolerance
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise WebhookRejected(str(error)) from error
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise WebhookRejected("not an event")
    return stripe_event_apply(event=event)


def stripe_event_apply(*, event: dict) -> str:
    """Apply an event and store its id in the same transaction; a duplicate changes nothing."""
    obj = (event.get("data") or {}).get("object") or {}
    event_type = event["type"]
    created = event.get("created")
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event["id"],
                    type=event_type,
                    payload=event,
                    payment_intent_id=(obj.get("payment_intent") or "")
                    if event_type.startswith("charge.")
                    else "",
                    stripe_created=datetime.fromtimestamp(created, tz=UTC)
                    if isinstance(created, int)
                    else None,
                )
        except IntegrityError:
            return "duplicate"
        handler = _HANDLERS.get(event_type)
        outcome = handler(obj) if handler else "ignored"
        StripeEvent.objects.filter(pk=record.pk).update(outcome=outcome)
    return outcome


def _payment_lock(*, payment_id) -> tuple[Enrolment, Payment] | None:
    """Lock a payment's enrolment, then the payment itself."""
    try:
        enrolment_id = (
            Payment.objects.filter(pk=int(payment_id))
            .values_list("enrolment_id", flat=True)
            .first()
        )
    except (TypeError, ValueError):
        return None
    if enrolment_id is None:
        return None
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment_id)
    payment = Payment.objects.select_for_update().get(pk=int(payment_id))
    return enrolment, payment


def _session_payment_lock(session: dict) -> tuple[Enrolment, Payment] | None:
    metadata = session.get("metadata") or {}
    payment_id = metadata.get("payment_id") or session.get("client_reference_id")
    if payment_id is None and session.get("id"):
        payment_id = (
            Payment.objects.filter(stripe_session_id=session["id"])
            .values_list("pk", flat=True)
            .first()
        )
    locked = _payment_lock(payment_id=payment_id)
    if locked is None:
        logger.warning("Stripe session %s matches no payment.", session.get("id"))
        return None
    enrolment, payment = locked
    if str(metadata.get("enrolment_id", enrolment.pk)) != str(enrolment.pk):
        logger.warning("Stripe session %s names another enrolment.", session.get("id"))
        return None
    changed = []
    if session.get("id") and payment.stripe_session_id != session["id"]:
        payment.stripe_session_id = session["id"]
        changed.append("stripe_session_id")
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if intent and payment.stripe_payment_intent_id != intent:
        payment.stripe_payment_intent_id = intent
        changed.append("stripe_payment_intent_id")
    if changed:
        payment.save(update_fields=[*changed, "updated"])
    return enrolment, payment


def _on_checkout_completed(session: dict) -> str:
    locked = _session_payment_lock(session)
    if locked is None:
        return "unknown payment"
    enrolment, payment = locked
    if session.get("payment_status") in ("paid", "no_payment_required"):
        return _payment_confirm(enrolment=enrolment, payment=payment, session=session)
    if payment.status in (PaymentStatus.CREATING, PaymentStatus.OPEN, PaymentStatus.ERROR):
        payment.status = PaymentStatus.PROCESSING
        payment.save(update_fields=["status", "updated"])
    return "awaiting payment"


def _on_async_payment_succeeded(session: dict) -> str:
    locked = _session_payment_lock(session)
    if locked is None:
        return "unknown payment"
    enrolment, payment = locked
    return _payment_confirm(enrolment=enrolment, payment=payment, session=session)


def _on_async_payment_failed(session: dict) -> str:
    locked = _session_payment_lock(session)
    if locked is None:
        return "unknown payment"
    _enrolment, payment = locked
    if payment.status in PAYMENT_CAPTURED_STATUSES or payment.status == PaymentStatus.FAILED:
        return "nothing to do"
    payment.status = PaymentStatus.FAILED
    payment.save(update_fields=["status", "updated"])
    _after_commit_email(payment.pk, "failed")
    return "failed"


def _on_checkout_expired(session: dict) -> str:
    locked = _session_payment_lock(session)
    if locked is None:
        return "unknown payment"
    _enrolment, payment = locked
    if payment.status not in (
        PaymentStatus.CREATING,
        PaymentStatus.OPEN,
        PaymentStatus.PROCESSING,
        PaymentStatus.ERROR,
    ):
        return "nothing to do"
    payment.status = PaymentStatus.EXPIRED
    payment.save(update_fields=["status", "updated"])
    return "expired"


def _intent_lock(intent: str) -> None:
    """Serialise a refund received before its payment with that payment's confirmation.

    Without it, on PostgreSQL, a refund could be stored as deferred just after the confirmation
    looked for deferred refunds. SQLite runs one writing transaction at a time anyway.
    """
    if intent and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"pi:{intent}"])


def _on_charge_refunded(charge: dict) -> str:
    intent = charge.get("payment_intent")
    if not intent:
        return "no payment intent"

    def payment_id_for_intent():
        rows = Payment.objects.filter(stripe_payment_intent_id=intent).values_list("pk", flat=True)
        return rows.first()

    payment_id = payment_id_for_intent()
    if payment_id is None:
        _intent_lock(intent)
        payment_id = payment_id_for_intent()  # a confirmation may have committed meanwhile
    if payment_id is None:
        return "deferred"  # kept with its payment intent, applied when the payment is confirmed
    enrolment, payment = _payment_lock(payment_id=payment_id)
    if payment.status not in PAYMENT_CAPTURED_STATUSES:
        return "deferred"
    return _refund_apply(enrolment=enrolment, payment=payment, charge=charge)


_HANDLERS = {
    "checkout.session.completed": _on_checkout_completed,
    "checkout.session.async_payment_succeeded": _on_async_payment_succeeded,
    "checkout.session.async_payment_failed": _on_async_payment_failed,
    "checkout.session.expired": _on_checkout_expired,
    "charge.refunded": _on_charge_refunded,
}


def _after_commit_email(payment_id: int, kind: str) -> None:
    from courses.payments_tasks import send_payment_email

    transaction.on_commit(lambda: send_payment_email.delay(payment_id, kind))


def _after_commit_pdf(invoice_id: int) -> None:
    from courses.payments_tasks import render_invoice_pdf

    transaction.on_commit(lambda: render_invoice_pdf.delay(invoice_id))


def _payment_confirm(*, enrolment: Enrolment, payment: Payment, session: dict) -> str:
    """Stripe says the money is in: record it, open access, invoice; then late refunds."""
    if payment.status in PAYMENT_CAPTURED_STATUSES:
        return "already paid"
    amount = session.get("amount_total")
    if isinstance(amount, int) and amount != payment.amount_cents:
        logger.warning(
            "Payment %s: Stripe charged %s cents, %s expected.",
            payment.pk,
            amount,
            payment.amount_cents,
        )
        payment.amount_cents = amount
    payment.status = PaymentStatus.PAID
    payment.paid_at = timezone.now()
    payment.save(update_fields=["status", "paid_at", "amount_cents", "updated"])
    if not enrolment.grants_access:
        _enrolment_transition(
            enrolment=enrolment,
            to_status=EnrolmentStatus.ACTIVE,
            actor=None,
            reason=f"payment {payment.pk} confirmed by Stripe",
        )
    elif enrolment.status == EnrolmentStatus.ACTIVE:
        logger.warning(
            "Enrolment %s was already open when payment %s came.", enrolment.pk, payment.pk
        )
    _invoice_issue(
        enrolment=enrolment,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        buyer_name=enrolment.user.full_name or enrolment.user.email,
        buyer_email=enrolment.user.email,
        payment=payment,
    )
    _after_commit_email(payment.pk, "confirmed")
    outcome = "paid"
    if payment.stripe_payment_intent_id:
        _intent_lock(payment.stripe_payment_intent_id)
        for late in StripeEvent.objects.filter(
            type="charge.refunded", payment_intent_id=payment.stripe_payment_intent_id
        ).order_by("pk"):
            charge = late.payload.get("data", {}).get("object", {})
            outcome = _refund_apply(enrolment=enrolment, payment=payment, charge=charge)
            StripeEvent.objects.filter(pk=late.pk).update(outcome=f"applied later: {outcome}")
    return outcome


def _refund_apply(*, enrolment: Enrolment, payment: Payment, charge: dict) -> str:
    """Record what Stripe refunded (a cumulative amount): a credit note for what is new."""
    refunded = int(charge.get("amount_refunded") or 0)
    if charge.get("refunded") or refunded >= payment.amount_cents:
        refunded = payment.amount_cents
    new = refunded - payment.amount_refunded_cents
    if new <= 0:
        return "refund already recorded"
    payment.amount_refunded_cents = refunded
    full = refunded >= payment.amount_cents
    payment.status = PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED
    payment.save(update_fields=["amount_refunded_cents", "status", "updated"])
    invoice = Invoice.objects.filter(payment=payment, kind=InvoiceKind.INVOICE).first()
    if invoice is not None:
        _credit_note_issue(invoice=invoice, amount_cents=new)
    _after_commit_email(payment.pk, "refunded")
    if full:
        _access_end_after_refund(enrolment=enrolment, payment=payment)
        return "refunded"
    return "partially refunded"


def _access_end_after_refund(*, enrolment: Enrolment, payment: Payment) -> None:
    """A full refund ends access, unless another payment or a funding still pays for it."""
    still_paid = (
        enrolment.payments.exclude(pk=payment.pk)
        .filter(status__in=(PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED))
        .exists()
        or enrolment.fundings.exists()
    )
    reason = f"payment {payment.pk} fully refunded"
    if still_paid:
        return
    if enrolment.status == EnrolmentStatus.ACTIVE:
        _enrolment_transition(
            enrolment=enrolment, to_status=EnrolmentStatus.ENDED, actor=None, reason=reason
        )
    elif enrolment.status == EnrolmentStatus.COMPLETED:
        # A completed course is a permanent fact: the refund is recorded beside it.
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            from_status=enrolment.status,
            to_status=enrolment.status,
            reason=f"{reason}; completion kept on record",
        )


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


def _invoice_issue(
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
    """Issue the invoice of a payment or funding, once (the caller holds the enrolment lock)."""
    existing = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, payment=payment, funding=funding
    ).first()
    if existing is not None:
        return existing
    sequence, number = _invoice_number_take()
    user = enrolment.user
    invoice = Invoice.objects.create(
        kind=InvoiceKind.INVOICE,
        sequence=sequence,
        number=number,
        enrolment=enrolment,
        payment=payment,
        funding=funding,
        user=user,
        issued_at=timezone.now(),
        course_key=enrolment.course_key,
        course_title=enrolment.course_title,
        trainee_name=user.full_name or user.email,
        amount_cents=amount_cents,
        currency=currency,
        buyer_name=buyer_name,
        buyer_email=buyer_email,
        buyer_address=buyer_address,
        buyer_reference=buyer_reference,
        vat_mention=settings.INVOICE_VAT_MENTION,
        **_seller(),
    )
    _after_commit_pdf(invoice.pk)
    return invoice


def _credit_note_issue(*, invoice: Invoice, amount_cents: int) -> Invoice:
    """A credit note (avoir) for part or all of an invoice, in the same sequence."""
    sequence, number = _invoice_number_take()
    note = Invoice.objects.create(
        kind=InvoiceKind.CREDIT_NOTE,
        sequence=sequence,
        number=number,
        credited_invoice=invoice,
        enrolment_id=invoice.enrolment_id,
        payment_id=invoice.payment_id,
        funding_id=invoice.funding_id,
        user_id=invoice.user_id,
        issued_at=timezone.now(),
        course_key=invoice.course_key,
        course_title=invoice.course_title,
        trainee_name=invoice.trainee_name,
        amount_cents=amount_cents,
        currency=invoice.currency,
        buyer_name=invoice.buyer_name,
        buyer_email=invoice.buyer_email,
        buyer_address=invoice.buyer_address,
        buyer_reference=invoice.buyer_reference,
        vat_mention=settings.INVOICE_VAT_MENTION,
        **_seller(),
    )
    _after_commit_pdf(note.pk)
    return note


def invoice_pdf_render(*, invoice: Invoice) -> bytes:
    """The PDF bytes of an invoice or credit note; no network access."""
    from weasyprint import HTML

    html = render_to_string(
        "courses/payments/invoice_pdf.html",
        {
            "invoice": invoice,
            "issued_on": timezone.localtime(invoice.issued_at).date(),
            "amount": payments_selectors.money(invoice.amount_cents, invoice.currency),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


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


# --- E-mails -------------------------------------------------------------------------------------


def payment_email_send(*, payment_id: int, kind: str) -> bool:
    """E-mail the trainee about a payment: confirmed, failed or refunded."""
    payment = Payment.objects.select_related("user").filter(pk=payment_id).first()
    if payment is None or kind not in ("confirmed", "failed", "refunded"):
        return False
    user = payment.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "payment": payment,
            "user": user,
            "kind": kind,
            "amount": payments_selectors.money(payment.amount_cents, payment.currency),
            "refunded": payments_selectors.money(payment.amount_refunded_cents, payment.currency),
            "invoices_url": settings.SITE_URL + reverse("courses:invoices"),
        }
        subject = render_to_string(f"courses/payments/email/{kind}_subject.txt", context)
        body = render_to_string(f"courses/payments/email/{kind}_body.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email]).send()
    return True


def funding_email_send(*, funding_id: int) -> bool:
    """E-mail the trainee that a funded enrolment opened their course."""
    funding = Funding.objects.select_related("enrolment__user").filter(pk=funding_id).first()
    if funding is None:
        return False
    user = funding.enrolment.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "funding": funding,
            "user": user,
            "dashboard_url": settings.SITE_URL + reverse("courses:dashboard"),
        }
        subject = render_to_string("courses/payments/email/funded_subject.txt", context)
        body = render_to_string("courses/payments/email/funded_body.txt", context)
    EmailMessage(subject=" ".join(subject.split()), body=body, to=[user.email]).send()
    return True


# --- Funded enrolments ---------------------------------------------------------------------------


@transaction.atomic
def funded_enrolment_create(
    *,
    actor,
    user,
    course: CoursePage,
    source: str,
    payer_name: str,
    reference: str = "",
    payer_address: str = "",
    payer_email: str = "",
    amount_cents: int | None = None,
) -> Funding:
    """Staff enrol a trainee whom an employer, a fund, a public body or the Institut pays for."""
    if not payments_selectors.can_manage_fundings(actor):
        raise CourseActionRefused(_("Vous n'avez pas le droit d'inscrire avec un financement."))
    if source not in FundingSource.values:
        raise CourseActionRefused(_("Source de financement inconnue."))
    if not roles.is_trainee(user):
        raise CourseActionRefused(_("Cette personne n'a pas de compte stagiaire."))
    if not course.live:
        raise CourseActionRefused(_("Cette formation n'est pas ouverte aux inscriptions."))
    payer_name = (payer_name or "").strip()
    if not payer_name and source != FundingSource.INSTITUT:
        raise CourseActionRefused(_("Indiquez qui paie la formation."))
    amount = course.price_cents if amount_cents is None else amount_cents
    if amount < 0:
        raise CourseActionRefused(_("Le montant ne peut pas être négatif."))
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )
    reason = f"funded ({source}) {reference}".strip()
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            user=user,
            course_key=course.translation_key,
            course_title=course.title,
            status=EnrolmentStatus.ACTIVE,
            source=EnrolmentSource.FUNDED,
        )
        EnrolmentEvent.objects.create(
            enrolment=enrolment, actor=actor, to_status=enrolment.status, reason=reason
        )
    elif enrolment.grants_access:
        raise CourseActionRefused(
            _("%(email)s est déjà inscrit·e à « %(course)s ».")
            % {"email": user.email, "course": course.title}
        )
    else:
        _enrolment_transition(
            enrolment=enrolment, to_status=EnrolmentStatus.ACTIVE, actor=actor, reason=reason
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(source=EnrolmentSource.FUNDED)
    funding = Funding.objects.create(
        enrolment=enrolment,
        source=source,
        reference=(reference or "").strip(),
        payer_name=payer_name or str(payments_selectors.seller_details().organisation_name),
        payer_address=(payer_address or "").strip(),
        payer_email=(payer_email or "").strip(),
        amount_cents=amount,
        created_by=actor,
    )
    if amount > 0:
        _invoice_issue(
            enrolment=enrolment,
            amount_cents=amount,
            currency=funding.currency,
            buyer_name=funding.payer_name,
            buyer_email=funding.payer_email,
            buyer_address=funding.payer_address,
            buyer_reference=funding.reference,
            funding=funding,
        )
    from courses.payments_tasks import send_funding_email

    transaction.on_commit(lambda: send_funding_email.delay(funding.pk))
    return funding


CSV_COLUMNS = ("email", "course", "funding", "reference", "payer")
CSV_OPTIONAL_COLUMNS = ("payer_address", "payer_email")
# The longest value each column may hold (the fields they fill); a longer one is refused before
# it is looked up or written.
CSV_MAX_LENGTHS = {
    "email": 254,
    "course": 255,
    "funding": 50,
    "reference": 100,
    "payer": 200,
    "payer_address": 1000,
    "payer_email": 254,
}


@dataclass
class FundingImportRow:
    """One valid line of a funded-enrolment CSV file."""

    line: int
    user: object
    course: CoursePage
    source: str
    reference: str
    payer_name: str
    payer_address: str = ""
    payer_email: str = ""


@dataclass
class FundingImportReport:
    """What an import found (dry run) or did: valid rows, errors by line, enrolments made."""

    rows: list[FundingImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    dry_run: bool = True


def _source_from_text(text: str) -> str | None:
    cleaned = text.strip().lower()
    aliases = {"opco": FundingSource.TRAINING_FUND, "fonds": FundingSource.TRAINING_FUND}
    if cleaned in aliases:
        return aliases[cleaned]
    for value, label in FundingSource.choices:
        if cleaned in (value, str(label).lower()):
            return value
    return None


def _course_from_text(text: str) -> CoursePage | None:
    text = text.strip()
    pages = CoursePage.objects.live().select_related("locale")
    found = list(pages.filter(pk=int(text))) if text.isdigit() else []
    if not found:
        found = sorted(pages.filter(slug=text), key=lambda p: p.locale.language_code != "fr")
    return found[0] if found else None


def funding_csv_read(*, text: str) -> FundingImportReport:
    """Check every line of a CSV file of funded enrolments; report each bad line by number."""
    report = FundingImportReport()
    try:
        return _funding_csv_check(report, text)
    except csv.Error:
        # A value longer than the csv module reads (128 KB), or a broken quote.
        report.rows = []
        report.errors.append(
            (
                1,
                _(
                    "Le fichier n'a pas pu être lu comme un CSV : une valeur dépasse 128 Ko, ou "
                    "des guillemets ne sont pas fermés."
                ),
            )
        )
        return report


def _too_long(row: dict) -> list[str]:
    return [
        _("« %(column)s » : %(count)d caractères au plus") % {"column": column, "count": limit}
        for column, limit in CSV_MAX_LENGTHS.items()
        if len(row.get(column, "")) > limit
    ]


def _funding_csv_check(report: FundingImportReport, text: str) -> FundingImportReport:
    from institut.models import User

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in CSV_COLUMNS if name not in headers]
    if missing:
        report.errors.append((1, _("Colonnes manquantes : %s.") % ", ".join(missing)))
        return report
    reader.fieldnames = headers
    seen: dict[tuple, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        problems = _too_long(row)
        if problems:
            report.errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        user = User.objects.filter(email__iexact=row["email"]).first() if row["email"] else None
        if user is None:
            problems.append(_("aucun compte pour l'e-mail « %s »") % row["email"])
        elif not roles.is_trainee(user):
            problems.append(_("%s n'a pas de compte stagiaire") % row["email"])
        course = _course_from_text(row["course"]) if row["course"] else None
        if course is None:
            problems.append(_("formation « %s » introuvable") % row["course"])
        source = _source_from_text(row["funding"])
        if source is None:
            problems.append(_("financement « %s » inconnu") % row["funding"])
        if not row["payer"] and source != FundingSource.INSTITUT:
            problems.append(_("payeur manquant"))
        if user is not None and course is not None:
            key = (user.pk, course.translation_key)
            if key in seen:
                problems.append(_("même personne et même formation qu'à la ligne %d") % seen[key])
            seen.setdefault(key, line)
            if (
                Enrolment.objects.with_access()
                .filter(user=user, course_key=course.translation_key)
                .exists()
            ):
                problems.append(_("déjà inscrit·e à cette formation"))
        if problems:
            report.errors.append((line, "; ".join(str(p) for p in problems)))
            continue
        report.rows.append(
            FundingImportRow(
                line=line,
                user=user,
                course=course,
                source=source,
                reference=row["reference"],
                payer_name=row["payer"],
                payer_address=row.get("payer_address", ""),
                payer_email=row.get("payer_email", ""),
            )
        )
    if not report.rows and not report.errors:
        report.errors.append((1, _("Le fichier ne contient aucune ligne.")))
    return report


def funding_csv_import(*, actor, text: str, dry_run: bool) -> FundingImportReport:
    """Enrol every line of the file in one transaction; any bad line imports nothing."""
    if not payments_selectors.can_manage_fundings(actor):
        raise CourseActionRefused(_("Vous n'avez pas le droit d'inscrire avec un financement."))
    report = funding_csv_read(text=text)
    report.dry_run = dry_run
    if dry_run or report.errors:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    funded_enrolment_create(
                        actor=actor,
                        user=row.user,
                        course=row.course,
                        source=row.source,
                        reference=row.reference,
                        payer_name=row.payer_name,
                        payer_address=row.payer_address,
                        payer_email=row.payer_email,
                    )
                except CourseActionRefused as refusal:
                    report.errors.append((row.line, refusal.message))
                    raise
                report.created += 1
    except CourseActionRefused:
        report.created = 0
    return report


def import_summary(report: FundingImportReport) -> str:
    """One sentence on what an import did or would do."""
    if report.errors:
        return ngettext(
            "%(count)d ligne est incorrecte : rien n'a été importé.",
            "%(count)d lignes sont incorrectes : rien n'a été importé.",
            len(report.errors),
        ) % {"count": len(report.errors)}
    if report.dry_run:
        return ngettext(
            "Vérification : %(count)d inscription serait créée.",
            "Vérification : %(count)d inscriptions seraient créées.",
            len(report.rows),
        ) % {"count": len(report.rows)}
    return ngettext(
        "%(count)d inscription financée créée.",
        "%(count)d inscriptions financées créées.",
        report.created,
    ) % {"count": report.created}
