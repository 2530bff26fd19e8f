"""E-mails of the logbook: the co-signing link sent to a supervisor who has no account.

One function per kind of e-mail, each sent once by its unique key (switching to the project's
outbox changes only this module).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from supervision.logbook.models import PeriodCosignRequest
from supervision.logbook.services import cosign_token
from supervision.models import SentNotification


def cosign_link_send(request_id: int) -> bool:
    """E-mail the link to the supervisor named by the trainee (once per request)."""
    request = PeriodCosignRequest.objects.select_related("period__trainee").get(pk=request_id)
    if request.used_at is not None:
        return False
    with transaction.atomic():
        _row, created = SentNotification.objects.get_or_create(key=f"cosign-link:{request.pk}")
        if not created:
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
        # Sent inside the transaction: if sending fails, the key is rolled back and a retry sends.
        EmailMessage(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body=body,
            to=[request.supervisor_email],
        ).send()
    return True
