"""What the Institut's team has to act on in the outbox, for the staff part of /espace/."""

from __future__ import annotations

from institut.outbox.models import EmailStatus, OutboxEmail


def failed_emails_count() -> int:
    """E-mails the outbox gave up sending (one query)."""
    return OutboxEmail.objects.filter(status=EmailStatus.FAILED).count()
