"""The certificate as documents: the PDF (WeasyPrint, with a QR code to the verification page)
and the Open Badges 3.0 credential (JSON).
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

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


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


def open_badge(certificate: Certificate) -> dict:
    """The certificate as an Open Badges 3.0 OpenBadgeCredential (unsigned)."""
    site = settings.SITE_URL
    url = verification_url(certificate.number)
    achievement_id = (
        f"{site}/certification/referentiel/{certificate.scheme_id}/v{certificate.scheme_version}"
    )
    snapshot = certificate.scheme_snapshot or {}
    criteria = (
        "Formations requises terminées ; au moins {practice} heures de pratique supervisée "
        "approuvées couvrant les sept étapes de la méthode ; au moins {supervision} heures de "
        "supervision suivies ; acceptation de la charte éthique ; décision de la commission de "
        "certification. Renouvellement tous les {years} ans."
    ).format(
        practice=snapshot.get("min_practice_hours", "—"),
        supervision=snapshot.get("min_supervision_hours", "—"),
        years=snapshot.get("validity_years", "—"),
    )
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"{url}#credential",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.scheme_name,
        "issuer": {
            "id": f"{site}/",
            "type": ["Profile"],
            "name": ORGANISATION_NAME,
            "url": f"{site}/",
        },
        "validFrom": f"{certificate.issued_on.isoformat()}T00:00:00Z",
        "validUntil": f"{certificate.valid_until.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": certificate.number,
                    "identityType": "identifier",
                    "hashed": False,
                }
            ],
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "achievementType": "Certification",
                "name": certificate.scheme_name,
                "description": (
                    certificate.scheme.description
                    or "Certification d'intervenant·e en Thérapie Sociale TST® délivrée par "
                    "l'Institut Charles Rojzman : formation, pratique supervisée selon les sept "
                    "étapes de la méthode et respect de la charte éthique."
                ),
                "criteria": {"narrative": criteria},
                "creator": {"id": f"{site}/", "type": ["Profile"], "name": ORGANISATION_NAME},
            },
        },
        "credentialStatus": {
            "id": url,
            "type": "1EdTechRevocationList",
        },
    }
