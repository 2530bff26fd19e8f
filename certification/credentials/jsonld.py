"""JSON-LD processing over the contexts shipped in `contexts/`, and nothing else.

`canonical_nquads` turns a document into RDFC-1.0 canonical N-Quads (pyld's URDNA2015, the same
algorithm) with a loader that serves only the shipped contexts: any other URL, a remote context
or a document that names one, is refused without a network call. pyld's global default loader
is replaced by the same loader at import, so no code path of this process can fetch a context.

Canonicalisation is exponential on crafted inputs (many blank nodes that look alike); the work
is bounded here as rdf-canonize bounds it in JavaScript, so a hostile upload fails fast.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.documentloader.frozen import FrozenDocumentLoader

CONTEXTS_DIR = Path(__file__).parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"

SHIPPED_CONTEXTS: dict[str, str] = {
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
}

# Calls of the Hash N-Degree Quads step allowed for one document: a credential of this platform
# needs a few dozen; poison graphs need millions.
MAX_DEEP_ITERATIONS = 1_000


class CanonicalisationError(ValueError):
    """The document cannot be canonicalised: unknown context, invalid JSON-LD, or too costly."""


@cache
def context_document(url: str) -> dict:
    """The parsed shipped context for this URL (KeyError for any other)."""
    return json.loads((CONTEXTS_DIR / SHIPPED_CONTEXTS[url]).read_text(encoding="utf-8"))


def _loader() -> FrozenDocumentLoader:
    return FrozenDocumentLoader(
        documents={url: CONTEXTS_DIR / name for url, name in SHIPPED_CONTEXTS.items()}
    )


document_loader = _loader()
jsonld.set_document_loader(document_loader)


class _BoundedURDNA2015(URDNA2015):
    """URDNA2015 (RDFC-1.0) that gives up after MAX_DEEP_ITERATIONS deep hashing steps."""

    def __init__(self) -> None:
        super().__init__()
        self.deep_iterations = 0

    def hash_n_degree_quads(self, id_, issuer):
        self.deep_iterations += 1
        if self.deep_iterations > MAX_DEEP_ITERATIONS:
            raise CanonicalisationError("Canonicalisation needs too much work.")
        return super().hash_n_degree_quads(id_, issuer)


def canonical_nquads(document: dict) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, with the shipped contexts only."""
    options = {"documentLoader": document_loader, "produceGeneralizedRdf": False}
    try:
        dataset = jsonld.to_rdf(document, options)
        return _BoundedURDNA2015().main(dataset, {"format": "application/n-quads"})
    except CanonicalisationError:
        raise
    except (jsonld.JsonLdError, TypeError, ValueError, KeyError, RecursionError) as error:
        raise CanonicalisationError(str(error)) from error
