"""Reads of the credentials package: published keys, achievements, status lists and bits."""

from __future__ import annotations

import re
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from certification.credentials import bitstrings, keys, multikey
from certification.credentials.models import (
    IssuerKey,
    StatusList,
    StatusListEntry,
    StatusPurpose,
)


def published_keys() -> list[str]:
    """Every public key in the DID document: the current one first, then those named in the
    settings, then every key that ever signed here (oldest first)."""
    published = keys.configured_public_keys()
    for public_key in IssuerKey.objects.order_by("first_used_at", "pk").values_list(
        "public_key_multibase", flat=True
    ):
        if public_key not in published:
            published.append(public_key)
    return published


def public_key_for(verification_method: str) -> Ed25519PublicKey | None:
    """The issuer's published key with this verification method id, or None."""
    prefix = keys.issuer_did() + "#"
    if not verification_method.startswith(prefix):
        return None
    public_multibase = verification_method[len(prefix) :]
    if public_multibase not in published_keys():
        return None
    try:
        return multikey.parse_public_multikey(public_multibase)
    except (multikey.MultikeyError, ValueError):
        return None


def is_current_key(verification_method: str) -> bool:
    return keys.has_signing_key() and keys.signing_key().verification_method == verification_method


def status_list_url(purpose: str, sequence: int) -> str:
    return settings.SITE_URL + reverse("credentials_status_list", args=[purpose, sequence])


def status_list(purpose: str, sequence: int) -> StatusList | None:
    return StatusList.objects.filter(purpose=purpose, sequence=sequence).first()


def entries_of(*, certificate=None, attestation=None) -> list[tuple[str, str, int]]:
    """(purpose, list URL, index) of the credential's entries, revocation first."""
    credential = {"certificate": certificate} if certificate else {"attestation": attestation}
    rows = (
        StatusListEntry.objects.filter(**credential)
        .select_related("status_list")
        .order_by("status_list__purpose", "status_list__sequence")
    )
    return [
        (
            entry.status_list.purpose,
            status_list_url(entry.status_list.purpose, entry.status_list.sequence),
            entry.index,
        )
        for entry in rows
    ]


_LIST_PATH = re.compile(r"/certification/statuts/(revocation|suspension)/([0-9]{1,6})/")


def certificate_bits(status: str) -> dict[str, bool]:
    """The bit of each list for a certificate status: revoked is final; suspended and
    voluntarily inactive must not be accepted for now; active and expired set nothing (expiry
    is the credential's own `validUntil`)."""
    from certification.models import CertificateStatus

    return {
        StatusPurpose.REVOCATION: status == CertificateStatus.REVOKED,
        StatusPurpose.SUSPENSION: status
        in (CertificateStatus.SUSPENDED, CertificateStatus.INACTIVE),
    }


def served_bits(status_list: StatusList) -> bytes:
    """The list's bits as its credentials read now: the recorded ones, except those of the
    certificates that read « expiré » (past their last valid day, Europe/Paris) before the daily
    run records it, which are already what the expiry will record (a suspended certificate past
    its end is no longer published as suspended)."""
    from certification import selectors as certification_selectors
    from certification.models import CertificateStatus

    expired_bit = certificate_bits(CertificateStatus.EXPIRED)[status_list.purpose]
    bits = bytes(status_list.bits)
    reading_expired = StatusListEntry.objects.filter(
        status_list=status_list,
        certificate__in=certification_selectors.due_for_expiry(timezone.localdate()),
    ).values_list("index", flat=True)
    for index in reading_expired:
        bits = bitstrings.with_bit(bits, index, expired_bit)
    return bits


def bit_for(list_url: str, index: int) -> bool | None:
    """The bit at `index` of one of this site's lists named by its URL, as the list is served
    now (served_bits); None if the URL is not one of them or the index is outside the list."""
    if not isinstance(list_url, str) or not list_url.startswith(settings.SITE_URL):
        return None
    match = _LIST_PATH.fullmatch(list_url[len(settings.SITE_URL) :])
    if match is None:
        return None
    found = status_list(match.group(1), int(match.group(2)))
    if found is None or not 0 <= index < found.size:
        return None
    return bitstrings.get_bit(served_bits(found), index)


def scheme_snapshot(scheme_id: int, version: int) -> dict | None:
    """The requirements of the scheme as version `version` stated them: the scheme in force if it
    is that version, else as frozen on a certificate issued under it; None if none was."""
    from certification.models import Certificate, CertificationScheme

    scheme = CertificationScheme.objects.filter(pk=scheme_id, version=version).first()
    if scheme is not None:
        return scheme.snapshot()
    snapshot = (
        Certificate.objects.filter(Q(scheme_id=scheme_id) & Q(scheme_version=version))
        .order_by("pk")
        .values_list("scheme_snapshot", flat=True)
        .first()
    )
    return snapshot or None


def course_for_achievement(course_key: uuid.UUID):
    """The course with this key (its best-language version), or None."""
    from courses import selectors as course_selectors

    return course_selectors.courses_for_keys(course_keys=[course_key]).get(course_key)


def course_language(course) -> str:
    """The language a version of a course is written in (an alias: its source's)."""
    from institut.content_language import page_language

    return page_language(course) or course.locale.language_code


def attested_course(attestation) -> tuple[object | None, str | None]:
    """The version of its course an attestation names, and the language of that title: the
    version whose title it was issued with (French first: a translation that kept the French
    title is French), else the version its owner's language chose at issue; without the course,
    (None, None): the language of the title it saved cannot be known."""
    from courses import selectors as course_selectors

    versions = course_selectors.course_versions(course_key=attestation.course_key)
    course = next((v for v in versions if v.title == attestation.course_title), None)
    if course is None and versions:
        course = course_selectors.course_for_key(
            course_key=attestation.course_key, language=attestation.user.language
        )
    if course is None:
        return None, None
    return course, course_language(course)
