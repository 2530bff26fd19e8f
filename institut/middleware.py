"""Site-wide middleware: the user's time zone, and a second factor for admin access."""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from institut.roles import has_mfa, requires_mfa

ADMIN_PREFIX = "/admin/"


class UserTimezoneMiddleware:
    """Shows times in the zone the signed-in person chose (Europe/Paris otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = getattr(request.user, "time_zone", None) if request.user.is_authenticated else None
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone)) if zone else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


def mfa_setup_redirect(request):
    """Send the person to set up an authenticator app, then back where they were going."""
    messages.warning(
        request,
        _(
            "Pour accéder à cet espace, activez d'abord la double authentification "
            "avec une application d'authentification."
        ),
    )
    url = reverse("mfa_activate_totp") + "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


class StaffMFAMiddleware:
    """Staff, editors and committee members reach the Wagtail admin only with MFA set up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and requires_mfa(request.user)
            and not has_mfa(request.user)
        ):
            return mfa_setup_redirect(request)
        return self.get_response(request)
