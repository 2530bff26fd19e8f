"""Stored documents an e-mail attaches by reference: the row names the document (its source and
id), the sender reads its bytes when it sends.

A document the platform already keeps (an invoice's PDF) is not copied into the outbox row: the
row holds ``{"source", "id", "name", "mimetype"}``, and the app that owns the document registers,
from its AppConfig.ready(), the function that returns its bytes (``register_document_source``);
institut never imports the content apps. The function may render the document when it is not
stored yet (the render task has not run): the e-mail never goes without it. When it fails, the
attempt fails as a refused message does, and the outbox retries it later, then alerts staff.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_sources: dict[str, Callable[[str], bytes]] = {}


@dataclass(frozen=True)
class StoredDocument:
    """A document to attach by reference: ``source`` registered, ``id`` of the document there,
    ``name`` the attachment's file name."""

    source: str
    id: int | str
    name: str
    mimetype: str = "application/pdf"

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "id": str(self.id),
            "name": self.name,
            "mimetype": self.mimetype,
        }


def register_document_source(source: str, read: Callable[[str], bytes]) -> None:
    """Say how to read the bytes of the documents of ``source``, from their id."""
    _sources[source] = read


def document_bytes(*, source: str, id: str) -> bytes:
    """The bytes of a stored document; LookupError for a source nobody registered."""
    try:
        read = _sources[source]
    except KeyError:
        raise LookupError(f"No document source {source!r} is registered.") from None
    return read(id)
