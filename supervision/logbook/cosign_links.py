"""The signed, single-use link that lets a supervisor without an account co-sign a period:
its token, its lifetime, and what a link is worth when it is opened.

The services issue and use the links; the notifications put them in e-mails.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from supervision.logbook.models import PeriodCosignRequest, PeriodSummary

COSIGN_SALT = "supervision.logbook.cosign"


class CosignLink:
    """What a co-signing link is worth when it is opened."""

    VALID = "valid"
    ALTERED = "altered"  # not a link the platform signed (modified, truncated, made up)
    EXPIRED = "expired"
    USED = "used"
    CONFIRMED = "confirmed"  # the period was confirmed meanwhile (another link, a supervisor)


def cosign_token(request: PeriodCosignRequest) -> str:
    """The signed token of a request's link (its id and its secret nonce, with a timestamp)."""
    return signing.dumps({"r": request.pk, "n": request.nonce}, salt=COSIGN_SALT)


def link_lifetime() -> timedelta:
    """How long a link may be used after it was sent."""
    return timedelta(days=settings.LOGBOOK_COSIGN_LINK_DAYS)


def cosign_link_open(token: str) -> tuple[str, PeriodCosignRequest | None]:
    """Check a link: (CosignLink state, its request when the platform issued it)."""
    try:
        payload = signing.loads(token, salt=COSIGN_SALT, max_age=link_lifetime())
    except signing.SignatureExpired:
        return CosignLink.EXPIRED, None
    except signing.BadSignature:
        return CosignLink.ALTERED, None
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        return CosignLink.ALTERED, None
    request = (
        PeriodCosignRequest.objects.select_related("period__trainee")
        .filter(pk=payload["r"], nonce=str(payload.get("n")))
        .first()
    )
    if request is None:
        return CosignLink.ALTERED, None
    if request.used_at is not None:
        return CosignLink.USED, request
    if request.expires_at <= timezone.now():
        return CosignLink.EXPIRED, request
    if request.period.status != PeriodSummary.Status.CLOSED:
        return CosignLink.CONFIRMED, request
    return CosignLink.VALID, request
