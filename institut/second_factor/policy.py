"""Who must use a second factor, whether this session completed one, and where to go if not."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from institut.roles import has_mfa, requires_mfa

# What allauth writes in the session's authentication records for a second factor (at login,
# at a reauthentication, or, here, when the first authenticator is enrolled).
SECOND_FACTOR_METHOD = "mfa"


def required(user) -> bool:
    """Trainers, the committee, editors and staff certify or publish: they need a second factor."""
    return bool(user.is_authenticated and requires_mfa(user))


def completed_in_session(request) -> bool:
    """Did this session, for this user, complete a second factor (TOTP, passkey, recovery code)?"""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == SECOND_FACTOR_METHOD for record in records)


def satisfied(request) -> bool:
    """Either the person needs no second factor, or this session completed one."""
    return not required(request.user) or completed_in_session(request)


def reauthentication_url(user) -> str:
    """allauth's page that asks for the factor the person has (an app's code, else a passkey)."""
    app_types = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)
    if Authenticator.objects.filter(user=user, type__in=app_types).exists():
        return reverse("mfa_reauthenticate")
    return reverse("mfa_reauthenticate_webauthn")


def _page_to_return_to(request) -> str:
    """The page itself; for a posted form, the page that showed it (a form's address may not
    answer GET)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return ""
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def challenge(request):
    """Send the person to set up a second factor, or to prove the one they have, then back."""
    if not has_mfa(request.user):
        messages.warning(
            request,
            _(
                "Pour accéder à cet espace, activez d'abord la double authentification "
                "(application d'authentification ou clé d'accès)."
            ),
        )
        url = reverse("second_factor_setup")
        back = _page_to_return_to(request)
        return redirect(url + "?" + urlencode({"next": back}) if back else url)
    messages.info(
        request,
        _("Pour continuer, confirmez votre identité avec votre second facteur d'authentification."),
    )
    # allauth's reauthentication flow: it keeps a POST aside and replays it once confirmed.
    return suspend_request(request, reauthentication_url(request.user))
