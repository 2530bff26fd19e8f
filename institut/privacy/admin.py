"""Staff side of erasure in the Wagtail admin: deleting a user whose records are protected shows
what protects them and offers the GDPR erasure instead (never an error page)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.log_actions import log
from wagtail.users.utils import user_can_delete_user
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction
from wagtail.users.views.users import DeleteView

from institut.admin_pages import AdminPageMixin
from institut.models import User
from institut.privacy.erasure import account_erase, erasure_notices


def protected_records(user: User) -> list[tuple[str, int]]:
    """What stops the user's deletion: (kind of record, how many), or [] if it may be deleted."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    try:
        collector.collect([user])
    except (ProtectedError, RestrictedError) as error:
        objects = getattr(error, "protected_objects", None) or error.restricted_objects
        counts = Counter(capfirst(str(obj._meta.verbose_name_plural)) for obj in objects)
        return sorted(counts.items())
    return []


class UserDeleteView(DeleteView):
    """Wagtail's user deletion; a user with protected records is offered erasure instead."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.protected = protected_records(self.object)

    def form_valid(self, form):
        if self.protected:
            return self.render_to_response(self.get_context_data(), status=409)
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["protected"] = self.protected
        context["erase_url"] = reverse("wagtailusers_users:erase", args=[self.object.pk])
        context["erased"] = self.object.is_erased
        return context


class UserEraseView(AdminPageMixin, TemplateView):
    """Staff erase a person's data (GDPR Art. 17), after reading what is kept."""

    template_name = "institut/privacy/admin_erase.html"
    page_title = gettext_lazy("Effacer les données personnelles")
    header_icon = "user"

    def dispatch(self, request, pk):
        self.person = get_object_or_404(User, pk=pk)
        if not user_can_delete_user(request.user, self.person):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.person.full_name or self.person.email

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            notices=erasure_notices(self.person),
            cancel_url=reverse("wagtailusers_users:index"),
            **kwargs,
        )

    def post(self, request, pk):
        if self.person.is_erased:
            messages.info(request, _("Les données de ce compte sont déjà effacées."))
            return redirect("wagtailusers_users:index")
        with transaction.atomic():
            account_erase(user=self.person, actor=request.user)
            log(instance=self.person, action="institut.privacy.erase", user=request.user)
        messages.success(request, _("Les données personnelles de ce compte sont effacées."))
        return redirect("wagtailusers_users:index")


class UserBulkDelete(DeleteBulkAction):
    """Wagtail's bulk deletion of users, which leaves alone those with protected records."""

    def prepare_action(self, objects, objects_without_access):
        """Wagtail refuses the whole action when one user is referenced; each is checked below."""

    @classmethod
    def execute_action(cls, objects, model=None, **kwargs):
        deleted = kept = 0
        for user in objects:
            if protected_records(user):
                kept += 1
                continue
            user.delete()
            deleted += 1
        return deleted, kept

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = ngettext(
            "%(count)d compte supprimé.", "%(count)d comptes supprimés.", num_parent_objects
        ) % {"count": num_parent_objects}
        if num_child_objects:
            message += " " + ngettext(
                "%(count)d compte conservé : il a des données protégées ; effacez ses données "
                "depuis sa page de suppression.",
                "%(count)d comptes conservés : ils ont des données protégées ; effacez leurs "
                "données depuis leur page de suppression.",
                num_child_objects,
            ) % {"count": num_child_objects}
        return message
