"""A privileged person's first authenticator is enrolled only after an e-mailed confirmation.

The link is signed and time-limited (SECOND_FACTOR_LINK_MAX_AGE), names the account, and carries
a random nonce kept in the session that asked for it: it works once, in that session only. So a
stolen password alone cannot enrol the thief's device: the link reaches the owner's mailbox, and
the owner's browser, not the thief's session, would be the one to follow it.
"""

from __future__ import annotations

import secrets
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from institut.outbox.services import email_enqueue
from institut.roles import has_mfa
from institut.second_factor import policy

SALT = "institut.second_factor.enrolment"
NONCE_KEY = "second_factor_enrolment_nonce"
CONFIRMED_KEY = "second_factor_enrolment_confirmed"
NEXT_KEY = "second_factor_next"
# Where to go back once a first factor is enrolled (offered on allauth's account pages).
RESUME_KEY = "second_factor_resume"


def needs_link(request) -> bool:
    """A privileged person without an authenticator who has not followed a fresh link yet."""
    user = request.user
    return policy.required(user) and not has_mfa(user) and not link_confirmed(request)


def link_confirmed(request) -> bool:
    """The link was followed in this session, for this person, recently enough."""
    confirmed = request.session.get(CONFIRMED_KEY)
    if not isinstance(confirmed, dict) or confirmed.get("user") != request.user.pk:
        return False
    return time.time() - confirmed.get("at", 0) < settings.SECOND_FACTOR_LINK_MAX_AGE


def verified_address(user) -> str | None:
    address = (
        EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    )
    return address.email if address else None


def link_send(request) -> bool:
    """Make a new link (any earlier one stops working) and e-mail it; False without an address."""
    to = verified_address(request.user)
    if to is None:
        return False
    nonce = secrets.token_urlsafe(16)
    request.session[NONCE_KEY] = nonce
    token = signing.TimestampSigner(salt=SALT).sign_object({"u": request.user.pk, "n": nonce})
    url = settings.SITE_URL + reverse("second_factor_confirm", args=[token])
    send_link_email(user=request.user, to=to, url=url, nonce=nonce)
    return True


def link_follow(request, token: str) -> bool:
    """Accept the link once, in the session that asked for it, before it expires."""
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=settings.SECOND_FACTOR_LINK_MAX_AGE
        )
    except signing.BadSignature:  # tampered, or SignatureExpired
        return False
    nonce = request.session.get(NONCE_KEY)
    if (
        not isinstance(data, dict)
        or data.get("u") != request.user.pk
        or not nonce
        or not secrets.compare_digest(str(data.get("n", "")), nonce)
    ):
        return False
    del request.session[NONCE_KEY]
    request.session[CONFIRMED_KEY] = {"user": request.user.pk, "at": time.time()}
    return True


def send_link_email(*, user, to: str, url: str, nonce: str) -> None:
    """The one place that sends the enrolment link: owed through the outbox, one per link."""
    language = getattr(user, "language", settings.LANGUAGE_CODE)
    with translation.override(language):
        context = {
            "user": user,
            "url": url,
            "minutes": settings.SECOND_FACTOR_LINK_MAX_AGE // 60,
        }
        subject = render_to_string("institut/email/second_factor_link_subject.txt", context)
        body = render_to_string("institut/email/second_factor_link.txt", context)
    email_enqueue(
        kind="second_factor_link",
        to=to,
        about=user,
        version=nonce,
        subject=subject,
        text=body,
        language=language,
    )


def enrolled(request, authenticator) -> None:
    """After a first TOTP or passkey: the link is spent, and the session proved the new factor."""
    from allauth.account.internal.flows.login import record_authentication

    request.session.pop(CONFIRMED_KEY, None)
    if request.session.get(NEXT_KEY):
        request.session[RESUME_KEY] = request.session.pop(NEXT_KEY)
    if authenticator.type in ("totp", "webauthn"):
        record_authentication(
            request,
            request.user,
            policy.SECOND_FACTOR_METHOD,
            id=authenticator.pk,
            type=authenticator.type,
            enrolled=True,
        )


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    """allauth's `authenticator_added` signal (connected in InstitutConfig.ready)."""
    if request is not None and getattr(request, "user", None) == user:
        enrolled(request, authenticator)
