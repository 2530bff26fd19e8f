from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course content, enrolment, progress, attestations; its packages: payments
    (courses.payments) and in-person training sessions (courses.training)."""

    name = "courses"
    verbose_name = _("Formations")
    default_auto_field = "django.db.models.BigAutoField"
