"""The outbox in the Wagtail admin (Paramètres → E-mails): read-only, with "resend" for a failed
e-mail. Loaded by institut/wagtail_hooks.py."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy

from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import email_resend
from institut.viewsets import (
    ReadOnlyPolicy,
    RecordInspectView,
    RecordViewSet,
    choice_filter,
    period_filter,
)

POLICY = ReadOnlyPolicy(OutboxEmail)
register_permission_policy(OutboxEmail, POLICY, exact_class=True)


class OutboxEmailFilterSet(WagtailFilterSet):
    status = choice_filter(gettext_lazy("Statut"), EmailStatus.choices)
    retried = django_filters.BooleanFilter(
        label=gettext_lazy("Réessayé"), method="filter_retried", widget=forms.NullBooleanSelect
    )
    created_at = period_filter()

    class Meta:
        model = OutboxEmail
        fields = ["status", "kind", "retried", "created_at"]

    def filter_retried(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(attempts__gt=1) if value else queryset.filter(attempts__lte=1)


class OutboxEmailInspectView(RecordInspectView):
    template_name = "institut/outbox/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.status == EmailStatus.FAILED:
            context["resend_url"] = reverse("outbox_emails:resend", args=[self.object.pk])
        return context


class ResendView(View):
    """POST: a failed e-mail is queued again (same content, same Message-ID)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if not POLICY.user_has_permission(request.user, "view"):
            raise Http404
        email = get_object_or_404(OutboxEmail, pk=pk)
        if email_resend(email=email, actor=request.user):
            log(instance=email, action="institut.outbox.resend", user=request.user)
            messages.success(request, _("L'e-mail est de nouveau en attente d'envoi."))
        else:
            messages.error(request, _("Seul un e-mail en échec peut être renvoyé."))
        return redirect("outbox_emails:inspect", pk)


# A mail server's error can be a paragraph: the listing shows its start, the e-mail's page all of
# it. The listing keeps few columns, as addresses and headings do not wrap and would leave the
# subject a few letters a line; attempts, resends and the time sent are on the e-mail's page.
LAST_ERROR_COLUMN = Column(
    "last_error",
    label=gettext_lazy("Dernière erreur"),
    accessor=lambda email: Truncator(email.last_error).chars(60),
)


class OutboxEmailViewSet(RecordViewSet):
    """Every e-mail the platform owes or sent: to whom, what, where it stands, how many tries."""

    model = OutboxEmail
    name = "outbox_emails"
    url_prefix = "parametres/emails"
    icon = "mail"
    menu_label = gettext_lazy("E-mails")
    add_to_settings_menu = True
    permission_policy = POLICY
    inspect_view_class = OutboxEmailInspectView
    list_display = [
        "subject",
        "to_address",
        "kind",
        "status",
        "created_at",
        LAST_ERROR_COLUMN,
    ]
    inspect_view_fields = [
        "kind",
        "key",
        "to_address",
        "from_address",
        "subject",
        "status",
        "attempts",
        "crash_resends",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "message_id",
        "language",
        "created_at",
        "text",
    ]
    filterset_class = OutboxEmailFilterSet
    search_fields = ["subject", "to_address", "kind"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/renvoyer/", ResendView.as_view(), name="resend"),
        ]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxEmailViewSet()


@hooks.register("register_log_actions")
def outbox_log_actions(actions):
    actions.register_action(
        "institut.outbox.resend",
        gettext_lazy("E-mail renvoyé"),
        gettext_lazy("E-mail renvoyé après un échec"),
    )
