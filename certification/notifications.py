"""E-mails of the certification app: rendered from templates in the recipient's language, each
sent at most once (a SentNotice row with a unique key is written before sending).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from certification.models import SentNotice


def _render(kind: str, user, context: dict) -> tuple[str, str]:
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **context,
            "user": user,
            "site_url": settings.SITE_URL,
            "path_url": settings.SITE_URL + reverse("certification:path"),
        }
        subject = render_to_string(f"certification/email/{kind}_subject.txt", context)
        body = render_to_string(f"certification/email/{kind}_body.txt", context)
    return " ".join(subject.split()), body


def send(*, kind: str, user, context: dict, attachments: list | None = None) -> None:
    subject, body = _render(kind, user, context)
    message = EmailMessage(subject=subject, body=body, to=[user.email])
    for name, content, mimetype in attachments or []:
        message.attach(name, content, mimetype)
    message.send()


def send_once(
    *, key: str, kind: str, user, context: dict, certificate=None, attachments=None
) -> bool:
    """Send unless a notice with this key was already sent; True when sent now."""
    try:
        with transaction.atomic():
            notice = SentNotice.objects.create(key=key, certificate=certificate)
    except IntegrityError:
        return False
    try:
        send(kind=kind, user=user, context=context, attachments=attachments)
    except Exception:
        notice.delete()
        raise
    return True
