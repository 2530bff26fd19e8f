"""Wagtail admin for payments: read-only lists of payments and invoices (filters, CSV export),
a refund asked of Stripe from a payment, a funded enrolment form and a CSV import with a dry
run. Loaded by courses/wagtail_hooks.py.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import django_filters
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from courses.payments.forms import FundedEnrolmentForm, FundingCsvForm, RefundForm
from courses.payments.models import Invoice, InvoiceKind, Payment, PaymentStatus, StripeEvent
from courses.payments.permissions import can_manage_fundings, can_refund_payments
from courses.payments.services import fundings, refunds, webhooks
from courses.services import CourseActionRefused
from institut.admin_pages import AdminPageMixin
from institut.formats import money
from institut.viewsets import (
    PermittedMenuItem,
    ReadOnlyPolicy,
    RecordIndexView,
    RecordInspectView,
    RecordViewSet,
    choice_filter,
    period_filter,
)

register_permission_policy(Payment, ReadOnlyPolicy(Payment), exact_class=True)
register_permission_policy(Invoice, ReadOnlyPolicy(Invoice), exact_class=True)
register_permission_policy(StripeEvent, ReadOnlyPolicy(StripeEvent), exact_class=True)


def _course_filter(model) -> django_filters.ChoiceFilter:
    """A listing filter by the course a row is about, among the courses its rows name."""

    def choices():
        rows = model.objects.order_by("course_title").values_list("course_key", "course_title")
        return list(dict(rows).items())

    return django_filters.ChoiceFilter(label=gettext_lazy("Formation"), choices=choices)


class PaymentFilterSet(WagtailFilterSet):
    status = choice_filter(gettext_lazy("Statut"), PaymentStatus.choices)
    course_key = _course_filter(Payment)
    created = period_filter()

    class Meta:
        model = Payment
        fields = ["status", "course_key", "created"]


class InvoiceFilterSet(WagtailFilterSet):
    kind = choice_filter(gettext_lazy("Type"), InvoiceKind.choices)
    course_key = _course_filter(Invoice)
    issued_at = period_filter()

    class Meta:
        model = Invoice
        fields = ["kind", "course_key", "issued_at"]


def _refund_url(request, payment: Payment) -> str | None:
    """The refund form of a payment, for staff who may refund and a payment with money left."""
    if not can_refund_payments(request.user) or payment.refundable_cents <= 0:
        return None
    return reverse("courses_payment_refund", args=[payment.pk])


class PaymentIndexView(RecordIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := _refund_url(self.request, instance):
            buttons.append(ListingMenuItem(_("Rembourser"), url=url, icon_name="undo"))
        return buttons


class PaymentInspectView(RecordInspectView):
    labels = {
        "enrolment": gettext_lazy("Inscription"),
        "user": gettext_lazy("Stagiaire"),
        "idempotency_key": gettext_lazy("Clé d'idempotence (Stripe)"),
        "stripe_session_id": gettext_lazy("Session Checkout Stripe"),
        "stripe_payment_intent_id": gettext_lazy("Paiement Stripe (payment intent)"),
        "checkout_url": gettext_lazy("Page de paiement Stripe"),
        "error_message": gettext_lazy("Message d'erreur"),
        "updated": gettext_lazy("Modifié le"),
        "amount_cents": gettext_lazy("Montant"),
        "amount_refunded_cents": gettext_lazy("Remboursé"),
    }

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if url := _refund_url(self.request, self.object):
            buttons.append(Button(_("Rembourser"), url=url, icon_name="undo", priority=30))
        if self.object.status == PaymentStatus.HELD and can_refund_payments(self.request.user):
            url = reverse("courses_payment_accept", args=[self.object.pk])
            buttons.append(Button(_("Accepter le paiement"), url=url, icon_name="check"))
        return buttons


# An amount written in the staff member's language, under a heading in that language (Wagtail
# would head a property "Amount display").
AMOUNT_COLUMN = Column("amount_display", label=gettext_lazy("Montant"))


class PaymentViewSet(RecordViewSet):
    """Every Checkout attempt: who, which course, how much, where it stands."""

    index_view_class = PaymentIndexView
    inspect_view_class = PaymentInspectView

    model = Payment
    name = "course_payments"
    url_prefix = "formations/paiements"
    icon = "success"
    menu_label = gettext_lazy("Paiements")
    list_display = ["course_title", "user", AMOUNT_COLUMN, "status", "created", "paid_at"]
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
        "hold_reason",
    ]
    export_filename = "paiements"

    def get_queryset(self, request):
        return Payment.objects.select_related("user")


class InvoiceInspectView(RecordInspectView):
    labels = {
        "sequence": gettext_lazy("Numéro d'ordre"),
        "enrolment": gettext_lazy("Inscription"),
        "payment": gettext_lazy("Paiement"),
        "funding": gettext_lazy("Financement"),
        "user": gettext_lazy("Compte"),
        "course_key": gettext_lazy("Formation (clé de traduction)"),
        "amount_cents": gettext_lazy("Montant"),
        "seller_name": gettext_lazy("Vendeur"),
        "seller_address": gettext_lazy("Adresse du vendeur"),
        "seller_siret": gettext_lazy("SIRET"),
        "seller_vat_number": gettext_lazy("N° de TVA du vendeur"),
        "seller_training_body_number": gettext_lazy("Déclaration d'activité"),
        "vat_mention": gettext_lazy("Mention de TVA"),
        "stripe_refund_id": gettext_lazy("Remboursement Stripe"),
    }


class InvoiceViewSet(RecordViewSet):
    """Invoices and credit notes in their one sequence."""

    inspect_view_class = InvoiceInspectView
    model = Invoice
    name = "course_invoices"
    url_prefix = "formations/factures"
    icon = "doc-full"
    menu_label = gettext_lazy("Factures et avoirs")
    list_display = ["number", "kind", "issued_at", "course_title", "buyer_name", AMOUNT_COLUMN]
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


class StripeEventViewSet(RecordViewSet):
    """Stripe's events as received: what each did, and why the ignored ones were ignored."""

    model = StripeEvent
    name = "course_stripe_events"
    url_prefix = "formations/evenements-stripe"
    icon = "list-ul"
    menu_label = gettext_lazy("Évènements Stripe")
    list_display = ["event_id", "type", "outcome", "ignored_reason", "received_at"]
    list_filter = ["type", "outcome"]
    search_fields = ["event_id", "type", "payment_intent_id"]


