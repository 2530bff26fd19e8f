"""The one door through which this package sends e-mail.

Every training e-mail (convocation, reminder, à froid questionnaire, certificate available) is
rendered by its service inside the transaction that causes it, then handed to ``email_send`` with
a key (kind, object, recipient, version). The cause itself is a unique row written in the same
transaction (a Convocation, a SatisfactionRequest, a CompletionCertificate), so the same effect
never asks twice; the message leaves after the commit, never for a rolled-back transaction.
The arguments are those of the site-wide outbox's ``email_enqueue``, so that moving to it is a
change of this function's body only.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable

from django.db import models, transaction

Attachment = tuple[str, bytes, str]


def email_send(
    *,
    kind: str,
    about: models.Model,
    to,
    subject: str,
    text: str,
    version: str | int = "",
    attachments: Iterable[Attachment] = (),
) -> None:
    """Owe ``to`` (a user, or an address) this e-mail; it is sent after the transaction commits."""
    from courses.training import tasks

    address = to if isinstance(to, str) else to.email
    payload = {
        "key": f"{kind}:{about._meta.label_lower}:{about.pk}:{address.lower()}:{version}",
        "to": address,
        "subject": " ".join(str(subject).split()),
        "text": text,
        "attachments": [
            (name, base64.b64encode(content).decode("ascii"), mimetype)
            for name, content, mimetype in attachments
        ],
    }
    transaction.on_commit(lambda: tasks.send_email.delay(payload))
