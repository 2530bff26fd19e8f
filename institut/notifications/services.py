"""Writes of the notifications: tell a person once per effect, by the channel they chose.

``notify`` is called inside the transaction of the effect: the in-app row, and the e-mail when
the person chose e-mail for that kind, commit or roll back with it. Digest notifications wait
for the daily digest (``digest_send``), one e-mail per person per day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from institut import person_cache
from institut.notifications.models import (
    DEFAULT_CHANNEL,
    DEFAULT_CHANNELS,
    EMAIL_ALWAYS,
    Channel,
    Kind,
    Notification,
    NotificationPreference,
)
from institut.outbox.documents import StoredDocument
from institut.outbox.services import Attachment, email_enqueue

logger = logging.getLogger(__name__)

DIGEST_KIND = "notification_digest"


def channel_for(user, kind: str) -> str:
    """The channel this person chose for this kind, or the kind's default."""
    chosen = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or DEFAULT_CHANNELS.get(kind, DEFAULT_CHANNEL)


def channels_of(user) -> dict[str, str]:
    """Every kind's channel for this person (their choice or the default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind) or DEFAULT_CHANNELS.get(kind, DEFAULT_CHANNEL) for kind in Kind}


@transaction.atomic
def preferences_save(*, user, channels: dict[str, str]) -> None:
    """Keep this person's channel for each kind given."""
    for kind, channel in channels.items():
        if kind not in Kind.values or channel not in Channel.values:
            raise ValueError(f"Unknown kind or channel: {kind} {channel}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )


def _users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects


def in_language(user):
    """Render a notification in its recipient's language (titles, dates and links)."""
    return translation.override(getattr(user, "language", settings.LANGUAGE_CODE))


def notify_in_language(recipient, *, render: Callable[[], dict], **fields) -> bool:
    """Tell one person (``notify``) what ``render()`` gives in their language: the title, the
    text, the link and whatever else depends on it; the other fields are given as they are.
    True when told now."""
    with in_language(recipient):
        return notify(recipient=recipient, **fields, **render()) is not None


def notify_each(recipients: Iterable, *, render: Callable[[], dict], **fields) -> int:
    """Tell each of these people, each in their own language (``notify_in_language``); how
    many were told now."""
    return sum(notify_in_language(person, render=render, **fields) for person in recipients)


def _about(about: models.Model | None) -> tuple[str, str]:
    if about is None:
        return "", ""
    return about._meta.label_lower, str(about.pk)


def notify(
    *,
    recipient,
    kind: str,
    about: models.Model | None,
    title: str,
    text: str = "",
    url: str = "",
    version: str | int = "",
    email_kind: str = "",
    email_version: str | int | None = None,
    email_subject: str = "",
    email_text: str = "",
    attachments: Iterable[Attachment] = (),
    documents: Iterable[StoredDocument] = (),
) -> Notification | None:
    """Tell ``recipient`` once per (kind, about, recipient, version); None when told already.

    Call it inside the effect's transaction. ``url`` is the path of the object (on this site).
    The e-mail (``email_subject`` and ``email_text``, or the title and text) goes now only when
    the person chose e-mail for this kind (always for the kinds of EMAIL_ALWAYS, legal
    documents); "digest" leaves it to the daily digest. ``documents`` the platform keeps (a
    certificate's PDF) go with the e-mail by reference (institut.outbox.documents).
    """
    if not recipient.is_active:  # a closed account (its data erased) is told nothing
        return None
    about_type, about_id = _about(about)
    version = str(version)[:120]
    identity = {
        "kind": kind,
        "about_type": about_type,
        "about_id": about_id,
        "recipient": recipient,
        "version": version,
    }
    if Notification.objects.filter(**identity).exists():
        return None
    # A legal document (a convocation) is e-mailed now whatever the person chose.
    channel = Channel.EMAIL if kind in EMAIL_ALWAYS else channel_for(recipient, kind)
    notification = Notification(
        **identity,
        title=" ".join(str(title).split())[:200],
        text=" ".join(str(text).split())[:500],
        url=url[:500],
        language=translation.get_language() or settings.LANGUAGE_CODE,
        digest_pending=channel == Channel.DIGEST,
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin leaves the caller's work whole
            notification.save()
    except IntegrityError:
        if Notification.objects.filter(**identity).exists():
            return None
        raise
    _users().filter(pk=recipient.pk).update(unread_notifications=F("unread_notifications") + 1)
    person_cache.forget_user(recipient.pk)  # the header reads the count on the cached person
    if channel == Channel.EMAIL:
        email_enqueue(
            kind=email_kind or f"notification_{kind}",
            about=about,
            to=recipient,
            version=version if email_version is None else email_version,
            subject=email_subject or notification.title,
            text=_email_text(recipient, notification, email_text),
            attachments=attachments,
            documents=documents,
        )
    return notification


def _email_text(recipient, notification: Notification, text: str) -> str:
    """The e-mail of a notification, in its recipient's language: the sender's text, or a
    letter made of the notification (greeting, title, text, link, signature); then, unless the
    kind is e-mailed whatever the person chose, where to change that choice."""
    with in_language(recipient):
        context = {"user": recipient, "notification": notification, "site_url": settings.SITE_URL}
        text = text or render_to_string("email/notification.txt", context)
        if notification.kind in EMAIL_ALWAYS:
            return text
        return (
            text.rstrip() + "\n" + render_to_string("email/_notification_preferences.txt", context)
        )


@transaction.atomic
def notification_mark_read(*, notification: Notification, reader) -> None:
    """The recipient has seen it (someone else's notification is not theirs to mark)."""
    if notification.recipient_id != reader.pk:
        raise PermissionError("Not the recipient")
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    ):
        unread_recount(user=reader)


@transaction.atomic
def notifications_mark_all_read(*, reader) -> int:
    """Every unread notification of this person is read now."""
    marked = Notification.objects.filter(recipient=reader).unread().update(read_at=timezone.now())
    unread_recount(user=reader)
    return marked


def unread_check(*, user) -> int:
    """The person's unread count, from their notifications (one query); the header's count is
    set again only when it had drifted (a notification gone with an erasure, a lost update)."""
    unread = Notification.objects.filter(recipient=user).unread().count()
    if unread != user.unread_notifications:
        _users().filter(pk=user.pk).update(unread_notifications=unread)
        person_cache.forget_user(user.pk)
        user.unread_notifications = unread
    return unread


def unread_recount(*, user) -> int:
    """Set the header's count of this person to their unread notifications (one UPDATE)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    _users().filter(pk=user.pk).update(unread_notifications=Coalesce(Subquery(unread), 0))
    person_cache.forget_user(user.pk)
    user.refresh_from_db(fields=["unread_notifications"])
    return user.unread_notifications


# --- The daily digest ---------------------------------------------------------------------------


def digest_send(*, now: datetime | None = None) -> int:
    """One e-mail per person with their digest notifications not yet sent; the number owed.

    Keyed per person and day: a second run the same day owes nothing (the rows it would take
    are already marked, and the outbox key is taken).
    """
    now = now or timezone.now()
    recipients = (
        Notification.objects.digest_pending()
        .filter(created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(_digest_one(recipient_id, now) for recipient_id in list(recipients))


def _digest_one(recipient_id: int, now: datetime) -> bool:
    from institut.models import User

    with transaction.atomic():
        user = User.objects.filter(pk=recipient_id).first()
        pending = list(
            Notification.objects.select_for_update()
            .digest_pending()
            .filter(recipient_id=recipient_id, created_at__lte=now)
            .order_by("created_at", "pk")
        )
        if not pending or user is None:
            return False
        if not user.is_active:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False)
            return False
        day = timezone.localdate(now).isoformat()
        with translation.override(user.language):
            context = {"user": user, "notifications": pending, "site_url": settings.SITE_URL}
            subject = render_to_string("email/notification_digest_subject.txt", context)
            text = render_to_string("email/notification_digest.txt", context)
        email = email_enqueue(
            kind=DIGEST_KIND,
            about=user,
            to=user,
            version=day,
            subject=subject,
            text=text,
        )
        if email is None:  # today's digest is already owed: these wait for tomorrow's
            return False
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest_pending=False)
    return True
