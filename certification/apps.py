from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """The TST® certification scheme, applications, certificates and the public registry."""

    name = "certification"
    verbose_name = _("Certification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certification import selectors
        from certification.credentials import checks  # noqa: F401  (registers the system checks)
        from certification.registry import signals  # noqa: F401  (receivers that clear the cache)
        from institut.dashboard import register_panel

        register_panel(
            "certification/_dashboard_panel.html", selectors.dashboard_panel_context, order=40
        )
