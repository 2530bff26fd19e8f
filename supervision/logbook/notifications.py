"""E-mails and notifications of the logbook: the co-signing link sent to a supervisor who has
no account; entries submitted and reviewed, periods confirmed.

One function per kind of e-mail, each owed once to the outbox (institut.outbox) by its unique
key, in the transaction of the request that causes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from institut.formats import date_text
from institut.outbox.services import email_enqueue
from supervision.logbook.cosign_links import cosign_token
from supervision.logbook.models import PeriodCosignRequest


def cosign_link_enqueue(request: PeriodCosignRequest) -> bool:
    """Owe the supervisor named by the trainee the link (once per request); True when owed now."""
    if request.used_at is not None:
        return False
    # Someone without an account: French, the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "period": request.period,
            "trainee": request.period.trainee,
            "url": settings.SITE_URL
            + reverse("supervision:logbook_cosign", args=[cosign_token(request)]),
            "days": settings.LOGBOOK_COSIGN_LINK_DAYS,
        }
        subject = render_to_string("supervision/email/cosign_link_subject.txt", context)
        body = render_to_string("supervision/email/cosign_link.txt", context)
    email = email_enqueue(
        kind="cosign_link",
        about=request,
        to=request.supervisor_email,
        subject=subject,
        text=body,
        language=settings.LANGUAGE_CODE,
    )
    return email is not None


def cosign_link_send(request_id: int) -> bool:
    """Owe the link of this request once (a second call adds nothing)."""
    request = PeriodCosignRequest.objects.select_related("period__trainee").get(pk=request_id)
    with transaction.atomic():
        return cosign_link_enqueue(request)


# --- Notifications of the logbook's decisions (institut.notifications), in the effect's
# transaction; each person chooses whether an e-mail goes too.


def _supervisors(trainee_id: int):
    from institut.models import User

    return User.objects.filter(
        supervisee_assignments__trainee_id=trainee_id, is_active=True
    ).distinct()


def entry_submitted_notify(entry) -> int:
    """Tell each supervisor of the trainee that an entry waits for their review."""
    from institut.notifications.models import Kind
    from institut.notifications.services import notify_each

    return notify_each(
        _supervisors(entry.trainee_id),
        kind=Kind.ENTRY_SUBMITTED,
        about=entry,
        version=entry.submitted_at.isoformat(),
        render=lambda: {
            "title": _("%(trainee)s a soumis une entrée de carnet")
            % {"trainee": entry.trainee.get_full_name() or entry.trainee.email},
            "text": _("Entrée du %(date)s, %(minutes)s min, à relire.")
            % {"date": date_text(entry.date), "minutes": entry.duration_minutes},
            "url": reverse("supervision:logbook_entry_detail", args=[entry.pk]),
        },
    )


def entry_reviewed_notify(entry, *, comment: str = "") -> bool:
    """Tell the trainee that a supervisor approved or returned their entry (with the comment)."""
    from institut.notifications.models import Kind
    from institut.notifications.services import notify_in_language

    def render() -> dict:
        values = {"date": date_text(entry.date)}
        if entry.status == entry.Status.APPROVED:
            title = _("Votre entrée du %(date)s est approuvée") % values
        else:
            title = _("Votre entrée du %(date)s vous est renvoyée") % values
        return {
            "title": title,
            "text": _("Commentaire : %(comment)s") % {"comment": comment} if comment else "",
            "url": reverse("supervision:logbook_entry_detail", args=[entry.pk]),
        }

    return notify_in_language(
        entry.trainee,
        kind=Kind.ENTRY_REVIEWED,
        about=entry,
        version=f"{entry.status}:{entry.reviewed_at.isoformat()}",
        render=render,
    )


def period_confirmed_notify(period) -> bool:
    """Tell the trainee that a supervisor confirmed a period of their logbook."""
    from institut.notifications.models import Kind
    from institut.notifications.services import notify_in_language

    return notify_in_language(
        period.trainee,
        kind=Kind.PERIOD_CONFIRMED,
        about=period,
        version="confirmed",
        render=lambda: {
            "title": _("Votre période du %(start)s au %(end)s est confirmée")
            % {"start": date_text(period.start), "end": date_text(period.end)},
            "text": _("Ses totaux sont désormais figés."),
            "url": reverse("supervision:logbook_period_detail", args=[period.pk]),
        },
    )
