from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Wagtail home page, generic content pages, site settings and the Institut's details; the
    seed_demo and seed_scale commands."""

    name = "home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from home import signals  # noqa: F401
        from home.selectors import email_branding
        from institut.outbox.branding import register_branding

        # The e-mails of every app are signed with the Institut's details of the site settings.
        register_branding(email_branding)
