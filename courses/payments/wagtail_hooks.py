"""Wagtail admin for payments: read-only lists of payments and invoices (filters, CSV export),
a funded enrolment form and a CSV import with a dry run. Loaded by courses/wagtail_hooks.py.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from courses.payments.forms import FundedEnrolmentForm, FundingCsvForm
from courses.payments.models import Invoice, InvoiceKind, Payment, PaymentStatus
from courses.payments.permissions import can_manage_fundings
from courses.payments.services import fundings
from courses.services import CourseActionRefused
from institut.viewsets import ReadOnlyPolicy

register_permission_policy(Payment, ReadOnlyPolicy(Payment), exact_class=True)
register_permission_policy(Invoice, ReadOnlyPolicy(Invoice), exact_class=True)


def _course_choices(model):
    def choices():
        rows = model.objects.order_by("course_title").values_list("course_key", "course_title")
        return list(dict(rows).items())

    return choices


class PaymentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Statut"),
        choices=PaymentStatus.choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("Tous"),
    )
    course_key = django_filters.ChoiceFilter(
        label=gettext_lazy("Formation"), choices=_course_choices(Payment)
    )
    created = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Période"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Payment
        fields = ["status", "course_key", "created"]


class InvoiceFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"),
        choices=InvoiceKind.choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("Tous"),
    )
    course_key = django_filters.ChoiceFilter(
        label=gettext_lazy("Formation"), choices=_course_choices(Invoice)
    )
    issued_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Période"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Invoice
        fields = ["kind", "course_key", "issued_at"]


class PaymentViewSet(ModelViewSet):
    """Every Checkout attempt: who, which course, how much, where it stands."""

    model = Payment
    name = "course_payments"
    url_prefix = "formations/paiements"
    icon = "success"
    menu_label = gettext_lazy("Paiements")
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["course_title"]  # no form is ever shown: the policy refuses add and change
    list_display = ["course_title", "user", "amount_display", "status", "created", "paid_at"]
    filterset_class = PaymentFilterSet
    search_fields = ["course_title", "user__email", "user__full_name", "stripe_session_id"]
    list_export = [
        "pk",
        "created",
        "paid_at",
        "user",
        "course_title",
        "status",
        "amount_cents",
        "amount_refunded_cents",
        "currency",
        "stripe_session_id",
        "stripe_payment_intent_id",
    ]
    export_filename = "paiements"

    def get_queryset(self, request):
        return Payment.objects.select_related("user")


class InvoiceViewSet(ModelViewSet):
    """Invoices and credit notes in their one sequence."""

    model = Invoice
    name = "course_invoices"
    url_prefix = "formations/factures"
    icon = "doc-full"
    menu_label = gettext_lazy("Factures et avoirs")
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["course_title"]  # no form is ever shown: the policy refuses add and change
    list_display = ["number", "kind", "issued_at", "course_title", "buyer_name", "amount_display"]
    filterset_class = InvoiceFilterSet
    search_fields = ["number", "course_title", "buyer_name", "trainee_name"]
    list_export = [
        "number",
        "kind",
        "issued_at",
        "course_title",
        "trainee_name",
        "buyer_name",
        "buyer_reference",
        "amount_cents",
        "currency",
        "credited_invoice",
    ]
    export_filename = "factures"


class PaymentsViewSetGroup(ViewSetGroup):
    items = (PaymentViewSet, InvoiceViewSet)
    menu_icon = "success"
    menu_label = gettext_lazy("Paiements")
    menu_order = 310


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsViewSetGroup()


# --- Funded enrolments ---------------------------------------------------------------------------


class _StaffOnly:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage_fundings(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class FundedEnrolmentView(_StaffOnly, WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Inscription financée")
    header_icon = "user"
    template_name = "courses/payments/admin/funded_enrolment.html"
    form_class = FundedEnrolmentForm

    def form_valid(self, form):
        data = form.cleaned_data
        amount = data["amount_euros"]
        try:
            fundings.funded_enrolment_create(
                actor=self.request.user,
                user=form.user,
                course=data["course"],
                source=data["source"],
                reference=data["reference"],
                payer_name=data["payer_name"],
                payer_address=data["payer_address"],
                payer_email=data["payer_email"],
                amount_cents=None if amount is None else int(amount * 100),
                prerequisites_waived_reason=data["prerequisites_waived_reason"],
            )
        except CourseActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(email)s est inscrit·e à « %(course)s ».")
            % {"email": form.user.email, "course": data["course"].title},
        )
        return redirect("courses_funded_enrolment")

    def get_context_data(self, **kwargs):
        return super().get_context_data(import_url=reverse("courses_funding_import"), **kwargs)


class FundingImportView(_StaffOnly, WagtailAdminTemplateMixin, FormView):
    page_title = gettext_lazy("Import d'inscriptions financées")
    header_icon = "upload"
    template_name = "courses/payments/admin/funding_import.html"
    form_class = FundingCsvForm

    def form_valid(self, form):
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("Le fichier doit être encodé en UTF-8."))
            return self.form_invalid(form)
        dry_run = self.request.POST.get("action") != "import"
        report = fundings.funding_csv_import(actor=self.request.user, text=text, dry_run=dry_run)
        return self.render_to_response(
            self.get_context_data(form=form, report=report, summary=fundings.import_summary(report))
        )


class FundingMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_fundings(request.user)


@hooks.register("register_admin_urls")
def register_funding_urls():
    return [
        path(
            "formations/inscription-financee/",
            FundedEnrolmentView.as_view(),
            name="courses_funded_enrolment",
        ),
        path(
            "formations/inscriptions-financees/import/",
            FundingImportView.as_view(),
            name="courses_funding_import",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_funding_menu_item():
    return FundingMenuItem(
        gettext_lazy("Inscriptions financées"),
        reverse("courses_funded_enrolment"),
        icon_name="user",
        order=320,
    )
