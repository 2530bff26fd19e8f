"""A certificate as if granted earlier, for tests of its lifecycle."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from certification.links import new_certificate_number
from certification.models import Certificate, CertificateEvent, CertificationScheme


def make_certificate(
    holder, *, scheme: CertificationScheme, valid_until: date | None = None, status="active"
) -> Certificate:
    today = timezone.localdate()
    valid_until = valid_until or today + timedelta(days=400)
    issued = valid_until.replace(year=valid_until.year - scheme.validity_years)
    certificate = Certificate.objects.create(
        number=new_certificate_number(year=issued.year),
        holder=holder,
        holder_name=holder.full_name,
        scheme=scheme,
        scheme_name=scheme.name,
        scheme_version=scheme.version,
        scheme_snapshot=scheme.snapshot(),
        first_issued_on=issued,
        issued_on=issued,
        valid_until=valid_until,
        status=status,
        status_changed_on=issued,
    )
    CertificateEvent.objects.create(
        certificate=certificate,
        to_status=status,
        public_reason="issued",
        reason="Délivrance.",
        effective_on=issued,
        valid_until=valid_until,
    )
    return certificate
