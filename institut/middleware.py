"""Site-wide middleware: writes after the response, a memo for pages that only read, the user's
time zone, the second factor of privileged people, the API's language."""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from institut.lib.request_memo import request_memo
from institut.roles import has_mfa
from institut.second_factor import enrolment, policy

ADMIN_PREFIX = "/admin/"

logger = logging.getLogger(__name__)


def after_response(request, task: Callable[[], object]) -> None:
    """Run `task` once the response has been sent (when the server closes it), so that the
    person does not wait for it; at once when the request did not pass AfterResponseMiddleware."""
    tasks = getattr(request, "_after_response", None)
    if tasks is None:
        task()
    else:
        tasks.append(task)


def _logged(task: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            task()
        except Exception:  # the response is gone: say so in the logs, nowhere else
            logger.exception("A task after the response failed")

    return run


class AfterResponseMiddleware:
    """Small writes that need not delay the page (after_response) run once it is sent."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._after_response = []
        response = self.get_response(request)
        for task in request._after_response:
            response._resource_closers.append(_logged(task))
        return response


def memo_for_reading(view):
    """Reads asked twice while a page is shown (the menu's review count and the queue's, the
    site's version) run once: a memo for GET and HEAD only, so that a request that writes and
    decides (an application, a grant) reads the records again after its locks."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with request_memo():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # the template's reads (menus) inside the memo too
            return response

    return wrapped


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


class ApiLanguageMiddleware:
    """The JSON API's addresses carry no language: it answers in the caller's Accept-Language
    (French by default), which LocaleMiddleware does not do outside i18n_patterns when French
    has no prefix. Placed right after LocaleMiddleware, before the anonymous page cache (whose
    key includes the language)."""

    prefix = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response
