from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Wagtail home page, generic content pages and site settings."""

    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home import signals  # noqa: F401
