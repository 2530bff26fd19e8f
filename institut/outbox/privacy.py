"""What the outbox holds about a person: the e-mails sent to them (exported; on erasure the
address, subject and body are pseudonymised and what was not sent yet is never sent). After
OUTBOX_RETENTION_DAYS an e-mail that was sent or failed keeps only what it was (kind, dates,
status, the account it went to): its content goes, and so does an address without an account."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from institut.outbox.models import EmailStatus, OutboxEmail
from institut.privacy.registry import Provider, TableSpec

# What stands for the content of an e-mail past its retention period.
PURGED = "—"


def addressed_to(user, addresses=()) -> Q:
    """E-mails to the person's account or address (or to one of `addresses`)."""
    condition = Q(to_user=user) | Q(to_address__iexact=user.email)
    for address in addresses:
        condition |= Q(to_address__iexact=address)
    return condition


class OutboxData(Provider):
    """E-mails sent to the person."""

    key = "emails"
    label = _("E-mails envoyés")
    order = 90

    table_specs = (
        TableSpec(
            "emails",
            _("E-mails"),
            OutboxEmail,
            addressed_to,
            ["created_at", "kind", "to_address", "subject", "status", "sent_at", "text"],
            order_by=["created_at", "pk"],
        ),
    )

    def erase(self, user, erasure) -> None:
        from institut.privacy.erasure import ERASED_MARK, erased_email

        rows = OutboxEmail.objects.filter(
            addressed_to(user, [term for term in erasure.terms if "@" in term])
        )
        erasure.rewrite(
            rows.filter(status__in=[EmailStatus.QUEUED, EmailStatus.SENDING]),
            status=EmailStatus.FAILED,
            next_attempt_at=None,
            last_error="Recipient's data erased before sending.",
        )
        erasure.rewrite(
            rows,
            to_user=None,
            to_address=erased_email(user.pk),
            subject=ERASED_MARK,
            text="",
            html="",
            attachments=[],
            documents=[],
            headers={},
        )
        # E-mails to others that name the person (a supervisor asked about an applicant).
        erasure.scrub(OutboxEmail.objects.all(), "subject", "text", "html", "last_error")

    def apply_retention(self, *, now: datetime.datetime) -> dict[str, int]:
        """E-mails past OUTBOX_RETENTION_DAYS lose their content, and an external recipient's
        address (a supervisor without an account, a funder)."""
        limit = now - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
        old = OutboxEmail.objects.filter(
            created_at__lt=limit, status__in=[EmailStatus.SENT, EmailStatus.FAILED]
        ).exclude(text="", html="", subject=PURGED)
        external = old.filter(to_user=None).update(to_address="effacement@effacement.invalid")
        purged = old.update(
            subject=PURGED, text="", html="", attachments=[], documents=[], headers={}
        )
        return {"e-mails anciens vidés": purged, "adresses externes effacées": external}
