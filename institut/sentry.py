"""Error reports to Sentry (web and Celery), started only when SENTRY_DSN is set.

Personal data stays here: the SDK sends no user, cookies or IP addresses (send_default_pii=False)
and no local variables; scrub() then removes, from what is left, the request's form values, any
identity of the user but their id, address headers, and every e-mail or IP address (or session
key in a cache key) written in a message, a breadcrumb or a URL. A name written into an
exception message cannot be recognised: exception messages must not carry one.
"""

from __future__ import annotations

import re
from typing import Any

FILTERED = "[Filtered]"
EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")  # also URL-encoded
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(
    r"(?<![\w:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
    r"|(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{0,4}::(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{1,4})(?![\w:])"
)
# A session's key in the cache's key (cached_db sessions: Redis commands become breadcrumbs).
SESSION_CACHE_KEY = re.compile(r"(django\.contrib\.sessions\.cache(?:d_db)?)\w+")
# Request headers and environment entries that name a person or their address.
ADDRESS_HEADERS = {"cookie", "authorization", "x-forwarded-for", "x-real-ip", "forwarded"}
ADDRESS_ENV = {"REMOTE_ADDR", "REMOTE_HOST", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP"}


def scrub_text(value: Any) -> Any:
    """E-mail and IP addresses in every string of a nested structure replaced by placeholders."""
    if isinstance(value, str):
        value = SESSION_CACHE_KEY.sub(r"\1[session]", value)
        return IPV6.sub("[ip]", IPV4.sub("[ip]", EMAIL.sub("[email]", value)))
    if isinstance(value, dict):
        return {key: scrub_text(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_text(item) for item in value]
    return value


def _scrub_request(request: dict) -> dict:
    request = dict(request)
    data = request.get("data")
    if isinstance(data, dict):
        request["data"] = dict.fromkeys(data, FILTERED)  # which fields, never their values
    elif data:
        request["data"] = FILTERED
    request.pop("cookies", None)
    headers = request.get("headers") or {}
    request["headers"] = {k: v for k, v in headers.items() if k.lower() not in ADDRESS_HEADERS}
    env = request.get("env") or {}
    request["env"] = {k: v for k, v in env.items() if k not in ADDRESS_ENV}
    return request


def scrub(event: dict, hint: dict | None = None) -> dict:
    """before_send: the event without personal data (see the module's docstring)."""
    user = event.get("user")
    if user is not None:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    if isinstance(event.get("request"), dict):
        event["request"] = _scrub_request(event["request"])
    return scrub_text(event)


def sentry_init(*, dsn: str, environment: str, release: str | None) -> None:
    """Start the SDK for the web and Celery processes (called by settings.py)."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,  # None: the SDK takes the checkout's git commit
        integrations=[
            DjangoIntegration(transaction_style="url", middleware_spans=False),
            CeleryIntegration(monitor_beat_tasks=False),
        ],
        send_default_pii=False,
        include_local_variables=False,
        before_send=scrub,
        before_breadcrumb=lambda crumb, hint: scrub_text(crumb),
        traces_sample_rate=0,
    )
