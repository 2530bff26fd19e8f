"""Writes of the credentials package: status list entries and bits, keys recorded, signatures.

`status_entries_ensure` gives a certificate or an attestation its index in each list (in the
transaction that issues it); `status_bits_apply` sets the bits from the certificate's status and
is called by `certificate_change_status`, inside its transaction, so that a decision and its
published status can never disagree once committed. A list is served and signed with the bits
its certificates read at that moment (selectors.served_bits): one past its end reads expired
before the daily run records it. Lists are always locked in the same order
(purpose, then number), after the certificate, so two writers never wait on each other in a
cycle.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from certification.credentials import bitstrings, documents, keys, proofs, selectors
from certification.credentials.models import (
    IssuerKey,
    StatusList,
    StatusListEntry,
    StatusPurpose,
)
from institut.locks import require_atomic
from institut.page_cache import until_midnight

CERTIFICATE_PURPOSES = (StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION)
ATTESTATION_PURPOSES = (StatusPurpose.REVOCATION,)


# --- Allocation -------------------------------------------------------------------------------


def _open_list(purpose: str) -> StatusList:
    """The list of this purpose that still has room, locked; a new one when all are full."""
    for _attempt in range(10):
        status_list = (
            StatusList.objects.select_for_update()
            .filter(purpose=purpose, allocated__lt=F("size"))
            .order_by("sequence")
            .first()
        )
        if status_list is not None:
            return status_list
        last = StatusList.objects.filter(purpose=purpose).order_by("-sequence").first()
        if last is not None and last.allocated < last.size:
            continue  # opened meanwhile by another transaction, with room: lock it next turn
        try:
            with transaction.atomic():
                StatusList.objects.create(
                    purpose=purpose, sequence=(last.sequence + 1) if last else 1
                )
        except IntegrityError:  # another transaction opened it first: take it on the next turn
            continue
    raise RuntimeError(f"No {purpose} status list could be opened.")


def _allocate(purpose: str, *, bit: bool, **credential) -> StatusListEntry:
    status_list = _open_list(purpose)
    position = status_list.allocated
    index = bitstrings.shuffled_index(
        bytes(status_list.permutation_key), position, status_list.size
    )
    entry = StatusListEntry.objects.create(status_list=status_list, index=index, **credential)
    fields = {"allocated": position + 1}
    if bit != bitstrings.get_bit(bytes(status_list.bits), index):
        fields["bits"] = bitstrings.with_bit(bytes(status_list.bits), index, bit)
        fields["version"] = status_list.version + 1
    StatusList.objects.filter(pk=status_list.pk).update(**fields)
    return entry


@transaction.atomic
def status_entries_ensure(*, certificate=None, attestation=None) -> list[StatusListEntry]:
    """The credential's entry in each list of its purposes, allocated once (bits set to match
    its current status), in purpose order."""
    from certification.models import Certificate

    if certificate is not None:
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        purposes, credential = CERTIFICATE_PURPOSES, {"certificate": certificate}
        wanted_bits = selectors.certificate_bits(certificate.status)
    else:
        purposes, credential = ATTESTATION_PURPOSES, {"attestation": attestation}
        wanted_bits = {StatusPurpose.REVOCATION: False}
    existing = {
        entry.status_list.purpose: entry
        for entry in StatusListEntry.objects.filter(**credential).select_related("status_list")
    }
    return [
        existing.get(purpose) or _allocate(purpose, bit=wanted_bits[purpose], **credential)
        for purpose in purposes
    ]


# --- Status changes ---------------------------------------------------------------------------


def status_bits_apply(*, certificate) -> int:
    """Set the certificate's bits to match its status; called inside the transaction of
    `certificate_change_status`. Returns how many bits changed."""
    require_atomic("status_bits_apply")
    entries = status_entries_ensure(certificate=certificate)
    wanted = selectors.certificate_bits(certificate.status)
    changed = 0
    for entry in entries:  # purpose order: revocation, then suspension
        status_list = StatusList.objects.select_for_update().get(pk=entry.status_list_id)
        bits = bytes(status_list.bits)
        value = wanted[status_list.purpose]
        if bitstrings.get_bit(bits, entry.index) == value:
            continue
        StatusList.objects.filter(pk=status_list.pk).update(
            bits=bitstrings.with_bit(bits, entry.index, value), version=status_list.version + 1
        )
        changed += 1
    return changed


# --- Signing ----------------------------------------------------------------------------------


def record_key(public_multibase: str) -> None:
    """Remember (once) that this key signs, so that it stays published after a rotation."""
    IssuerKey.objects.get_or_create(public_key_multibase=public_multibase)


def sign(document: dict) -> dict:
    """The document signed now with the current key (keys.NoSigningKey when there is none)."""
    key = keys.signing_key()
    record_key(key.public_multibase)
    return proofs.sign(document, key=key, created=timezone.now())


def signed_status_list(status_list: StatusList) -> dict:
    """The list's signed BitstringStatusListCredential with the bits served now
    (selectors.served_bits), signed again only when they or the signing key changed since the
    copy kept on the row (a copy that said « suspended » for a certificate now past its end is
    not served again).

    Its `ttl` hint, counted from its validFrom, ends no later than the next midnight (Europe/Paris)
    as the HTTP max-age does: a copy signed in the last minutes of a day says so once, and one
    whose ttl was shortened so is signed again the next day rather than served all day with it."""
    key = keys.signing_key()
    encoded_list = bitstrings.encode(selectors.served_bits(status_list))
    cached = status_list.signed_credential
    if (
        cached
        and status_list.signed_version == status_list.version
        and cached.get("proof", {}).get("verificationMethod") == key.verification_method
        and cached.get("credentialSubject", {}).get("encodedList") == encoded_list
        and not _ttl_cut_on_an_earlier_day(status_list)
    ):
        return cached
    now = timezone.now()
    document = documents.status_list_credential(
        list_url=selectors.status_list_url(status_list.purpose, status_list.sequence),
        purpose=status_list.purpose,
        encoded_list=encoded_list,
        valid_from=now,
        ttl_seconds=min(settings.CREDENTIALS_STATUS_LIST_MAX_AGE, until_midnight()),
    )
    signed = sign(document)
    StatusList.objects.filter(pk=status_list.pk, version=status_list.version).update(
        signed_credential=signed, signed_version=status_list.version, signed_at=now
    )
    return signed


def _ttl_cut_on_an_earlier_day(status_list: StatusList) -> bool:
    """The kept copy's ttl was shortened to end at a midnight that has passed."""
    ttl = status_list.signed_credential.get("credentialSubject", {}).get("ttl")
    return (
        ttl is not None
        and ttl < settings.CREDENTIALS_STATUS_LIST_MAX_AGE * 1000
        and status_list.signed_at is not None
        and timezone.localdate(status_list.signed_at) < timezone.localdate()
    )


# --- Credentials ------------------------------------------------------------------------------


def certificate_credential(certificate) -> dict:
    """The certificate's signed OpenBadgeCredential for its current validity period."""
    status_entries_ensure(certificate=certificate)
    snapshot = certificate.scheme_snapshot or selectors.scheme_snapshot(
        certificate.scheme_id, certificate.scheme_version
    )
    achievement = documents.scheme_achievement(
        scheme_id=certificate.scheme_id, version=certificate.scheme_version, snapshot=snapshot or {}
    )
    document = documents.certificate_credential(
        certificate, achievement=achievement, entries=selectors.entries_of(certificate=certificate)
    )
    return sign(document)


def attestation_credential(attestation) -> dict:
    """A training attestation's signed OpenBadgeCredential."""
    status_entries_ensure(attestation=attestation)
    course, language = selectors.attested_course(attestation)
    achievement = documents.course_achievement(
        course_key=attestation.course_key,
        title=attestation.course_title,
        summary=course.summary if course is not None else "",
        hours=attestation.hours,
        language=language,
    )
    document = documents.attestation_credential(
        attestation, achievement=achievement, entries=selectors.entries_of(attestation=attestation)
    )
    return sign(document)
