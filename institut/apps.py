from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class InstitutConfig(AppConfig):
    """The site-wide app: the User model, roles, health, menus, the person's space and its
    panels; what the apps share: downloads, form refusals, PDFs, calendar addresses.

    Packages: institut.outbox (the e-mail outbox), institut.notifications, institut.privacy
    (personal-data export, erasure, retention), institut.second_factor, and framework-free
    helpers in institut.lib (env, money, durations, references, text, request_memo)."""

    default = True  # this module holds a second AppConfig (Wagtail's users)
    name = "institut"
    verbose_name = _("Institut")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from institut import (
            checks,  # noqa: F401  (registers the system checks)
            person_cache,
            personal_pages,
            privacy,
        )
        from institut.notifications.privacy import NotificationData
        from institut.outbox.privacy import OutboxData
        from institut.privacy.account import AccountData

        privacy.register(AccountData())
        privacy.register(OutboxData())
        privacy.register(NotificationData())
        person_cache.connect_signals()
        personal_pages.connect_signals()
        personal_pages.register_personal_model("institut.Notification", "recipient_id")
        personal_pages.register_personal_model("institut.NotificationPreference", "user_id")
        from institut.second_factor.enrolment import on_authenticator_added

        authenticator_added.connect(on_authenticator_added, dispatch_uid="second_factor_enrolled")

        from institut.dashboard import register_panel, register_staff_item, staff_panel_context
        from institut.outbox import workspace as outbox_workspace

        register_panel("institut/_staff_space.html", staff_panel_context, space="staff")
        register_staff_item(
            _("E-mails en échec"),
            outbox_workspace.failed_emails_count,
            "outbox_emails:index",
            order=5,
            query="status=failed",
        )


class InstitutUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user management, with forms for our e-mail + full-name user."""

    user_viewset = "institut.viewsets.UserViewSet"
