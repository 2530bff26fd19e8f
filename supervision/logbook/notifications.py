"""E-mails of the logbook: the co-signing link sent to a supervisor who has no account.

One function per kind of e-mail, each owed once to the outbox (institut.outbox) by its unique
key, in the transaction of the request that causes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from institut.outbox.services import email_enqueue
from supervision.logbook.models import PeriodCosignRequest
from supervision.logbook.services import cosign_token


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
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        text=body,
        language=settings.LANGUAGE_CODE,
    )
    return email is not None


def cosign_link_send(request_id: int) -> bool:
    """Owe the link of this request once (a second call adds nothing)."""
    request = PeriodCosignRequest.objects.select_related("period__trainee").get(pk=request_id)
    with transaction.atomic():
        return cosign_link_enqueue(request)
