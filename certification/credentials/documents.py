"""The JSON-LD documents of the issuer, unsigned: credentials, achievements, profile, DID document.

Every credential is an Open Badges 3.0 `OpenBadgeCredential` in the W3C VC Data Model 2.0. The
holder has no DID: the subject is identified by name (an `IdentityObject`, as OB 3.0 allows) and
a certificate's number is its `licenseNumber`. Dates are exact instants in UTC: a certificate
"valid until 4 May" is valid until the end of that day in Paris.
"""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from certification.credentials import jsonld
from certification.credentials.keys import issuer_did, verification_method_id
from certification.credentials.proofs import xsd_datetime
from certification.links import ORGANISATION_NAME

CREDENTIAL_CONTEXT = [jsonld.VC_V2, jsonld.OB_V3]
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DEFAULT_SCHEME_DESCRIPTION = (
    "Certification d'intervenant·e en Thérapie Sociale TST® délivrée par l'Institut Charles "
    "Rojzman : formation, pratique supervisée selon les sept étapes de la méthode et respect de "
    "la charte éthique."
)


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def _fixed_reverse(name: str, *args) -> str:
    """A path that stays the same whatever the visitor's language (French, at the root)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def start_of_day(day: date) -> datetime:
    """Midnight in Paris at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=PARIS)


def credential_id(kind: str, *parts: object) -> str:
    """A stable `urn:uuid:` for a credential of this site (same inputs, same id)."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL)
    return f"urn:uuid:{uuid.uuid5(namespace, ':'.join([kind, *map(str, parts)]))}"


# --- The issuer ------------------------------------------------------------------------------


def organisation_details() -> tuple[str, str]:
    """The Institut's name and contact e-mail, as staff keep them in the site settings."""
    from home.selectors import institut_details

    details = institut_details()
    name = details.organisation_name or ORGANISATION_NAME
    email = details.contact_email or settings.CREDENTIALS_ISSUER_EMAIL
    return name, email


def issuer_profile(*, full: bool = True) -> dict:
    """The issuer's OB 3.0 Profile, identified by its did:web."""
    name, email = organisation_details()
    profile = {"id": issuer_did(), "type": ["Profile"], "name": name}
    if full:
        profile.update(
            {
                "url": site_url("/"),
                "email": email,
                "description": (
                    "Organisme de formation et de certification des intervenant·es en "
                    "Thérapie Sociale TST®."
                ),
                "image": {"id": site_url(static("img/favicon.svg")), "type": "Image"},
            }
        )
    return profile


def issuer_profile_document() -> dict:
    """The profile as a standalone JSON-LD document (the issuer page for machines)."""
    return {"@context": CREDENTIAL_CONTEXT, **issuer_profile()}


