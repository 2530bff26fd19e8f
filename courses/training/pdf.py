"""PDF documents of a session, rendered from HTML templates by WeasyPrint (no network access):
the attendance sheet of a half-day, the certificat de réalisation, the programme."""

from __future__ import annotations

from django.utils import timezone

from courses.models import format_price
from courses.training import ics, selectors
from institut.pdf import qr_code, render_pdf


def _pdf(template: str, context: dict) -> bytes:
    with timezone.override(ics.session_zone()):
        return render_pdf(template, context)


def _details():
    from home.selectors import read_institut_details

    return read_institut_details()


def render_sheet_pdf(*, session, sheet: selectors.SlotSheet) -> bytes:
    """The feuille d'émargement of one half-day: every trainee, their line, the trainers'
    signatures and the sheet's hash."""
    return _pdf(
        "courses/training/sheet_pdf.html",
        {
            "session": session,
            "slot": sheet.slot,
            "sheet": sheet,
            "trainers": list(session.trainers.all()),
            "details": _details(),
            "printed_at": timezone.now(),
        },
    )


def render_certificate_pdf(*, certificate, check_url: str) -> bytes:
    """The certificat de réalisation, after the Ministry of Labour's model."""
    return _pdf(
        "courses/training/certificate_pdf.html",
        {
            "certificate": certificate,
            "issued_on": timezone.localtime(certificate.issued_at, ics.session_zone()).date(),
            "check_url": check_url,
            "qr_code": qr_code(check_url),
        },
    )


def programme_price(*, session, course) -> str:
    """The session's price, else the course's: « Gratuit » when nothing is charged."""
    cents = session.price_cents
    if cents is None:
        cents = course.price_cents if course is not None else 0
    return format_price(cents)


def render_programme_pdf(*, session, course) -> bytes:
    """The programme of the action as delivered: objectives, audience, prerequisites, teaching and
    assessment methods, days, place, trainers, price, access delay, accessibility (what Qualiopi's
    indicator 1 asks the information about an action to state), and the course's results of the
    last 12 months (indicator 2)."""
    details = _details()
    return _pdf(
        "courses/training/programme_pdf.html",
        {
            "session": session,
            "course": course,
            "price": programme_price(session=session, course=course),
            "prerequisite_courses": (
                [p.title for p in course.prerequisites.order_by("title")] if course else []
            ),
            "days": selectors.days_of(session),
            "trainers": list(session.trainers.all()),
            "hours": sum(slot.minutes for slot in session.slots.all()) / 60,
            "details": details,
            "results": selectors.course_results(
                course_key=session.course_key, min_responses=details.results_min_responses
            ),
        },
    )
