"""The page that explains the second factor, sends the enrolment link, and accepts it."""

from __future__ import annotations

from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from institut.roles import has_mfa
from institut.second_factor import enrolment, policy


def _safe_next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


@never_cache
@login_required
def setup(request):
    """Choose an authenticator app or a passkey; privileged people first ask for the link."""
    if request.GET.get("reprendre") and request.session.get(enrolment.RESUME_KEY):
        return redirect(request.session.pop(enrolment.RESUME_KEY))
    next_url = _safe_next(request)
    if next_url:
        request.session[enrolment.NEXT_KEY] = next_url
    if request.method == "POST" and request.POST.get("action") == "send":
        if not enrolment.needs_link(request):
            return redirect("second_factor_setup")
        if not ratelimit.consume(request, action="second_factor_link", user=request.user):
            messages.error(
                request, _("Trop de demandes : patientez quelques minutes avant de réessayer.")
            )
        elif enrolment.link_send(request):
            messages.success(
                request,
                _(
                    "Un lien de confirmation vient de vous être envoyé par e-mail. Ouvrez-le dans "
                    "ce même navigateur pour poursuivre l'activation."
                ),
            )
        else:
            messages.error(
                request,
                _("Confirmez d'abord une adresse e-mail : le lien ne peut être envoyé qu'à elle."),
            )
        return redirect("second_factor_setup")
    user = request.user
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    context = {
        "privileged": policy.required(user),
        "has_factor": has_mfa(user),
        "needs_link": enrolment.needs_link(request),
        "has_totp": Authenticator.Type.TOTP in types,
        "has_passkey": Authenticator.Type.WEBAUTHN in types,
        "next_url": request.session.get(enrolment.NEXT_KEY, ""),
        "link_minutes": settings.SECOND_FACTOR_LINK_MAX_AGE // 60,
    }
    return render(request, "institut/second_factor/setup.html", context)


@never_cache
@login_required
@require_GET
def confirm(request, token: str):
    """The e-mailed link: accepted once, in the session that asked for it, before it expires."""
    if len(token) > 512 or not enrolment.link_follow(request, token):
        messages.error(
            request,
            _(
                "Ce lien n'est pas valable : il a expiré, a déjà servi, ou a été demandé depuis "
                "un autre navigateur. Demandez-en un nouveau."
            ),
        )
        return redirect("second_factor_setup")
    messages.success(
        request,
        _("Adresse confirmée : choisissez maintenant votre application ou votre clé d'accès."),
    )
    return redirect("second_factor_setup")
