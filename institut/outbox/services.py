"""Writes of the outbox: owe an e-mail (in the effect's transaction), send it once, retry, resend.

The life of a row: ``queued`` → (a sender claims it, under a row lock skipping rows another
sender holds) ``sending`` → ``sent``. A failed attempt puts it back to ``queued`` with a later
``next_attempt_at`` (doubling each time); after OUTBOX_MAX_ATTEMPTS it is ``failed`` and staff
are alerted. A row still ``sending`` after OUTBOX_SENDING_TIMEOUT seconds was left by a crash,
perhaps after the mail server accepted it: it is sent once more, with the same Message-ID, and
a second such crash marks it failed rather than risk a third copy.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from institut.outbox.branding import current_branding
from institut.outbox.documents import StoredDocument, document_bytes
from institut.outbox.models import EmailStatus, OutboxEmail

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes | str, str]

# The kind of the e-mail that tells staff another one failed (it alerts nobody if it fails).
ALERT_KIND = "outbox_failed"

# The platform's EMAIL_BACKEND (email_backend.py): it owes e-mails to the outbox, never sends.
OUTBOX_BACKEND = "institut.outbox.email_backend.OutboxEmailBackend"


# --- Owing an e-mail ----------------------------------------------------------------------------


def recipient_key(to) -> str:
    """The recipient part of a key: the account's id, or a digest of the address (no address is
    kept in a key, so that erasing a person leaves nothing of them there)."""
    if isinstance(to, str):
        digest = hashlib.sha256(to.strip().lower().encode()).hexdigest()[:24]
        return f"a{digest}"
    return f"u{to.pk}"


def email_key(*, kind: str, about: models.Model | None, to, version: str | int = "") -> str:
    """The unique key of an e-mail: (kind, object, recipient, version)."""
    about_part = f"{about._meta.label_lower}:{about.pk}" if about is not None else "-:-"
    key = f"{kind}:{about_part}:{recipient_key(to)}:{version}"
    if len(key) > 255:  # a long version (a date range, a hash) keeps the key unique, not readable
        key = f"{key[:190]}#{hashlib.sha256(key.encode()).hexdigest()}"
    return key


# A library's message (allauth's account e-mails, Wagtail's notices, ``mail_admins``) brings no
# key of its own. The same message to the same recipient within this many seconds is one effect:
# a double click, a request the browser or a proxy sent again. A message that differs in anything
# (a new link or code: allauth's tokens carry the second they were made) is a new one.
REPEAT_WINDOW_SECONDS = 300


def repeat_versions(
    *parts: str | bytes, now: datetime | None = None, window: int = REPEAT_WINDOW_SECONDS
) -> tuple[str, str]:
    """The version of a message made of ``parts`` (subject, bodies…) sent now, and the version
    the same message had in the window before (``window`` seconds long): owed under the first
    unless either is taken."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(_bytes(part))
        digest.update(b"\0")
    number = int((now or timezone.now()).timestamp()) // window
    content = digest.hexdigest()[:32]
    return f"{content}:{number}", f"{content}:{number - 1}"


def _message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(idstring="outbox", domain=domain)


def sent_subject(subject: str) -> str:
    """The subject as sent: OUTBOX_SUBJECT_PREFIX first, once, whoever wrote the rest (the
    platform's e-mails, allauth's, a library's through Django's mail API). Senders write none."""
    prefix = f"{settings.OUTBOX_SUBJECT_PREFIX} " if settings.OUTBOX_SUBJECT_PREFIX else ""
    return subject if subject.startswith(prefix) else prefix + subject


def render_html(*, subject: str, text: str, language: str, html_body: str = "") -> str:
    """The branded HTML part: the Institut's name and details around the message."""
    with translation.override(language):
        return render_to_string(
            "email/message.html",
            {
                "subject": sent_subject(subject),
                "text": text.strip(),  # no empty paragraph from trailing lines
                "html_body": html_body,
                "branding": current_branding(),
                "language": language,
            },
        )


