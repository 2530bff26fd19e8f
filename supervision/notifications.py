"""Notifications and e-mails about bookings, in the recipient's language and time zone, each
owed once (institut.notifications, institut.outbox) in the transaction of the change that
causes it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from institut.downloads import file_name
from institut.formats import date_text
from supervision import ics
from supervision.models import Booking, SupervisionSession

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
UPDATED = "updated"
BOOKING_CANCELLED = "booking_cancelled"
SESSION_CANCELLED = "session_cancelled"
WAITLIST_SESSION_CANCELLED = "waitlist_session_cancelled"
REMINDER = "reminder"

REMINDER_BEFORE = timedelta(hours=24)

# kind -> (iCalendar method or None, subject)
KINDS = {
    CONFIRMED: (ics.METHOD_REQUEST, lambda: _("Votre séance de supervision est réservée")),
    WAITLISTED: (None, lambda: _("Vous êtes sur la liste d'attente")),
    PROMOTED: (
        ics.METHOD_REQUEST,
        lambda: _("Une place s'est libérée : votre séance est réservée"),
    ),
    UPDATED: (ics.METHOD_REQUEST, lambda: _("Votre séance de supervision a changé")),
    BOOKING_CANCELLED: (ics.METHOD_CANCEL, lambda: _("Votre réservation est annulée")),
    SESSION_CANCELLED: (ics.METHOD_CANCEL, lambda: _("Séance de supervision annulée")),
    WAITLIST_SESSION_CANCELLED: (None, lambda: _("Séance de supervision annulée")),
    REMINDER: (None, lambda: _("Rappel : votre séance de supervision de demain")),
}


def zone_name(zone) -> str:
    """The time zone as a person reads it: « heure de Paris » for the site's own, else its
    name (America/Montreal)."""
    return _("heure de Paris") if str(zone) == "Europe/Paris" else str(zone)


def _load(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("session__trainer", "trainee").filter(pk=booking_id).first()
    )


def build_message(booking: Booking, kind: str) -> EmailMultiAlternatives:
    """The e-mail for this booking and event, rendered for its recipient."""
    trainee = booking.trainee
    method, subject = KINDS[kind]
    with translation.override(trainee.language), timezone.override(trainee.zone):
        session = booking.session
        context = {
            "kind": kind,
            "booking": booking,
            "session": session,
            "trainee": trainee,
            "show_link": method == ics.METHOD_REQUEST or kind == REMINDER,
            "url": settings.SITE_URL
            + reverse("supervision:session_detail", kwargs={"pk": session.pk}),
            "site_url": settings.SITE_URL,
            "zone": zone_name(trainee.zone),
        }
        body = render_to_string(f"supervision/email/{kind}.txt", context)
        message = EmailMultiAlternatives(
            subject=str(subject()),
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[trainee.email],
        )
        if method is not None:
            message.attach(
                file_name(pgettext("nom de fichier", "seance-supervision"), extension="ics"),
                ics.booking_calendar(booking, method=method),
                f"text/calendar; method={method}; charset=UTF-8",
            )
    return message


def booking_email_enqueue(booking: Booking, kind: str, sequence: int | None = None) -> bool:
    """Tell the trainee, in the caller's transaction: a notification, and this e-mail (with its
    calendar invitation) if they chose e-mail for bookings; keyed (kind, booking, trainee,
    calendar sequence), so that the same change twice tells once. True when told now."""
    from institut.notifications.models import Kind
    from institut.notifications.services import notify_in_language

    # An account closed meanwhile (its data erased) gets nothing.
    if kind not in KINDS or not booking.trainee.is_active:
        return False
    sequence = booking.ics_sequence if sequence is None else sequence
    message = build_message(booking, kind)
    trainee = booking.trainee

    def render() -> dict:
        with timezone.override(trainee.zone):
            starts_at = timezone.localtime(booking.session.starts_at)
            return {
                "title": str(KINDS[kind][1]()),
                "text": _("Séance du %(date)s à %(time)s.")
                % {
                    "date": date_text(starts_at, "DATE_FORMAT"),
                    "time": date_text(starts_at, "TIME_FORMAT"),
                },
                "url": reverse("supervision:session_detail", kwargs={"pk": booking.session_id}),
            }

    return notify_in_language(
        trainee,
        kind=Kind.BOOKING,
        about=booking,
        version=f"{kind}:{sequence}",
        email_kind=f"booking_{kind}",
        email_version=sequence,
        email_subject=message.subject,
        email_text=message.body,
        attachments=message.attachments,
        render=render,
    )


def send_booking_email(booking_id: int, kind: str, sequence: int | None = None) -> bool:
    """Owe this e-mail once: a second run with the same key adds nothing."""
    booking = _load(booking_id)
    if booking is None:
        return False
    with transaction.atomic():
        return booking_email_enqueue(booking, kind, sequence)


def due_reminder_ids(now: datetime | None = None) -> list[int]:
    """Bookings whose session starts within 24 h and whose reminder has not gone yet."""
    now = now or timezone.now()
    return list(
        Booking.objects.filter(
            status=Booking.Status.BOOKED,
            reminder_sent_at__isnull=True,
            session__status=SupervisionSession.Status.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMINDER_BEFORE,
            # Booked inside the last day: the confirmation is reminder enough.
            created_at__lte=F("session__starts_at") - REMINDER_BEFORE,
        ).values_list("pk", flat=True)
    )


def send_reminder(booking_id: int, now: datetime | None = None) -> bool:
    """Owe the reminder exactly once, whoever else runs at the same time.

    The conditional UPDATE ... WHERE reminder_sent_at IS NULL lets only one runner win: on
    PostgreSQL a concurrent runner waits for the row lock, then finds the column set.
    """
    now = now or timezone.now()
    with transaction.atomic():
        won = Booking.objects.filter(
            pk=booking_id,
            status=Booking.Status.BOOKED,
            reminder_sent_at__isnull=True,
        ).update(reminder_sent_at=now)
        if not won:
            return False
        booking = _load(booking_id)
        if booking.session.is_cancelled:
            return False
        # Owed in the transaction that claims the reminder: one reminder, sent by the outbox.
        return booking_email_enqueue(booking, REMINDER)
