"""A certificate as if granted earlier, for tests of its lifecycle (written by the service)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from certification import services
from certification.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificationScheme,
    PublicReason,
)


def make_certificate(
    holder, *, scheme: CertificationScheme, valid_until: date | None = None, status="active"
) -> Certificate:
    """Issued by the service; a later `status` is then reached through a recorded event."""
    today = timezone.localdate()
    valid_until = valid_until or today + timedelta(days=400)
    issued = valid_until.replace(year=valid_until.year - scheme.validity_years)
    certificate, _event = services.certificate_record(
        holder=holder,
        scheme=scheme,
        actor=None,
        issued_on=issued,
        valid_until=valid_until,
        reason="Délivrance.",
    )
    if status != CertificateStatus.ACTIVE:
        CertificateEvent.objects.create(
            certificate=certificate,
            from_status=CertificateStatus.ACTIVE,
            to_status=status,
            public_reason=PublicReason.ADMINISTRATIVE,
            reason="Changement de statut.",
            effective_on=today,
            valid_until=valid_until,
        )
        Certificate.objects.filter(pk=certificate.pk).update(status=status, status_changed_on=today)
        certificate.refresh_from_db()
    return certificate
