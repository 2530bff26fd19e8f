"""Rate limits of the public lookups, per client address, counted in the cache.

The registry's searches, verifications and API calls, and the verification pages of
attestations and certificats de réalisation, share one limit (REGISTRY_RATE_LIMIT); the
registry's contact form has its own (REGISTRY_CONTACT_RATE_LIMIT).

One counter per client and action, created by the client's first request and expiring a period
later: two cache operations a request, which matters on pages served from the cache. The client
address is allauth's (its adapter, the same proxy settings as the login limits).
"""

from __future__ import annotations

import re
from functools import lru_cache, wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")


@lru_cache
def parse_rate(rate: str) -> tuple[int, int]:
    """'60/m' -> (60, 60): so many requests per so many seconds ('5/h', '100/10m'...)."""
    match = _RATE.fullmatch(rate or "")
    if match is None:
        raise ImproperlyConfigured(
            f"Rate limit {rate!r} is not valid: write requests/period, e.g. 60/m, 5/h or 100/10m."
        )
    amount, multiplier, unit = match.groups()
    return int(amount), int(multiplier or 1) * PERIODS[unit]


def allow(request: HttpRequest, *, action: str = "lookup") -> bool:
    """Count one request against the client's limit; False once the limit is reached."""
    rate = {
        "lookup": settings.REGISTRY_RATE_LIMIT,
        "contact": settings.REGISTRY_CONTACT_RATE_LIMIT,
    }[action]
    amount, period = parse_rate(rate)
    client = get_adapter(request).get_client_ip(request)
    key = f"registry:rate:{action}:{client}"
    try:
        count = cache.incr(key)
        if count == 1:  # the counter expired just before: the increment made one without expiry
            cache.touch(key, period)
    except ValueError:  # the client's first request of the period (or another one's, at once)
        count = 1 if cache.add(key, 1, timeout=period) else cache.incr(key)
    return count <= amount


def too_many_requests(request):
    return render(request, "429.html", status=429)


def rate_limited(view):
    """Answer 429 once the client has made too many public lookups."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not allow(request):
            return too_many_requests(request)
        return view(request, *args, **kwargs)

    return wrapper
