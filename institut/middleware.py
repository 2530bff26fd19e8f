"""Site-wide middleware: a memo per request, the user's time zone, a second factor for the admin."""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from institut.lib.request_memo import request_memo
from institut.roles import has_mfa, requires_mfa

ADMIN_PREFIX = "/admin/"


class RequestMemoMiddleware:
    """Reads asked twice in one request (the menu's review count and the queue's) run once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_memo():
            return self.get_response(request)


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


class MethodNotAllowedPageMiddleware:
    """A page opened with a method it does not take (a form's address typed or followed as a
    link) answers 405 with a page of the site that says so, not Django's empty response. JSON
    answers (the API's) are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or getattr(response, "streaming", False)
            or response.content
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page
