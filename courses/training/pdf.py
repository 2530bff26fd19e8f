"""PDF documents of a session, rendered from HTML templates by WeasyPrint (no network access):
the attendance sheet of a half-day, the certificat de réalisation, the programme."""

from __future__ import annotations

from django.utils import timezone

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


def render_programme_pdf(*, session, course) -> bytes:
    """The programme of the action as delivered: objectives, audience, days, place, trainers."""
    return _pdf(
        "courses/training/programme_pdf.html",
        {
            "session": session,
            "course": course,
            "days": selectors.days_of(session),
            "trainers": list(session.trainers.all()),
            "hours": sum(slot.minutes for slot in session.slots.all()) / 60,
            "details": _details(),
        },
    )
