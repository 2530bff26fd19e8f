"""Template tags of payments: the enrolment box of a paid course."""

from __future__ import annotations

from django import template

from courses.payments import selectors as payments_selectors
from courses.payments.forms import TermsAcceptanceForm

register = template.Library()


@register.inclusion_tag("courses/payments/_course_box.html", takes_context=True)
def paid_course_enrolment(context, course):
    """Pay for a course (accepting the terms of sale, when the site has some), resume a pending
    payment, or read why online payment is off."""
    request = context.get("request")
    user = getattr(request, "user", None)
    terms_form = context.get("terms_form")  # sent without the box checked: with its error
    terms_url = (context.get("legal_links") or {}).get("terms_of_sale")
    if terms_form is None and terms_url:
        terms_form = TermsAcceptanceForm(terms_url=terms_url)
    return {
        "terms_form": terms_form,
        **payments_selectors.course_payment_box(course=course, user=user),
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        # Unfinished prerequisite courses (listed above the box): no form to pay before them.
        "missing_prerequisites": context.get("missing_prerequisites"),
        # Whom to write to when the box says « contactez l'Institut ».
        "institut_details": context.get("institut_details"),
    }
