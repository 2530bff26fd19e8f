"""Rate limits of the public registry, per client address, with allauth's cache-based limiter.

allauth is already how the site limits logins; reusing its limiter means one definition of the
client address (its adapter, the same proxy settings) and one rate syntax ("60/m") site-wide.
"""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django.conf import settings
from django.http import HttpRequest

APP = "certification.registry"


def allow(request: HttpRequest, *, action: str = "lookup") -> bool:
    """Count one request against the client's limit; False once the limit is reached."""
    config = {
        "lookup": settings.REGISTRY_RATE_LIMIT,
        "contact": settings.REGISTRY_CONTACT_RATE_LIMIT,
    }
    usage = ratelimit.consume(request, app=APP, action=action, config=config, limit_get=True)
    return usage is not None
