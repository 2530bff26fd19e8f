"""Admin hooks of the site-wide app: users with protected records are erased, never deleted."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from institut.privacy.admin import UserBulkDelete

# After Wagtail's own (order 0), so that this one replaces its bulk deletion of users.
hooks.register("register_bulk_action", UserBulkDelete, order=100)


@hooks.register("register_log_actions")
def privacy_log_actions(actions):
    actions.register_action(
        "institut.privacy.erase", _("Données effacées"), _("Données personnelles effacées")
    )


from institut.outbox import wagtail_hooks as outbox_hooks  # noqa: E402, F401  (Paramètres → E-mails)
