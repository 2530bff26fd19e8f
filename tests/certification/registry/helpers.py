"""Certified practitioners for the registry tests: a certificate, its history, a profile."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify

from certification.models import Certificate, CertificateEvent, CertificateStatus, PublicReason
from certification.registry.models import RegistryProfile
from institut.lib.text import fold, search_key
from tests.certification.factories import make_certificate
from tests.factories import UserFactory

REASONS = {
    CertificateStatus.SUSPENDED: PublicReason.SUPERVISION,
    CertificateStatus.REVOKED: PublicReason.ETHICS,
    CertificateStatus.EXPIRED: PublicReason.EXPIRED,
    CertificateStatus.INACTIVE: PublicReason.HOLDER_REQUEST,
}
PRIVATE_REASON = "Motif détaillé confidentiel : plainte de la mairie de Vaulx."


def practitioner(
    name: str,
    *,
    scheme,
    status: str = CertificateStatus.ACTIVE,
    listed: bool = True,
    valid_until: date | None = None,
    email: str | None = None,
    **profile_fields,
) -> tuple[Certificate, RegistryProfile | None]:
    """A holder with a certificate in this status (reached through a recorded event) and, when
    listed or given profile fields, a registry profile with every field public."""
    holder = UserFactory(full_name=name, **({"email": email} if email else {}))
    certificate = make_certificate(holder, scheme=scheme, valid_until=valid_until)
    if status != CertificateStatus.ACTIVE:
        today = timezone.localdate()
        CertificateEvent.objects.create(
            certificate=certificate,
            from_status=CertificateStatus.ACTIVE,
            to_status=status,
            public_reason=REASONS[status],
            reason=PRIVATE_REASON,
            effective_on=today - timedelta(days=3),
            valid_until=certificate.valid_until,
        )
        Certificate.objects.filter(pk=certificate.pk).update(
            status=status, status_changed_on=today - timedelta(days=3)
        )
        certificate.refresh_from_db()
    profile = None
    if listed or profile_fields:
        defaults = {
            "city": "Lyon",
            "region": "ara",
            "languages": "français",
            "practice_fields": " quartiers education ",
            "bio": "J'accompagne des équipes de quartier.",
            "show_city": True,
            "show_region": True,
            "show_languages": True,
            "show_practice_fields": True,
            "show_bio": True,
            "contact_enabled": True,
        }
        profile = RegistryProfile.objects.create(
            holder=holder,
            slug=f"{slugify(fold(name))}-{holder.pk}",
            search_key=search_key(name),
            listed=listed,
            **{**defaults, **profile_fields},
        )
    return certificate, profile
