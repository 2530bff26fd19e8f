"""The daily reconciliation: Checkout Sessions that Stripe completed but whose webhook never came
(endpoint down, secret rotated, a delivery lost) are read from Stripe's API and applied through
the webhook's own path, once.

Each session is applied as the event "reconciliation:<session id>": its id is stored with its
effect like any event's, so a second run finds a duplicate; and the payment is confirmed under
the same row locks as by the webhook, so a webhook arriving later, or at the same moment, finds
it paid and changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from courses.payments.models import PAYMENT_CAPTURED_STATUSES, Payment
from courses.payments.services import checkout, event_shapes, webhooks

logger = logging.getLogger(__name__)

EVENT_PREFIX = "reconciliation:"
PAGE_SIZE = 100  # sessions per request to Stripe's API (its maximum)


def _completed_sessions(*, since) -> list[dict]:
    """The complete Checkout Sessions created since then, every page, as plain dictionaries."""
    sessions = checkout.stripe_client().v1.checkout.sessions.list(
        params={
            "created": {"gte": int(since.timestamp())},
            "status": "complete",
            "limit": PAGE_SIZE,
        }
    )
    return [session.to_dict() for session in sessions.auto_paging_iter()]


def _payment_id(session: dict) -> int | None:
    metadata = session.get("metadata")
    value = metadata.get("payment_id") if isinstance(metadata, dict) else None
    value = value or session.get("client_reference_id")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def checkout_reconcile() -> dict[str, int]:
    """Apply every paid session of the last STRIPE_RECONCILE_HOURS whose payment is still open.

    Returns how many sessions ended how ("paid", "held", "duplicate", ...). Raises
    stripe.StripeError when Stripe cannot be read (nothing is applied then).
    """
    if not settings.STRIPE_SECRET_KEY:
        return {}
    since = timezone.now() - timedelta(hours=settings.STRIPE_RECONCILE_HOURS)
    paid = [
        s
        for s in _completed_sessions(since=since)
        if s.get("payment_status") in ("paid", "no_payment_required")
    ]
    waiting = set(
        Payment.objects.filter(pk__in=[pid for s in paid if (pid := _payment_id(s))])
        .exclude(status__in=PAYMENT_CAPTURED_STATUSES)
        .values_list("pk", flat=True)
    )
    outcomes: Counter[str] = Counter()
    for session in paid:
        if _payment_id(session) not in waiting:
            continue
        event = {
            "id": f"{EVENT_PREFIX}{session.get('id')}",
            "object": "event",
            "type": "checkout.session.completed",
            "created": session.get("created"),
            "data": {"object": session},
        }
        reason = event_shapes.event_check(event)
        if reason:
            text = json.dumps(session, sort_keys=True, default=str)
            outcome = webhooks.stripe_event_ignore(text=text, event=event, reason=reason)
        else:
            outcome = webhooks.stripe_event_apply(event=event)
        logger.warning("Reconciliation applied session %s: %s", session.get("id"), outcome)
        outcomes[outcome] += 1
    return dict(outcomes)
