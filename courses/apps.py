from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course content, enrolment, progress, attestations and payments."""

    name = "courses"
    verbose_name = _("Formations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses.payments.privacy import PaymentsData
        from courses.privacy import CoursesData
        from institut import privacy

        privacy.register(CoursesData())
        privacy.register(PaymentsData())
