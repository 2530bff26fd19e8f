from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course content (catalogue -> course -> lesson), enrolment, lesson progress, quizzes and
    reflections, training attestations.

    Packages: courses.payments (Stripe Checkout, refunds, funded enrolments, invoices) and
    courses.training (in-person training sessions: half-days, émargement, certificats de
    réalisation, satisfaction, evidence packs, BPF). Its public enrolment services
    (check_may_enrol, enrolment_open, enrolment_transition, enrolment_note) are what payments and
    any other sub-domain call to open or move an enrolment.
    """

    name = "courses"
    verbose_name = _("Formations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses import receivers
        from courses.payments.privacy import PaymentsData
        from courses.privacy import CoursesData
        from courses.training.privacy import TrainingData
        from institut import privacy

        privacy.register(CoursesData())
        privacy.register(PaymentsData())
        privacy.register(TrainingData())
        receivers.connect()
