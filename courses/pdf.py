"""The training attestation as a PDF, rendered from an HTML template by WeasyPrint."""

from __future__ import annotations

import zoneinfo

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def render_attestation_pdf(*, attestation, check_url: str) -> bytes:
    """The PDF bytes of an attestation, in the active language; no network access."""
    from weasyprint import HTML

    try:
        zone = zoneinfo.ZoneInfo(attestation.user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    html = render_to_string(
        "courses/attestation_pdf.html",
        {
            "attestation": attestation,
            "completed_on": timezone.localtime(attestation.completed_at, zone).date(),
            "issued_on": timezone.localtime(attestation.issued_at, zone).date(),
            "check_url": check_url,
            "qr_code": segno.make(check_url, error="m").svg_data_uri(scale=4),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
