"""Verification of a credential file: is it ours, untouched, and what does it say today?

The checks run from the cheapest to the costliest and stop at the first failure, each with its
own outcome: too large, malformed (not JSON, not a credential, too complex), unsigned, unknown
issuer (another issuer, or a key this issuer never published), tampered (the signature does not
match the content), or valid. A valid file is then read: what it proves, whether its lists say
revoked or suspended now, whether it has expired; and, for a certificate, the registry's answer
for its number, so that a file and a number get the same answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from certification.credentials import jsonld, keys, proofs, selectors
from institut.content_language import Wording

MAX_DEPTH = 12
MAX_NODES = 600


class Outcome:
    VALID = "valid"
    TOO_LARGE = "too_large"
    MALFORMED = "malformed"
    UNSIGNED = "unsigned"
    UNKNOWN_ISSUER = "unknown_issuer"
    TAMPERED = "tampered"


MESSAGES = {
    Outcome.VALID: _(
        "La signature est valide : ce fichier a été délivré par l'Institut Charles Rojzman et "
        "n'a pas été modifié depuis."
    ),
    Outcome.TOO_LARGE: _(
        "Ce fichier est trop volumineux pour être un badge de l'Institut (%(limit)s Ko au plus)."
    ),
    Outcome.MALFORMED: _(
        "Ce fichier n'est pas un badge numérique lisible : ce n'est pas un justificatif "
        "vérifiable au format Open Badges 3.0 (JSON)."
    ),
    Outcome.UNSIGNED: _(
        "Ce fichier ne porte aucune signature : rien ne permet d'établir qui l'a produit. Il ne "
        "prouve rien à lui seul."
    ),
    Outcome.UNKNOWN_ISSUER: _(
        "Ce fichier n'a pas été signé par l'Institut Charles Rojzman : son émetteur ou sa clé de "
        "signature ne fait pas partie de celles que l'Institut publie."
    ),
    Outcome.TAMPERED: _(
        "Ce fichier a été modifié après sa signature : son contenu ne correspond plus à la "
        "signature de l'Institut. Ne vous y fiez pas."
    ),
}


@dataclass
class Report:
    """What a verification found, for the page and the API alike."""

    outcome: str
    detail: str = ""
    issuer: str = ""
    verification_method: str = ""
    current_key: bool = False
    signed_at: datetime | None = None
    kind: str = ""  # "certificate" or "attestation"
    number: str = ""
    holder_name: str = ""
    achievement_name: str = ""
    # The language the file says the achievement is written in (its `inLanguage`, one of the
    # site's languages), else French: badges signed before said French whatever the title.
    # Empty when the file states none (an attestation of a course gone since): not marked.
    achievement_language: str = settings.LANGUAGE_CODE
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    expired: bool = False
    revoked: bool = False
    suspended: bool = False
    status_checked: bool = False
    certificate: object | None = None  # the registry's PublicCertificate for the number
    facts: dict = field(default_factory=dict)

    @property
    def signature_valid(self) -> bool:
        return self.outcome == Outcome.VALID

    @property
    def accepted(self) -> bool:
        """Valid signature, not revoked, not suspended, not expired."""
        return self.signature_valid and not (self.revoked or self.suspended or self.expired)

    @property
    def last_valid_day(self) -> date | None:
        """The last day the badge is valid, in the site's time zone: its validUntil is the end
        of that day (midnight after it), which the registry states as « au 23 octobre 2027 »."""
        if self.valid_until is None:
            return None
        return timezone.localtime(self.valid_until - timedelta(microseconds=1)).date()

    @property
    def achievement_wording(self) -> Wording:
        """The achievement's name and its language, for `|with_lang` (the French name of the
        scheme reads lang="fr" on an English page)."""
        return Wording(self.achievement_name, self.achievement_language)

    @property
    def message(self) -> str:
        text = MESSAGES[self.outcome]
        if self.outcome == Outcome.TOO_LARGE:
            return str(text) % {"limit": settings.CREDENTIALS_VERIFY_MAX_BYTES // 1024}
        return str(text)


def _shape(value, depth: int = 0, count: list | None = None) -> None:
    """Raise ValueError when the JSON is nested too deeply or has too many values."""
    count = count if count is not None else [0]
    count[0] += 1
    if depth > MAX_DEPTH or count[0] > MAX_NODES:
        raise ValueError("Too complex.")
    if isinstance(value, dict):
        for item in value.values():
            _shape(item, depth + 1, count)
    elif isinstance(value, list):
        for item in value:
            _shape(item, depth + 1, count)


def _parse(data: bytes) -> dict | None:
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text)
        _shape(document)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return document if isinstance(document, dict) else None


def _is_credential(document: dict) -> bool:
    contexts = document.get("@context")
    types = document.get("type")
    return (
        isinstance(contexts, list)
        and bool(contexts)
        and contexts[0] == jsonld.VC_V2
        and isinstance(types, list)
        and "VerifiableCredential" in types
        and isinstance(document.get("credentialSubject"), dict)
        and isinstance(document.get("issuer"), dict | str)
    )


def _issuer_id(document: dict) -> str:
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else ""


def _instant(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or timezone.is_naive(moment):
        return None
    return moment.astimezone(UTC)


def verify_file(data: bytes) -> Report:
    """Verify the bytes of an uploaded or pasted credential."""
    if len(data) > settings.CREDENTIALS_VERIFY_MAX_BYTES:
        return Report(Outcome.TOO_LARGE)
    document = _parse(data)
    if document is None or not _is_credential(document):
        return Report(Outcome.MALFORMED)
    return verify_document(document)


def verify_document(document: dict) -> Report:
    """Verify an already parsed credential (see verify_file for the order of the checks)."""
    issuer = _issuer_id(document)
    if "proof" not in document:
        return Report(Outcome.UNSIGNED, issuer=issuer)
    if issuer != keys.issuer_did():
        return Report(Outcome.UNKNOWN_ISSUER, issuer=issuer)
    result = proofs.verify(document, public_key_for=selectors.public_key_for)
    report = Report(
        Outcome.VALID,
        issuer=issuer,
        verification_method=result.verification_method,
        signed_at=_instant(result.created),
    )
    if result.outcome == proofs.ProofOutcome.UNKNOWN_KEY:
        report.outcome = Outcome.UNKNOWN_ISSUER
        report.detail = "unknown_key"
    elif result.outcome == proofs.ProofOutcome.INVALID:
        report.outcome = Outcome.TAMPERED
    elif result.outcome == proofs.ProofOutcome.UNSUPPORTED:
        report.outcome = Outcome.MALFORMED
        report.detail = "unsupported_proof"
    elif result.outcome != proofs.ProofOutcome.VALID:
        report.outcome = Outcome.MALFORMED
        report.detail = "malformed_proof"
    if report.outcome != Outcome.VALID:
        return report
    report.current_key = selectors.is_current_key(result.verification_method)
    _read_claims(document, report)
    return report


def _read_claims(document: dict, report: Report) -> None:
    """What a valid credential says, and its status now."""
    from certification.registry import selectors as registry_selectors

    subject = document["credentialSubject"]
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    report.achievement_name = str(achievement.get("name", ""))
    language = achievement.get("inLanguage")
    if isinstance(language, str) and language in dict(settings.LANGUAGES):
        report.achievement_language = language
    elif "inLanguage" not in achievement:
        report.achievement_language = ""
    identifiers = subject.get("identifier") if isinstance(subject.get("identifier"), list) else []
    for identifier in identifiers:
        if isinstance(identifier, dict) and identifier.get("identityType") == "name":
            report.holder_name = str(identifier.get("identityHash", ""))
    report.valid_from = _instant(document.get("validFrom"))
    report.valid_until = _instant(document.get("validUntil"))
    report.expired = report.valid_until is not None and report.valid_until <= timezone.now()
    if isinstance(subject.get("licenseNumber"), str):
        report.kind = "certificate"
        report.number = subject["licenseNumber"]
        report.certificate = registry_selectors.public_certificate(report.number)
    else:
        report.kind = "attestation"
        report.number = str(document.get("id", "")).rstrip("/").rsplit("/", 1)[-1]
    statuses = document.get("credentialStatus")
    statuses = statuses if isinstance(statuses, list) else [statuses]
    for status in statuses:
        if not isinstance(status, dict):
            continue
        try:
            index = int(status.get("statusListIndex", ""))
        except (TypeError, ValueError):
            continue
        bit = selectors.bit_for(status.get("statusListCredential"), index)
        if bit is None:
            continue
        report.status_checked = True
        if status.get("statusPurpose") == "revocation":
            report.revoked = report.revoked or bit
        elif status.get("statusPurpose") == "suspension":
            report.suspended = report.suspended or bit
