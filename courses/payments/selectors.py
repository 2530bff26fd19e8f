"""Reads of payments: amounts in the reader's language, the trainee's invoices and pending
payments, the enrolment box of a paid course."""

from __future__ import annotations

from django.conf import settings

from courses.models import CoursePage, Enrolment, EnrolmentStatus
from courses.payments.models import Invoice, Payment, PaymentStatus
from institut.formats import money


def payments_enabled() -> bool:
    """Whether online payment is configured on this machine."""
    return bool(settings.STRIPE_SECRET_KEY)


def seller_details():
    """The Institut's details, read afresh from the site settings for a permanent document."""
    from home.selectors import read_institut_details

    return read_institut_details()


# --- The trainee's side


def payment_for_owner(*, user, payment_id: int) -> Payment | None:
    return Payment.objects.filter(pk=payment_id, user=user).select_related("enrolment").first()


def invoice_for_owner(*, user, number: str) -> Invoice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Invoice.objects.filter(user=user, number=number).first()


def trainee_invoices(*, user) -> list[Invoice]:
    return list(Invoice.objects.filter(user=user).select_related("credited_invoice"))


def pending_enrolments(*, user) -> list[dict]:
    """Paid enrolments waiting for the trainee to pay (or give up), with their course page."""
    if not getattr(user, "is_authenticated", False):
        return []
    enrolments = list(Enrolment.objects.filter(user=user, status=EnrolmentStatus.PENDING))
    pages = {
        page.translation_key: page
        for page in CoursePage.objects.live()
        .filter(translation_key__in=[e.course_key for e in enrolments])
        .select_related("locale")
        .order_by("locale__language_code")  # later rows win: "fr" over "en"
    }
    return [{"enrolment": e, "course": pages.get(e.course_key)} for e in enrolments]


def course_payment_box(*, course: CoursePage, user) -> dict:
    """What the paid course's enrolment box shows: pay, resume, or why not."""
    enrolment = None
    last_payment = None
    if getattr(user, "is_authenticated", False):
        enrolment = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
        if enrolment is not None:
            last_payment = enrolment.payments.order_by("-attempt").first()
    return {
        "course": course,
        "payment_enrolment": enrolment,
        "last_payment": last_payment,
        "processing": bool(last_payment and last_payment.status == PaymentStatus.PROCESSING),
        "held": bool(last_payment and last_payment.status == PaymentStatus.HELD),
        "payments_enabled": payments_enabled(),
        "price": money(course.price_cents),
    }
