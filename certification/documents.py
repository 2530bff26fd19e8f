"""The certificate as a PDF (WeasyPrint, with a QR code to the verification page); its signed
Open Badges 3.0 credential is built by the credentials package.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from certification.links import ORGANISATION_NAME, verification_url
from certification.models import Certificate


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """The PDF bytes of a certificate, in the active language; no network access."""
    from weasyprint import HTML

    url = verification_url(certificate.number)
    html = render_to_string(
        "certification/certificate_pdf.html",
        {
            "certificate": certificate,
            "verification_url": url,
            "qr_code": segno.make(url, error="m").svg_data_uri(scale=4),
            "organisation": ORGANISATION_NAME,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def certificate_pdf_ensure(*, certificate_id: int) -> Certificate | None:
    """Render and store the PDF unless it already matches the current validity (idempotent)."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("holder")
            .get(pk=certificate_id)
        )
        if certificate.pdf and certificate.pdf_valid_until == certificate.valid_until:
            return certificate
        language = certificate.holder.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            content = render_certificate_pdf(certificate)
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(content), save=False)
        certificate.pdf_valid_until = certificate.valid_until
        certificate.save(update_fields=["pdf", "pdf_valid_until"])
    return certificate
