"""Wagtail admin user management adapted to the User model (full name, language, time zone), with
the GDPR erasure offered where a deletion is refused; what the apps' admin listings share (a
read-only record listings, the usual filters, menu entries shown by permission)."""

import datetime

import django_filters
from django import forms
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from institut.formats import date_text, money
from institut.lib.spreadsheets import spreadsheet_cell

USER_FIELDS = {"email", "full_name", "preferred_language", "time_zone", "is_superuser", "groups"}


class AdminUserCreationForm(UserCreationForm):
    first_name = None
    last_name = None

    class Meta(UserCreationForm.Meta):
        fields = USER_FIELDS


class AdminUserEditForm(UserEditForm):
    first_name = None
    last_name = None

    class Meta(UserEditForm.Meta):
        fields = USER_FIELDS | {"is_active"}


class UserViewSet(WagtailUserViewSet):
    @property
    def delete_view_class(self):
        from institut.privacy.admin import UserDeleteView

        return UserDeleteView

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm

    def get_urlpatterns(self):
        from institut.privacy.admin import UserEraseView

        return [
            *super().get_urlpatterns(),
            path("erase/<int:pk>/", UserEraseView.as_view(), name="erase"),
        ]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records staff read in the admin and nobody edits there (payments, invoices, e-mails)."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class RecordIndexView(IndexView):
    """A listing whose CSV export writes text that starts like a formula as text (a buyer's
    or a trainee's name is typed by them)."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: spreadsheet_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )


class RecordInspectView(InspectView):
    """A record's details as staff read them: every field labelled in their language, an empty
    field as « — » (not "None"), amounts in cents written as money, date-times in their time zone
    (Wagtail writes a date-time in UTC, an hour or two off the listing)."""

    # Fields without a verbose name, which Wagtail would label in English ("Idempotency key").
    labels: dict = {}

    def get_field_label(self, field_name, field):
        if field_name in self.labels:
            return str(self.labels[field_name])
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None:
            return "—"
        if field_name == "amount_cents" and hasattr(self.object, "amount_display"):
            return self.object.amount_display  # an avoir's amount is written negative
        if field_name.endswith("_cents") and isinstance(value, int):
            return money(value, getattr(self.object, "currency", "EUR"))
        if isinstance(value, datetime.datetime):
            return date_text(timezone.localtime(value), "DATETIME_FORMAT")
        return value


class InstitutViewSet(ModelViewSet):
    """The admin's model viewsets: an inspect page, where one is enabled, as staff read it."""

    inspect_view_class = RecordInspectView


class RecordViewSet(InstitutViewSet):
    """Records staff read and inspect; the read-only policy refuses add, change and delete."""

    index_view_class = RecordIndexView
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_form_fields(self):
        return []  # no form is ever shown


class PermittedMenuItem(MenuItem):
    """An admin menu entry shown only to the users that `allowed(user)` accepts."""

    def __init__(self, label, url, *, allowed, **kwargs):
        self.allowed = allowed
        super().__init__(label, url, **kwargs)

    def is_shown(self, request):
        return self.allowed(request.user)


def choice_filter(label, choices) -> django_filters.ChoiceFilter:
    """A listing filter by one of `choices`, as radio buttons after "Tous"."""
    return django_filters.ChoiceFilter(
        label=label, choices=choices, widget=forms.RadioSelect, empty_label=gettext_lazy("Tous")
    )


def period_filter() -> django_filters.DateFromToRangeFilter:
    """A listing filter by dates, from one day to another."""
    return django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Période"), widget=DateRangePickerWidget
    )