def did_document(public_keys: list[str]) -> dict:
    """The did:web document: every published key, each usable to check credentials."""
    did = issuer_did()
    methods = [
        {
            "id": verification_method_id(public_key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key,
        }
        for public_key in public_keys
    ]
    return {
        "@context": [jsonld.DID_V1, jsonld.MULTIKEY_V1],
        "id": did,
        "alsoKnownAs": [site_url("/")],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


# --- Achievements ----------------------------------------------------------------------------


def scheme_achievement_url(scheme_id: int, version: int) -> str:
    return site_url(_fixed_reverse("credentials_scheme_achievement", scheme_id, version))


def course_achievement_url(course_key: uuid.UUID | str) -> str:
    return site_url(_fixed_reverse("credentials_course_achievement", str(course_key)))


def scheme_criteria(snapshot: dict) -> str:
    return (
        "Formations requises terminées ; au moins {practice} heures de pratique supervisée "
        "approuvées couvrant les sept étapes de la méthode ; au moins {supervision} heures de "
        "supervision suivies ; acceptation de la charte éthique ; décision de la commission de "
        "certification. Renouvellement tous les {years} ans."
    ).format(
        practice=snapshot.get("min_practice_hours", "—"),
        supervision=snapshot.get("min_supervision_hours", "—"),
        years=snapshot.get("validity_years", "—"),
    )


def scheme_achievement(*, scheme_id: int, version: int, snapshot: dict) -> dict:
    """The TST® certification, as the scheme's version `version` defined it."""
    url = scheme_achievement_url(scheme_id, version)
    return {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": snapshot.get("name") or "Intervenant·e en Thérapie Sociale TST®",
        "description": snapshot.get("description") or DEFAULT_SCHEME_DESCRIPTION,
        "criteria": {"id": url, "narrative": scheme_criteria(snapshot)},
        "creator": issuer_profile(full=False),
        "humanCode": "TST",
        "inLanguage": "fr",
        "version": str(version),
    }


def course_achievement(
    *, course_key: uuid.UUID, title: str, summary: str, hours, language: str | None
) -> dict:
    """A course of the Institut, as an OB 3.0 achievement of type Course, in `language`: the
    language of the course's title and summary (`inLanguage`), which its own texts follow.
    None when it cannot be known (the course is gone): OB 3.0's `inLanguage` is optional, so
    the achievement states none and its own texts are French, the site's first language."""
    url = course_achievement_url(course_key)
    with translation.override(language or settings.LANGUAGE_CODE):
        default_description = _("Formation « %(title)s » de l'Institut Charles Rojzman.") % {
            "title": title
        }
        narrative = _("Toutes les leçons requises de la formation suivies et validées en ligne.")
    achievement = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": title,
        "description": summary or default_description,
        "criteria": {"id": url, "narrative": narrative},
        "creator": issuer_profile(full=False),
    }
    if language:
        achievement["inLanguage"] = language
    if hours is not None:
        achievement["creditsAvailable"] = float(Decimal(hours))
    return achievement


def achievement_document(achievement: dict) -> dict:
    return {"@context": CREDENTIAL_CONTEXT, **achievement}


# --- Credentials -----------------------------------------------------------------------------


def status_entries(entries: list[tuple[str, str, int]]) -> list[dict]:
    """`credentialStatus` for (purpose, list URL, index) triples."""
    return [
        {
            "id": f"{list_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": list_url,
        }
        for purpose, list_url, index in entries
    ]


def _name_identifier(name: str) -> list[dict]:
    return [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}
    ]


def certificate_credential(certificate, *, achievement: dict, entries: list) -> dict:
    """The certificate for its current validity period, unsigned."""
    return {
        "@context": CREDENTIAL_CONTEXT,
        "id": credential_id("certificate", certificate.number, certificate.issued_on),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.scheme_name} — {certificate.number}",
        "description": (
            f"{certificate.holder_name} est certifié·e « {certificate.scheme_name} » par "
            f"l'Institut Charles Rojzman, certificat n° {certificate.number}."
        ),
        "issuer": issuer_profile(),
        "validFrom": xsd_datetime(start_of_day(certificate.issued_on)),
        "validUntil": xsd_datetime(start_of_day(certificate.valid_until + timedelta(days=1))),
        "awardedDate": xsd_datetime(start_of_day(certificate.first_issued_on)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": _name_identifier(certificate.holder_name),
            "licenseNumber": certificate.number,
            "achievement": achievement,
        },
        "credentialStatus": status_entries(entries),
    }


def attestation_credential(attestation, *, achievement: dict, entries: list) -> dict:
    """A training attestation (a completed course), unsigned; it does not expire. Its own name
    and description are in the language of its achievement (`inLanguage`, the only place OB 3.0
    states a language; French when it states none)."""
    check_url = site_url(_fixed_reverse("courses:attestation_check", attestation.number))
    with translation.override(achievement.get("inLanguage") or settings.LANGUAGE_CODE):
        description = _(
            "%(name)s a suivi la formation « %(title)s » de l'Institut Charles Rojzman, "
            "attestation n° %(number)s."
        ) % {
            "name": attestation.trainee_name,
            "title": attestation.course_title,
            "number": attestation.number,
        }
    subject = {
        "type": ["AchievementSubject"],
        "identifier": _name_identifier(attestation.trainee_name),
        "activityEndDate": xsd_datetime(attestation.completed_at),
        "achievement": achievement,
    }
    if attestation.hours is not None:
        subject["creditsEarned"] = float(attestation.hours)
    return {
        "@context": CREDENTIAL_CONTEXT,
        "id": check_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{attestation.course_title} — {attestation.number}",
        "description": description,
        "issuer": issuer_profile(),
        "validFrom": xsd_datetime(attestation.issued_at),
        "awardedDate": xsd_datetime(attestation.issued_at),
        "credentialSubject": subject,
        "credentialStatus": status_entries(entries),
    }


def status_list_credential(
    *, list_url: str, purpose: str, encoded_list: str, valid_from: datetime, ttl_seconds: int
) -> dict:
    """A BitstringStatusListCredential, unsigned."""
    return {
        "@context": [jsonld.VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
            "ttl": ttl_seconds * 1000,
        },
    }
