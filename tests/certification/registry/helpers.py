"""Certified practitioners for the registry tests: a certificate, its history, a profile."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from certification.models import Certificate, CertificateStatus, CertificationScheme, PublicReason
from certification.registry import services as registry_services
from certification.registry.models import RegistryProfile
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
    """A holder with a certificate in this status (reached through the status service) and, when
    listed or given profile fields, a registry profile with every field public."""
    holder = UserFactory(full_name=name, **({"email": email} if email else {}))
    certificate = make_certificate(
        holder,
        scheme=scheme,
        valid_until=valid_until,
        status=status,
        public_reason=REASONS.get(status, PublicReason.ISSUED),
        reason=PRIVATE_REASON,
        status_changed_on=timezone.localdate() - timedelta(days=3),
    )
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
        changes = {**defaults, **profile_fields, "listed": listed}
        changes["practice_fields"] = changes["practice_fields"].split()  # the codes, as stored
        profile = registry_services.registry_profile_update(holder=holder, changes=changes)
    return certificate, profile


def practitioner_of_a_translated_scheme(name: str, *, scheme):
    """A practitioner certified under the scheme's current name, "Intervenant·e TST®", which the
    scheme also has in English ("TST® practitioner")."""
    CertificationScheme.objects.filter(pk=scheme.pk).update(
        name="Intervenant·e TST®", name_en="TST® practitioner"
    )
    scheme.refresh_from_db()
    certificate, profile = practitioner(name, scheme=scheme)
    Certificate.objects.filter(pk=certificate.pk).update(scheme_name=scheme.name)
    return certificate, profile
