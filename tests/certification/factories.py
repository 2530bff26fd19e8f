"""A certificate as if granted earlier, for tests of its lifecycle (written by the service)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from certification import services
from certification.models import Certificate, CertificateStatus, CertificationScheme, PublicReason
from institut.roles import Role
from tests.factories import UserFactory


def make_certificate(
    holder,
    *,
    scheme: CertificationScheme,
    valid_until: date | None = None,
    status="active",
    public_reason: str = PublicReason.ADMINISTRATIVE,
    reason: str = "Changement de statut.",
    status_changed_on: date | None = None,
) -> Certificate:
    """Issued by the service; a later `status` is then reached through the status service."""
    today = timezone.localdate()
    valid_until = valid_until or today + timedelta(days=400)
    issued = services.add_years(valid_until, -scheme.validity_years)  # 29 February: the 28th
    certificate, _event = services.certificate_record(
        holder=holder,
        scheme=scheme,
        actor=None,
        issued_on=issued,
        valid_until=valid_until,
        reason="Délivrance.",
    )
    if status != CertificateStatus.ACTIVE:
        certificate = services.certificate_change_status(
            certificate=certificate,
            to_status=status,
            actor=status_actor(certificate, status),
            reason=reason,
            public_reason=public_reason,
            effective_on=status_changed_on or today,
        )
    return certificate


def status_actor(certificate: Certificate, status: str):
    """Who may make this change: nobody for an expiry, the holder for a voluntary withdrawal,
    a committee member for the rest."""
    if status == CertificateStatus.EXPIRED:
        return None
    if status == CertificateStatus.INACTIVE:
        return certificate.holder
    # The committee decides with a second factor.
    return UserFactory(
        full_name="Membre de la commission", roles=[Role.COMMITTEE], second_factor=True
    )
