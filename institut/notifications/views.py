"""The notification centre: the list, marking read, and the preferences per kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from institut.notifications import services
from institut.notifications.forms import PreferencesForm
from institut.notifications.models import Notification

PER_PAGE = 20


@login_required
def notification_list(request):
    """The person's notifications, newest first, unread ones marked."""
    services.unread_check(user=request.user)  # the header's count, set right if it drifted
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "institut/notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark one notification read and go to its object (someone else's: 404)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification, reader=request.user)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notification_list")
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request):
    """Every notification of the person is read."""
    services.notifications_mark_all_read(reader=request.user)
    messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("notification_list")


@login_required
def notification_preferences(request):
    """How the person hears about each kind: on the site, by e-mail, or in a daily digest."""
    form = PreferencesForm(
        request.POST or None, initial_channels=services.channels_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, channels=form.channels())
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notification_preferences")
    return render(request, "institut/notifications/preferences.html", {"form": form})
