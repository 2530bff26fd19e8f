"""The training attestation as a PDF, rendered from an HTML template by WeasyPrint."""

from __future__ import annotations

from django.utils import timezone

from institut.pdf import qr_code, render_pdf


def render_attestation_pdf(*, attestation, check_url: str) -> bytes:
    """The PDF bytes of an attestation, in the active language; no network access."""
    zone = attestation.user.zone
    return render_pdf(
        "courses/attestation_pdf.html",
        {
            "attestation": attestation,
            "completed_on": timezone.localtime(attestation.completed_at, zone).date(),
            "issued_on": timezone.localtime(attestation.issued_at, zone).date(),
            "check_url": check_url,
            "qr_code": qr_code(check_url),
        },
    )