def email_enqueue(
    *,
    kind: str,
    to,
    subject: str,
    text: str,
    about: models.Model | None = None,
    version: str | int = "",
    html_body: str = "",
    attachments: Iterable[Attachment] = (),
    documents: Iterable[StoredDocument] = (),
    language: str = "",
    headers: dict | None = None,
    from_email: str = "",
    owed_as: Iterable[str] = (),
) -> OutboxEmail | None:
    """Owe ``to`` (a user, or an address) this e-mail, once per (kind, about, to, version).

    ``attachments`` are copied into the row; ``documents``, kept elsewhere (an invoice's PDF),
    are named by reference and read when the message is sent (``documents.py``).

    ``subject`` without the Institut's prefix: the outbox adds it when it sends (``sent_subject``).

    Nothing is owed to a person whose data are erased (None is returned).

    Call it inside the transaction of the effect that causes the e-mail: the row commits or
    rolls back with it, and is sent after the commit. Returns the new row, or None when this
    e-mail was already owed (the same effect asked twice), under its version or under one of
    the other versions in ``owed_as`` (``repeat_versions``' earlier window).
    """
    if not isinstance(to, str) and to.is_erased:
        # The person had their data erased: no address is left to write to, and nothing is owed.
        logger.info("No %s e-mail to account %s: its personal data are erased.", kind, to.pk)
        return None
    address = to if isinstance(to, str) else to.email
    key = email_key(kind=kind, about=about, to=to, version=version)
    owed_keys = [key, *(email_key(kind=kind, about=about, to=to, version=v) for v in owed_as)]
    if language == "":
        language = getattr(to, "language", settings.LANGUAGE_CODE)
    subject = " ".join(str(subject).split())[:998]
    if OutboxEmail.objects.filter(key__in=owed_keys).exists():
        return None
    email = OutboxEmail(
        key=key,
        kind=kind,
        about_type=about._meta.label_lower if about is not None else "",
        about_id=str(about.pk) if about is not None else "",
        to_user=None if isinstance(to, str) else to,
        to_address=address,
        from_address=from_email or settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        text=text,
        html=render_html(subject=subject, text=text, language=language, html_body=html_body),
        attachments=[
            [name, base64.b64encode(_bytes(content)).decode("ascii"), mimetype]
            for name, content, mimetype in attachments
        ],
        documents=[document.as_json() for document in documents],
        headers=dict(headers or {}),
        language=language,
        message_id=_message_id(),
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin leaves the caller's work whole
            email.save()
    except IntegrityError:
        if OutboxEmail.objects.filter(key=key).exists():
            return None
        raise
    _send_after_commit(email.pk)
    return email


def _bytes(content: bytes | str) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _send_after_commit(email_id: int) -> None:
    from institut.outbox import tasks

    # robust: a broker that is down must not undo a committed effect; the beat sends it later.
    transaction.on_commit(lambda: tasks.send_email.delay(email_id), robust=True)


# --- Sending ------------------------------------------------------------------------------------


def sending_timeout() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT)


