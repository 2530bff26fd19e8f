"""Signed-in people without access to the Wagtail admin get a clear page for /admin/.

Wagtail sends them to its login page, which is allauth's; allauth sends a signed-in person on to
`next`, that is back to /admin/: a redirect loop. This middleware answers first, with a 403 page
in the site's layout that links to the person's space.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import translation

from institut.adapters import home_url_for_current_language
from institut.dashboard import space_url

ADMIN_PREFIX = "/admin/"
ADMIN_PERMISSION = "wagtailadmin.access_admin"  # what Wagtail's require_admin_access checks


class AdminAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path_info.startswith(ADMIN_PREFIX)
            and user.is_authenticated
            and not user.has_perm(ADMIN_PERMISSION)
        ):
            return refusal(request)
        return self.get_response(request)


def refusal(request):
    """The 403 page, in the person's language (/admin/ has no language prefix to say it)."""
    with translation.override(translation.get_language_from_request(request)):
        request.LANGUAGE_CODE = translation.get_language()
        return render(
            request,
            "institut/admin_refused.html",
            {"space_url": space_url(request.user), "home_url": home_url_for_current_language()},
            status=403,
        )
