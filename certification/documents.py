"""The certificate as a PDF (WeasyPrint, with a QR code to the verification page); its signed
Open Badges 3.0 credential is built by the credentials package.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation

from certification.links import ORGANISATION_NAME, verification_url
from certification.models import Certificate
from institut.pdf import qr_code, render_pdf


def render_certificate_pdf(certificate: Certificate) -> bytes:
    """The PDF bytes of a certificate, in the active language; no network access."""
    url = verification_url(certificate.number)
    return render_pdf(
        "certification/certificate_pdf.html",
        {
            "certificate": certificate,
            "verification_url": url,
            "qr_code": qr_code(url),
            "organisation": ORGANISATION_NAME,
        },
    )


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
        language = certificate.holder.language
        with translation.override(language):
            content = render_certificate_pdf(certificate)
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(content), save=False)
        certificate.pdf_valid_until = certificate.valid_until
        certificate.save(update_fields=["pdf", "pdf_valid_until"])
    return certificate
