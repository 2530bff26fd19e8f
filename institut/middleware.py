"""Site-wide middleware: the user's time zone, and the second factor of privileged people."""

from __future__ import annotations

import zoneinfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from institut.roles import has_mfa
from institut.second_factor import enrolment, policy

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


# allauth's pages that enrol an authenticator (an app's secret, a passkey).
ENROLMENT_URL_NAMES = frozenset({"mfa_activate_totp", "mfa_add_webauthn"})


class SecondFactorMiddleware:
    """The Wagtail admin asks staff, editors and the committee for a second factor in the
    session; a privileged person enrols a first authenticator only after the e-mailed link."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_PREFIX) and not policy.satisfied(request):
            return policy.challenge(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.url_name not in ENROLMENT_URL_NAMES:
            return None
        if enrolment.needs_link(request):
            messages.warning(
                request,
                _(
                    "Avant d'enregistrer un premier second facteur, confirmez la demande par "
                    "le lien que nous vous envoyons par e-mail."
                ),
            )
            return redirect("second_factor_setup")
        if has_mfa(request.user) and not policy.satisfied(request):
            return policy.challenge(request)
        return None


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
