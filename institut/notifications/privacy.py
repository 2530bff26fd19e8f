"""What the notifications hold about a person: their notifications and choices (exported; on
erasure deleted, and the person's name scrubbed from other people's notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from institut.notifications.models import Notification, NotificationPreference
from institut.privacy.registry import Provider, TableSpec


class NotificationData(Provider):
    """Notifications received, and the channel chosen for each kind."""

    key = "notifications"
    label = _("Notifications")
    order = 91

    table_specs = (
        TableSpec(
            "notifications",
            _("Notifications"),
            Notification,
            "recipient",
            ["created_at", "kind", "title", "text", "url", "read_at"],
            order_by=["created_at", "pk"],
        ),
        TableSpec(
            "notification_preferences",
            _("Préférences de notification"),
            NotificationPreference,
            "user",
            ["kind", "channel"],
            order_by=["kind"],
        ),
    )

    def erase(self, user, erasure) -> None:
        erasure.delete(Notification.objects.filter(recipient=user))
        erasure.delete(NotificationPreference.objects.filter(user=user))
        # Notifications of others that name the person (a supervisor told of an entry).
        erasure.scrub(Notification.objects.all(), "title", "text")
