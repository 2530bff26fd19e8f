"""Site-wide views."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from institut.forms import ProfileForm
from institut.health import run_checks


def may_see_health_details(request) -> bool:
    """Staff, or a caller that sends the HEALTH_TOKEN of the settings in X-Health-Token."""
    token = settings.HEALTH_TOKEN
    sent = request.headers.get("X-Health-Token", "")
    if token and sent and secrets.compare_digest(sent.encode(), token.encode()):
        return True
    return request.user.is_authenticated and request.user.is_staff


@never_cache
@require_GET
def health(request):
    """The overall state for anyone (load balancers); each service's state only for staff or
    a caller with the health token."""
    healthy, results = run_checks()
    body = {"status": "ok" if healthy else "error"}
    if may_see_health_details(request):
        body["checks"] = results
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
def profile(request):
    """The signed-in person edits their name, language and time zone."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil est enregistré."))
        return redirect("profile")
    return render(request, "institut/profile.html", {"form": form})
