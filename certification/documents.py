"""The certificate as a PDF (WeasyPrint, with a QR code to the verification page); its signed
Open Badges 3.0 credential is built by the credentials package.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from certification.links import ORGANISATION_NAME, verification_url
from certification.models import Certificate
from institut.outbox.documents import StoredDocument, numbered_pdf
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


# --- In e-mails ----------------------------------------------------------------------------------

# The outbox's name for certificates attached by reference (certification/apps.py).
DOCUMENT_SOURCE = "certification.certificate"


def certificate_pdf_bytes(certificate_id: str) -> bytes:
    """The certificate's PDF for its current validity, for the outbox when it sends: rendered
    and stored now if the render task has not run yet (or ran for an earlier validity)."""
    certificate = certificate_pdf_ensure(certificate_id=int(certificate_id))
    with certificate.pdf.open("rb") as stored:
        return stored.read()


def certificate_document(certificate: Certificate) -> StoredDocument:
    """The certificate to attach to an e-mail, named in the active language by its number:
    « certificat-TST-2026-7K3M9Q.pdf », « certificate-TST-2026-7K3M9Q.pdf »."""
    return numbered_pdf(DOCUMENT_SOURCE, certificate, _("certificat"))
