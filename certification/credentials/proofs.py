"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C VC Data Integrity EdDSA).

Signing: canonicalise the proof options (with the document's `@context`) and the document
without its proof (RDFC-1.0), hash each with SHA-256, sign the proof hash followed by the
document hash with Ed25519, and embed the signature as base58btc multibase `proofValue`.
Verifying runs the same steps and checks the signature with the key the proof names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from certification.credentials import multikey
from certification.credentials.jsonld import CanonicalisationError, canonical_nquads
from certification.credentials.keys import SigningKey

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"


class ProofOutcome:
    """Why a proof holds or not; each has its own message for people."""

    VALID = "valid"
    UNSIGNED = "unsigned"  # no proof at all
    MALFORMED = "malformed"  # a proof that is not a Data Integrity proof we can read
    UNSUPPORTED = "unsupported"  # another proof type or cryptosuite
    UNKNOWN_KEY = "unknown_key"  # signed by a key the issuer does not publish
    INVALID = "invalid"  # the signature does not match the content: altered


@dataclass(frozen=True)
class ProofResult:
    outcome: str
    verification_method: str = ""
    created: str = ""

    @property
    def valid(self) -> bool:
        return self.outcome == ProofOutcome.VALID


def xsd_datetime(moment: datetime) -> str:
    """An aware datetime as xsd:dateTime in UTC, to the second: 2026-05-04T09:30:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash_data(document: dict, proof_options: dict) -> bytes:
    options = {**proof_options, "@context": document["@context"]}
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof_hash = hashlib.sha256(canonical_nquads(options).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsecured).encode("utf-8")).digest()
    return proof_hash + document_hash


def sign(document: dict, *, key: SigningKey, created: datetime) -> dict:
    """A copy of the document with an embedded eddsa-rdfc-2022 proof by this key."""
    proof = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": key.verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    signature = key.private.sign(_hash_data(unsecured, proof))
    return {**unsecured, "proof": {**proof, "proofValue": multikey.multibase_encode(signature)}}


def verify(
    document: dict, *, public_key_for: Callable[[str], Ed25519PublicKey | None]
) -> ProofResult:
    """Check the document's proof; `public_key_for(verification_method)` gives the issuer's
    published key for that id, or None if the issuer publishes no such key."""
    proof = document.get("proof")
    if proof is None:
        return ProofResult(ProofOutcome.UNSIGNED)
    if not isinstance(proof, dict):
        outcome = ProofOutcome.UNSUPPORTED if isinstance(proof, list) else ProofOutcome.MALFORMED
        return ProofResult(outcome)
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofResult(ProofOutcome.UNSUPPORTED)
    method, value = proof.get("verificationMethod"), proof.get("proofValue")
    created = proof.get("created", "")
    if not isinstance(method, str) or not isinstance(value, str) or not isinstance(created, str):
        return ProofResult(ProofOutcome.MALFORMED)
    if proof.get("proofPurpose") != PROOF_PURPOSE or "@context" in proof:
        return ProofResult(ProofOutcome.MALFORMED, method, created)
    try:
        signature = multikey.multibase_decode(value)
    except multikey.MultikeyError:
        return ProofResult(ProofOutcome.MALFORMED, method, created)
    if len(signature) != 64:
        return ProofResult(ProofOutcome.MALFORMED, method, created)
    public_key = public_key_for(method)
    if public_key is None:
        return ProofResult(ProofOutcome.UNKNOWN_KEY, method, created)
    options = {name: item for name, item in proof.items() if name != "proofValue"}
    try:
        data = _hash_data(document, options)
    except CanonicalisationError:
        # A proof of this issuer over content that cannot be read as it signed it (a context
        # added or changed, invalid JSON-LD): the signature cannot hold for it.
        return ProofResult(ProofOutcome.INVALID, method, created)
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return ProofResult(ProofOutcome.INVALID, method, created)
    return ProofResult(ProofOutcome.VALID, method, created)