class PaymentsViewSetGroup(ViewSetGroup):
    items = (PaymentViewSet, InvoiceViewSet, StripeEventViewSet)
    menu_icon = "success"
    menu_label = gettext_lazy("Paiements")
    menu_order = 310


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsViewSetGroup()


# --- Refunds -------------------------------------------------------------------------------------


class _PaymentMoneyView(AdminPageMixin):
    """A page about one payment for staff who handle money (anyone else: 404)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_refund_payments(request.user):
            raise Http404
        self.payment = Payment.objects.select_related("user").filter(pk=kwargs["pk"]).first()
        if self.payment is None:
            raise Http404
        return self.dispatch_payment(request, *args, **kwargs)

    def dispatch_payment(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(payment=self.payment, **kwargs)


class PaymentRefundView(_PaymentMoneyView, FormView):
    """A refund of all or part of a payment: the form, its confirmation, then Stripe."""

    page_title = gettext_lazy("Rembourser un paiement")
    header_icon = "undo"
    template_name = "courses/payments/admin/refund.html"
    form_class = RefundForm

    def dispatch_payment(self, request, *args, **kwargs):
        done = refunds.refund_request_for(payment=self.payment, key=request.POST.get("key", ""))
        if request.method == "POST" and done is not None and not done.may_send:
            # The same confirmation again (a double click, the back button): already asked.
            messages.info(request, _("Ce remboursement a déjà été demandé à Stripe."))
            return redirect("course_payments:inspect", self.payment.pk)
        if self.payment.refundable_cents <= 0:
            messages.error(request, _("Ce paiement n'a plus rien à rembourser."))
            return redirect("course_payments:inspect", self.payment.pk)
        return super().dispatch_payment(request, *args, **kwargs)

    def _form_args(self) -> dict:
        return {
            "available_cents": refunds.refund_available_cents(payment=self.payment),
            "currency": self.payment.currency,
        }

    def get_form_kwargs(self):
        initial = {"amount_euros": Decimal(self.payment.refundable_cents) / 100}
        return {**super().get_form_kwargs(), **self._form_args(), "initial": initial}

    def form_valid(self, form):
        action = self.request.POST.get("action")
        if action == "edit":
            return self.render_to_response(self.get_context_data(form=form))
        if action != "confirm" or not form.cleaned_data["key"]:
            # The confirmation first, with the key that makes a second submission harmless.
            data = form.data.copy()
            data["key"] = uuid.uuid4().hex
            confirm = self.get_form_class()(data, **self._form_args())
            return self.render_to_response(
                self.get_context_data(form=confirm, confirming=True, amount=form.amount_cents)
            )
        try:
            refunds.refund_start(
                actor=self.request.user,
                payment_id=self.payment.pk,
                amount_cents=form.amount_cents,
                reason=form.cleaned_data["reason"],
                key=form.cleaned_data["key"],
            )
        except CourseActionRefused as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(
                self.get_context_data(form=form, confirming=True, amount=form.amount_cents)
            )
        messages.success(
            self.request,
            _(
                "Remboursement de %(amount)s demandé à Stripe. L'avoir sera émis dès que "
                "Stripe le confirme."
            )
            % {"amount": money(form.amount_cents, self.payment.currency)},
        )
        return redirect("course_payments:inspect", self.payment.pk)

    def get_context_data(self, amount: int | None = None, **kwargs):
        return super().get_context_data(
            amount=None if amount is None else money(amount, self.payment.currency),
            requests=self.payment.refund_requests.select_related("requested_by", "payment"),
            **kwargs,
        )


class PaymentAcceptView(_PaymentMoneyView, TemplateView):
    """A held payment accepted as it is, once staff checked it: access opens, it is invoiced."""

    page_title = gettext_lazy("Accepter un paiement retenu")
    header_icon = "check"
    template_name = "courses/payments/admin/accept.html"

    def post(self, request, *args, **kwargs):
        try:
            webhooks.payment_hold_release(actor=request.user, payment_id=self.payment.pk)
        except CourseActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Paiement accepté : la formation est ouverte et facturée."))
        return redirect("course_payments:inspect", self.payment.pk)


@hooks.register("register_admin_urls")
def register_refund_urls():
    return [
        path(
            "formations/paiements/<int:pk>/rembourser/",
            PaymentRefundView.as_view(),
            name="courses_payment_refund",
        ),
        path(
            "formations/paiements/<int:pk>/accepter/",
            PaymentAcceptView.as_view(),
            name="courses_payment_accept",
        ),
    ]


# --- Funded enrolments ---------------------------------------------------------------------------


class _StaffOnly:
    def dispatch(self, request, *args, **kwargs):
        if not can_manage_fundings(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class FundedEnrolmentView(_StaffOnly, AdminPageMixin, FormView):
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


class FundingImportView(_StaffOnly, AdminPageMixin, FormView):
    page_title = gettext_lazy("Import d'inscriptions financées")
    header_icon = "upload"
    template_name = "courses/payments/admin/funding_import.html"
    form_class = FundingCsvForm

    def form_valid(self, form):
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error(
                "file",
                _(
                    "Le fichier doit être encodé en UTF-8 (dans Excel : Enregistrer sous, "
                    "« CSV UTF-8 »)."
                ),
            )
            return self.form_invalid(form)
        dry_run = self.request.POST.get("action") != "import"
        report = fundings.funding_csv_import(actor=self.request.user, text=text, dry_run=dry_run)
        return self.render_to_response(
            self.get_context_data(form=form, report=report, summary=fundings.import_summary(report))
        )


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
    return PermittedMenuItem(
        gettext_lazy("Inscriptions financées"),
        reverse("courses_funded_enrolment"),
        allowed=can_manage_fundings,
        icon_name="user",
        order=320,
    )
