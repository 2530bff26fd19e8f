"""What the Institut's team has to act on in payments, for the staff part of /espace/."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from courses.payments.models import Payment, PaymentStatus

# A payment still "processing" after this long needs someone to look at it in Stripe.
STUCK_AFTER = timedelta(days=1)


def payments_needing_action_count() -> int:
    """Payments Stripe answered with an error, or stuck in processing (one query)."""
    stuck = Q(status=PaymentStatus.PROCESSING, created__lt=timezone.now() - STUCK_AFTER)
    return Payment.objects.filter(Q(status=PaymentStatus.ERROR) | stuck).count()


def held_payments_count() -> int:
    """Payments held for an unexpected amount, waiting for staff to decide (one query)."""
    return Payment.objects.filter(status=PaymentStatus.HELD).count()
