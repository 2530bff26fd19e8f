"""PDF documents of a session, rendered from HTML templates by WeasyPrint (no network access):
the attendance sheet of a half-day, the certificat de réalisation, the programme."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from courses.training import ics, selectors


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with timezone.override(ics.session_zone()):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


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
            "qr_code": segno.make(check_url, error="m").svg_data_uri(scale=4),
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
