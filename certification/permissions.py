"""One function per permission question, used by views, services and templates alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from institut import roles

if TYPE_CHECKING:
    from certification.models import Application, Certificate
    from institut.models import User


def can_decide(user: User) -> bool:
    """Only committee members with a second factor decide on applications and certificates."""
    return bool(
        user.is_authenticated
        and user.is_active
        and roles.is_committee_member(user)
        and roles.has_mfa(user)
    )


def can_give_opinion(user: User, application: Application) -> bool:
    """A trainer assigned to the applicant as supervisor."""
    from certification import selectors

    return bool(
        user.is_authenticated
        and roles.is_trainer(user)
        and user.pk != application.applicant_id
        and selectors.is_supervisor_of(user, application.applicant)
    )


def can_change_status(user: User, certificate: Certificate, to_status: str) -> bool:
    """The committee changes any status; holders may only step back and forth from inactive."""
    from certification import selectors
    from certification.models import CertificateStatus

    if can_decide(user):
        return True
    return (
        user.pk == certificate.holder_id
        and to_status
        in (
            CertificateStatus.INACTIVE,
            CertificateStatus.ACTIVE,
        )
        and selectors.effective_status(certificate).status
        in (CertificateStatus.ACTIVE, CertificateStatus.INACTIVE)
    )


def is_holder(user: User, certificate: Certificate) -> bool:
    return bool(user.is_authenticated and certificate.holder_id == user.pk)


def can_see_application(user: User, application: Application) -> bool:
    return bool(
        user.is_authenticated
        and (
            application.applicant_id == user.pk
            or can_decide(user)
            or can_give_opinion(user, application)
        )
    )


def holds_certificate(user: User) -> bool:
    """Whether the person holds a certificate, whatever its status (read once per request)."""
    from certification.models import Certificate

    if not user.is_authenticated:
        return False
    held = getattr(user, "_holds_certificate", None)
    if held is None:
        held = user._holds_certificate = Certificate.objects.filter(holder=user).exists()
    return held


def can_follow_path(user: User) -> bool:
    """Trainees, and certificate holders (for renewal) whatever their role."""
    return bool(user.is_authenticated and (roles.is_trainee(user) or holds_certificate(user)))
