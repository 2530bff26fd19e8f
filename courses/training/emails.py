"""The one door through which this package sends e-mail: the site-wide outbox.

Every training e-mail (convocation, reminder, à froid questionnaire, certificate available) is
rendered by its service inside the transaction that causes it, then owed to the outbox with a
key (kind, object, recipient, version), written in that same transaction. The cause itself is a
unique row written in the same transaction (a Convocation, a SatisfactionRequest, a
CompletionCertificate), so the same effect never asks twice; the message leaves after the
commit, never for a rolled-back transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from institut.outbox.documents import StoredDocument
from institut.outbox.services import Attachment, email_enqueue


def email_send(
    *,
    kind: str,
    about: models.Model,
    to,
    subject: str,
    text: str,
    version: str | int = "",
    attachments: Iterable[Attachment] = (),
    documents: Iterable[StoredDocument] = (),
) -> None:
    """Owe ``to`` (a user, or an address) this e-mail; it is sent after the transaction commits.
    ``attachments`` are copied into the row (a calendar invitation), ``documents`` the platform
    keeps (a certificate's PDF) are named by reference and read when it is sent."""
    email_enqueue(
        kind=kind,
        about=about,
        to=to,
        version=version,
        subject=subject,
        text=text,
        attachments=attachments,
        documents=documents,
    )
