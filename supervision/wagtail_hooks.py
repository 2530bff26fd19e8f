"""Wagtail admin: staff assign supervisors to trainees."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic

from institut.roles import Role
from institut.viewsets import InstitutViewSet
from supervision import services
from supervision.models import SupervisorAssignment


class AssignmentCreateView(generic.CreateView):
    """Creates the assignment through its service, recording who assigned."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.supervisor_assign(
            trainee=data["trainee"], supervisor=data["supervisor"], assigned_by=self.request.user
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)


class SupervisorAssignmentViewSet(InstitutViewSet):
    model = SupervisorAssignment
    icon = "group"
    menu_label = _("Superviseur·es")
    add_to_admin_menu = True
    menu_order = 310
    form_fields = ["trainee", "supervisor"]
    list_display = ["trainee", "supervisor", "assigned_by", "created"]
    list_filter = ["supervisor"]
    search_fields = ["trainee__full_name", "trainee__email", "supervisor__full_name"]
    add_view_class = AssignmentCreateView

    def formfield_for_dbfield(self, db_field, **kwargs):
        role = {"trainee": Role.TRAINEE, "supervisor": Role.TRAINER}.get(db_field.name)
        if role is not None:
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(groups__name=role.value, is_active=True)
                .order_by("full_name")
            )
        return db_field.formfield(**kwargs)


@hooks.register("register_admin_viewset")
def register_supervisor_assignments():
    return SupervisorAssignmentViewSet("supervisor_assignments")
