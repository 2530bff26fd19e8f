"""The platform's EMAIL_BACKEND: what a library sends with Django's mail API (Wagtail's
moderation and comment notices, the admin's password reset, ``mail_admins``) is owed to the
outbox in the sender's transaction rather than sent at once; the outbox's task sends it with
OUTBOX_EMAIL_BACKEND, once, retried on failure.

The platform's own e-mails call ``services.email_enqueue`` with their kind and key; this backend
serves the code that knows only ``EmailMessage.send()``.
"""

from __future__ import annotations

import logging
from email.mime.base import MIMEBase

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import translation
from django.utils.html import strip_tags

from institut.outbox.services import Attachment, email_enqueue, repeat_versions

logger = logging.getLogger(__name__)

# The kind of an e-mail sent through Django's mail API, whoever sent it.
KIND = "mail"

# Headers the outbox writes itself (or that name the recipients, one row each).
OWN_HEADERS = {"message-id", "from", "to", "cc", "bcc", "subject", "date", "reply-to"}


class OutboxEmailBackend(BaseEmailBackend):
    """Owes each message to the outbox: one row per recipient, sent after the commit."""

    def send_messages(self, email_messages) -> int:
        owed = 0
        for message in email_messages:
            try:
                owed += message_enqueue(message)
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("E-mail %r not owed to the outbox", message.subject)
        return owed


def message_enqueue(message: EmailMessage) -> int:
    """Owe this message to each of its recipients; 1 when it has any, else 0.

    The same message to the same recipient within REPEAT_WINDOW_SECONDS is one effect (a request
    sent again); any other message, or the same one later (a page submitted for moderation again
    the next day), is a new one: its rows' version is the digest of what it says and the window.
    """
    recipients = message.recipients()
    text, html = message_bodies(message)
    headers = {
        name: value
        for name, value in message.extra_headers.items()
        if name.lower() not in OWN_HEADERS
    }
    if message.reply_to:
        headers["Reply-To"] = ", ".join(message.reply_to)
    attachments = [_attachment(attachment) for attachment in message.attachments]
    version, earlier = repeat_versions(
        message.from_email or "",
        message.subject,
        text,
        html,
        repr(sorted(headers.items())),
        *(content for _name, content, _mimetype in attachments),
    )
    for address in recipients:
        to = get_user_model().objects.filter(email__iexact=address).first() or address
        email_enqueue(
            kind=KIND,
            to=to,
            subject=message.subject,
            text=text,
            html_body=html,
            version=version,
            owed_as=[earlier],
            attachments=attachments,
            # A person: their language (email_enqueue's rule); an address: the sender's.
            language=(translation.get_language() or settings.LANGUAGE_CODE)
            if isinstance(to, str)
            else "",
            headers=headers,
            from_email=message.from_email,
        )
    return 1 if recipients else 0


def message_bodies(message: EmailMessage) -> tuple[str, str]:
    """The text, and the HTML the sender wrote (the outbox puts it in the Institut's layout)."""
    if message.content_subtype == "html":
        return strip_tags(message.body), message.body
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    return message.body, html


def _attachment(attachment) -> Attachment:
    if isinstance(attachment, MIMEBase):
        return (
            attachment.get_filename() or "piece-jointe",
            attachment.get_payload(decode=True),
            attachment.get_content_type(),
        )
    name, content, mimetype = attachment
    return name or "piece-jointe", content, mimetype or "application/octet-stream"
