"""The shape that Open Badges 3.0 requires of an OpenBadgeCredential, as a JSON Schema.

Written for these tests from the multiplicities of the specification's data model (appendix B:
AchievementCredential, AchievementSubject, Achievement, Criteria, Profile, IdentityObject, Image)
and from the VC Data Model 2.0 for what OB defers to it (credentialStatus, proof). 1EdTech's own
schema is not shipped: see certification/credentials/contexts/README.md.

One deliberate difference with OB 3.0's table: `credentialStatus` may hold two entries (the
revocation and the suspension lists), as the VC Data Model 2.0 allows; OB 3.0 (written for one
revocation list) says 0..1.
"""

from __future__ import annotations

DATETIME_Z = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
OB_CONTEXT = r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$"


def _types(*required: str) -> dict:
    """`type`: one IRI or an array of IRIs that contains each required one."""
    return {
        "oneOf": [
            {"type": "string", "enum": list(required)} if len(required) == 1 else {"not": {}},
            {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string"},
                "allOf": [{"contains": {"const": name}} for name in required],
            },
        ]
    }


IMAGE = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {"id": {"type": "string", "minLength": 1}, "type": {"const": "Image"}},
}

PROFILE = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {
        "id": {"type": "string", "format": "uri", "minLength": 1},
        "type": _types("Profile"),
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "email": {"type": "string"},
        "description": {"type": "string"},
        "image": IMAGE,
    },
}

ACHIEVEMENT = {
    "type": "object",
    "required": ["id", "type", "criteria", "description", "name"],
    "properties": {
        "id": {"type": "string", "format": "uri", "minLength": 1},
        "type": _types("Achievement"),
        "achievementType": {"type": "string"},
        "creator": PROFILE,
        "creditsAvailable": {"type": "number"},
        "criteria": {
            "type": "object",
            "anyOf": [{"required": ["id"]}, {"required": ["narrative"]}],
            "properties": {"id": {"type": "string"}, "narrative": {"type": "string"}},
        },
        "description": {"type": "string", "minLength": 1},
        "humanCode": {"type": "string"},
        "inLanguage": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]+)*$"},
        "name": {"type": "string", "minLength": 1},
        "version": {"type": "string"},
    },
}

IDENTITY_OBJECT = {
    "type": "object",
    "required": ["type", "hashed", "identityHash", "identityType"],
    "properties": {
        "type": {"const": "IdentityObject"},
        "hashed": {"type": "boolean"},
        "identityHash": {"type": "string", "minLength": 1},
        "identityType": {"type": "string"},
        "salt": {"type": "string"},
    },
}

ACHIEVEMENT_SUBJECT = {
    "type": "object",
    "required": ["type", "achievement"],
    "anyOf": [
        {"required": ["id"]},
        {"required": ["identifier"], "properties": {"identifier": {"minItems": 1}}},
    ],
    "properties": {
        "id": {"type": "string", "format": "uri"},
        "type": _types("AchievementSubject"),
        "achievement": ACHIEVEMENT,
        "identifier": {"type": "array", "items": IDENTITY_OBJECT},
        "activityEndDate": {"type": "string", "pattern": DATETIME_Z},
        "creditsEarned": {"type": "number"},
        "licenseNumber": {"type": "string"},
    },
}

STATUS_ENTRY = {
    "type": "object",
    "required": ["type", "statusPurpose", "statusListIndex", "statusListCredential"],
    "properties": {
        "id": {"type": "string", "format": "uri"},
        "type": {"const": "BitstringStatusListEntry"},
        "statusPurpose": {"enum": ["revocation", "suspension"]},
        "statusListIndex": {"type": "string", "pattern": "^[0-9]+$"},
        "statusListCredential": {"type": "string", "format": "uri"},
    },
}

PROOF = {
    "type": "object",
    "required": [
        "type",
        "cryptosuite",
        "created",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
    ],
    "properties": {
        "type": {"const": "DataIntegrityProof"},
        "cryptosuite": {"const": "eddsa-rdfc-2022"},
        "created": {"type": "string", "pattern": DATETIME_Z},
        "verificationMethod": {"type": "string", "minLength": 1},
        "proofPurpose": {"const": "assertionMethod"},
        "proofValue": {"type": "string", "pattern": "^z[1-9A-HJ-NP-Za-km-z]+$"},
    },
}

OPEN_BADGE_CREDENTIAL = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["@context", "id", "type", "issuer", "validFrom", "credentialSubject"],
    "properties": {
        "@context": {
            "type": "array",
            "minItems": 2,
            "prefixItems": [
                {"const": "https://www.w3.org/ns/credentials/v2"},
                {"type": "string", "pattern": OB_CONTEXT},
            ],
        },
        "id": {"type": "string", "format": "uri", "minLength": 1},
        "type": {
            "type": "array",
            "contains": {"const": "VerifiableCredential"},
            "items": {"type": "string"},
            "anyOf": [
                {"contains": {"const": "OpenBadgeCredential"}},
                {"contains": {"const": "AchievementCredential"}},
            ],
        },
        "name": {"type": "string"},
        "description": {"type": "string"},
        "issuer": {"oneOf": [{"type": "string", "format": "uri"}, PROFILE]},
        "validFrom": {"type": "string", "pattern": DATETIME_Z},
        "validUntil": {"type": "string", "pattern": DATETIME_Z},
        "awardedDate": {"type": "string", "pattern": DATETIME_Z},
        "credentialSubject": ACHIEVEMENT_SUBJECT,
        "credentialStatus": {
            "oneOf": [STATUS_ENTRY, {"type": "array", "minItems": 1, "items": STATUS_ENTRY}]
        },
        "proof": {"oneOf": [PROOF, {"type": "array", "minItems": 1, "items": PROOF}]},
    },
}
