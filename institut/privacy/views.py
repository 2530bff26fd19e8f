"""The person's side: download everything held about them, or erase their account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from institut.downloads import attachment
from institut.form_actions import form_page
from institut.privacy.erasure import account_erase, erasure_notices
from institut.privacy.export import archive_name, personal_data_export
from institut.privacy.forms import AccountEraseForm


@never_cache
@login_required
@require_GET
def personal_data(request):
    """Mon compte → Mes données: what can be downloaded, and the way to erase the account."""
    return render(request, "institut/privacy/data.html")


@never_cache
@login_required
@require_GET
def personal_data_download(request):
    """The ZIP of everything held about the signed-in person (and only about them)."""
    return attachment(
        personal_data_export(user=request.user), archive_name(request.user), "application/zip"
    )


@never_cache
@login_required
def account_delete(request):
    """The person confirms with their password; their data are erased and they are signed out."""
    form = AccountEraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_erase(user=request.user, actor=request.user)
        logout(request)
        # Not « everything is erased »: invoices, attestations and certificates are kept as the
        # page said before the confirmation.
        messages.success(
            request,
            _(
                "Votre compte est supprimé et vos données personnelles sont effacées, sauf ce "
                "que l'Institut doit conserver, comme indiqué avant votre confirmation."
            ),
        )
        return redirect("wagtail_serve", "")  # the home page in the person's language
    return form_page(
        request,
        "institut/privacy/erase.html",
        {"form": form, "notices": erasure_notices(request.user)},
    )