def retry_delay(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: OUTBOX_RETRY_SECONDS, doubling, at most a day."""
    return timedelta(seconds=min(settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 86400))


def sending_backend() -> str:
    """The backend that really sends: OUTBOX_EMAIL_BACKEND while EMAIL_BACKEND is the outbox's
    own, as the settings have it; whatever replaced it otherwise (Django's test runner puts its
    locmem backend there, the demo's seeding a dummy one), so that the outbox sends there too."""
    if settings.EMAIL_BACKEND != OUTBOX_BACKEND:
        return settings.EMAIL_BACKEND
    if settings.OUTBOX_EMAIL_BACKEND == OUTBOX_BACKEND:
        raise ImproperlyConfigured("OUTBOX_EMAIL_BACKEND must be a backend that sends.")
    return settings.OUTBOX_EMAIL_BACKEND


def build_message(email: OutboxEmail) -> EmailMultiAlternatives:
    """The message as it was owed, with the row's Message-ID, on the backend that sends; the
    documents it names are read now (a document that cannot be read fails the attempt)."""
    headers = dict(email.headers)
    reply_to = headers.pop("Reply-To", "")
    message = EmailMultiAlternatives(
        subject=sent_subject(email.subject),
        body=email.text,
        from_email=email.from_address,
        to=[email.to_address],
        reply_to=[reply_to] if reply_to else None,
        headers={**headers, "Message-ID": email.message_id},
        connection=get_connection(sending_backend()),
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for name, content, mimetype in email.attachments:
        message.attach(name, base64.b64decode(content), mimetype)
    for document in email.documents:
        content = document_bytes(source=document["source"], id=document["id"])
        message.attach(document["name"], content, document["mimetype"])
    return message


def _claim(email_id: int, now: datetime) -> OutboxEmail | None:
    """Take the row for this sender, or None if it is not due or another sender holds it."""
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .due(now=now, stuck_before=now - sending_timeout())
            .filter(pk=email_id)
            .first()
        )
        if email is None:
            return None
        if email.status == EmailStatus.SENDING:
            # Left by a crash, perhaps after the server accepted it: once more, same Message-ID.
            if email.crash_resends >= 1:
                _fail(email, now, "Interrupted twice while sending; not sent a third time.")
                return None
            email.crash_resends += 1
            logger.warning("Sending again, after a crash, the e-mail %s", email.pk)
        email.status = EmailStatus.SENDING
        email.claimed_at = now
        email.attempts += 1
        email.save(update_fields=["status", "claimed_at", "attempts", "crash_resends"])
    return email


def mark_sent(email: OutboxEmail) -> None:
    OutboxEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )


def email_send(*, email_id: int, now: datetime | None = None) -> bool:
    """Send one owed e-mail if it is due and nobody else is sending it; True when sent now."""
    email = _claim(email_id, now or timezone.now())
    if email is None:
        return False
    try:
        build_message(email).send()
    except Exception as error:  # any failure of the mail server or of the message: retried
        _attempt_failed(email, error)
        return False
    mark_sent(email)
    return True


def _attempt_failed(email: OutboxEmail, error: Exception) -> None:
    now = timezone.now()
    reason = f"{type(error).__name__}: {error}"[:2000]
    with transaction.atomic():
        if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _fail(email, now, reason)
            return
        OutboxEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
            status=EmailStatus.QUEUED,
            next_attempt_at=now + retry_delay(email.attempts),
            last_error=reason,
        )
    logger.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, reason)


def _fail(email: OutboxEmail, now: datetime, reason: str) -> None:
    """Give up on the row and tell staff (inside the caller's transaction)."""
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED, next_attempt_at=None, last_error=reason
    )
    logger.error("E-mail %s (%s) failed for good: %s", email.pk, email.kind, reason)
    if email.kind != ALERT_KIND:
        _alert_staff(email, now, reason)


def alert_addresses() -> list[str]:
    """OUTBOX_ALERT_EMAILS, or the active superusers' addresses when it is empty."""
    if settings.OUTBOX_ALERT_EMAILS:
        return list(settings.OUTBOX_ALERT_EMAILS)
    from institut.models import User

    return list(
        User.objects.filter(is_superuser=True, is_active=True)
        .order_by("pk")
        .values_list("email", flat=True)
    )


def _alert_staff(email: OutboxEmail, now: datetime, reason: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"email": email, "reason": reason, "site_url": settings.SITE_URL}
        subject = render_to_string("email/outbox_failed_subject.txt", context)
        text = render_to_string("email/outbox_failed.txt", context)
    for address in alert_addresses():
        email_enqueue(
            kind=ALERT_KIND,
            about=email,
            to=address,
            version=now.isoformat(),
            subject=subject,
            text=text,
            language=settings.LANGUAGE_CODE,
        )


def emails_send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send what is due: queued rows whose wait is over, and rows left "sending" by a crash."""
    now = now or timezone.now()
    ids = list(
        OutboxEmail.objects.due(now=now, stuck_before=now - sending_timeout())
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(email_send(email_id=pk, now=now) for pk in ids)


@transaction.atomic
def email_resend(*, email: OutboxEmail, actor) -> bool:
    """Staff send a failed e-mail again (same content, same Message-ID); True when queued."""
    changed = OutboxEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
        status=EmailStatus.QUEUED, attempts=0, crash_resends=0, next_attempt_at=None
    )
    if changed:
        logger.info("E-mail %s queued again by %s", email.pk, actor.pk)
        _send_after_commit(email.pk)
    return bool(changed)
