"""Data Integrity proofs, eddsa-rdfc-2022: the published test vector, tampering, bad proofs."""

from __future__ import annotations

import copy
import time
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certification.credentials import jsonld, multikey, proofs
from certification.credentials.keys import SigningKey

# The Open Badges 3.0 implementation guide's test vector ("Linked Data Proof Test Vector for Open
# Badges 3.0", 1EdTech): its key, credential, and the proof value it publishes.
VECTOR_SEED = bytes.fromhex("6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4")
VECTOR_ISSUER = "https://example.edu/issuers/565049"
VECTOR_PROOF_VALUE = (
    "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
)
VECTOR_DOCUMENT_HASH = "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
VECTOR_CREDENTIAL = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "http://example.com/credentials/3527",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {
        "id": VECTOR_ISSUER,
        "type": ["Profile"],
        "url": "https://www.imsglobal.org",
        "name": "Example Corp",
    },
    "validFrom": "2010-01-01T00:00:00Z",
    "name": "Teamwork Badge",
    "credentialSubject": {
        "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://example.com/achievements/21st-century-skills/teamwork",
            "type": ["Achievement"],
            "criteria": {
                "narrative": "Team members are nominated for this badge by their peers and "
                "recognized upon review by Example Corp management."
            },
            "description": "This badge recognizes the development of the capacity to "
            "collaborate within a group environment.",
            "name": "Teamwork",
        },
    },
}


class VectorKey(SigningKey):
    @property
    def verification_method(self) -> str:
        return f"{VECTOR_ISSUER}#{self.public_multibase}"


@pytest.fixture
def vector_key():
    private = Ed25519PrivateKey.from_private_bytes(VECTOR_SEED)
    return VectorKey(
        private=private, public_multibase=multikey.public_multikey(private.public_key())
    )


def _resolver(key):
    return lambda method: key.public if method == key.verification_method else None


def test_it_reproduces_the_open_badges_test_vector(vector_key):
    assert vector_key.public_multibase == "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    signed = proofs.sign(
        VECTOR_CREDENTIAL, key=vector_key, created=datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC)
    )
    assert signed["proof"]["proofValue"] == VECTOR_PROOF_VALUE
    assert signed["proof"]["created"] == "2010-01-01T19:23:24Z"
    assert proofs.verify(signed, public_key_for=_resolver(vector_key)).valid


def test_it_canonicalises_the_vector_as_published(vector_key):
    import hashlib

    canonical = jsonld.canonical_nquads(VECTOR_CREDENTIAL)
    assert hashlib.sha256(canonical.encode()).hexdigest() == VECTOR_DOCUMENT_HASH


@pytest.fixture
def signed(vector_key):
    return proofs.sign(
        VECTOR_CREDENTIAL, key=vector_key, created=datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    )


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("name",), "Leadership Badge"),
        (("validFrom",), "2009-01-01T00:00:00Z"),
        (("credentialSubject", "achievement", "name"), "Teamwork!"),
        (("issuer", "name"), "Another Corp"),
        (("proof", "created"), "2026-05-04T09:30:01Z"),
    ],
)
def test_it_finds_any_changed_field(signed, vector_key, path, value):
    altered = copy.deepcopy(signed)
    target = altered
    for name in path[:-1]:
        target = target[name]
    target[path[-1]] = value
    result = proofs.verify(altered, public_key_for=_resolver(vector_key))
    assert result.outcome == proofs.ProofOutcome.INVALID


def test_it_finds_an_added_field(signed, vector_key):
    altered = {**copy.deepcopy(signed), "description": "Ajouté après coup."}
    assert proofs.verify(altered, public_key_for=_resolver(vector_key)).outcome == "invalid"


def test_it_says_unsigned_without_a_proof(vector_key):
    result = proofs.verify(VECTOR_CREDENTIAL, public_key_for=_resolver(vector_key))
    assert result.outcome == proofs.ProofOutcome.UNSIGNED


def test_it_says_unknown_key_for_a_key_the_issuer_does_not_publish(signed):
    result = proofs.verify(signed, public_key_for=lambda method: None)
    assert result.outcome == proofs.ProofOutcome.UNKNOWN_KEY


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"proofValue": "not-multibase"}, "malformed"),
        ({"proofValue": "z" + "1" * 10}, "malformed"),
        ({"proofPurpose": "authentication"}, "malformed"),
        ({"cryptosuite": "ecdsa-rdfc-2019"}, "unsupported"),
        ({"type": "Ed25519Signature2020"}, "unsupported"),
        ({"verificationMethod": 42}, "malformed"),
    ],
)
def test_it_rejects_a_proof_it_cannot_read(signed, vector_key, change, outcome):
    altered = {**signed, "proof": {**signed["proof"], **change}}
    assert proofs.verify(altered, public_key_for=_resolver(vector_key)).outcome == outcome


def test_it_says_altered_when_a_context_is_swapped(signed, vector_key):
    altered = {**signed, "@context": [*signed["@context"], "https://example.org/evil/v1"]}
    result = proofs.verify(altered, public_key_for=_resolver(vector_key))
    assert result.outcome == proofs.ProofOutcome.INVALID


def test_it_gives_up_quickly_on_a_document_built_to_be_costly():
    # Six blank nodes all linked to each other look alike: canonicalising them unbounded takes
    # thousands of deep hashing steps (and seven take minutes).
    nodes = [
        {"@id": f"_:b{i}", "http://example.org/p": [{"@id": f"_:b{j}"} for j in range(6) if j != i]}
        for i in range(6)
    ]
    started = time.monotonic()
    with pytest.raises(jsonld.CanonicalisationError):
        jsonld.canonical_nquads({"@graph": nodes})
    assert time.monotonic() - started < 1.5
