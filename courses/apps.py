from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Course content (catalogue -> course -> lesson), enrolment, lesson progress, quizzes and
    reflections, training attestations.

    Packages: courses.payments (Stripe Checkout, refunds, funded enrolments, invoices) and
    courses.training (in-person training sessions: half-days, émargement, certificats de
    réalisation, satisfaction, evidence packs, BPF). Its public enrolment services
    (check_may_enrol, enrolment_open, enrolment_transition, enrolment_note) are what payments and
    any other sub-domain call to open or move an enrolment, a fixed reason given by
    courses.reasons.enrolment_reason (read in the reader's language). The pages' context and
    forms are answered by courses.page_views, which ready() registers, so that models import no
    service.
    """

    name = "courses"
    verbose_name = _("Formations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from courses import page_views, receivers

        page_views.register()
        self.register_workspace()

        from courses.payments.privacy import PaymentsData
        from courses.privacy import CoursesData
        from courses.training.privacy import TrainingData
        from institut import privacy

        privacy.register(CoursesData())
        privacy.register(PaymentsData())
        privacy.register(TrainingData())
        receivers.connect()

        self.register_documents()

        from courses.training.selectors import DAY_SOURCE, training_days_to_log
        from institut import practice

        # Attended training days, offered to the logbook (supervision) as pre-filled entries.
        practice.register_source(DAY_SOURCE, training_days_to_log)

        from institut.personal_pages import register_personal_model

        # A person's own progress shows on their pages only.
        for model in ("LessonProgress", "QuizAttempt", "ReflectionAnswer"):
            register_personal_model(f"courses.{model}", "user_id")

    def register_documents(self) -> None:
        """The PDFs attached to e-mails by reference, read by the outbox when it sends."""
        from functools import partial

        from courses.models import TrainingAttestation
        from courses.payments.services import invoices
        from courses.services import ATTESTATION_SOURCE
        from courses.training.models import CompletionCertificate
        from courses.training.services import CERTIFICATE_SOURCE
        from institut.outbox.documents import register_document_source, stored_file_bytes

        # Invoices and credit notes of the payment e-mails (rendered then if not stored yet).
        register_document_source(invoices.DOCUMENT_SOURCE, invoices.invoice_pdf_bytes)
        # Attestations and certificats de réalisation, stored when they are issued.
        register_document_source(
            ATTESTATION_SOURCE, partial(stored_file_bytes, TrainingAttestation)
        )
        register_document_source(
            CERTIFICATE_SOURCE, partial(stored_file_bytes, CompletionCertificate)
        )

    def register_workspace(self) -> None:
        """The trainer's half-days of the day and the team's action items on /espace/."""
        from courses.payments import workspace as payments_workspace
        from courses.training import workspace as training_workspace
        from institut.dashboard import register_panel, register_staff_item

        register_panel(
            "courses/training/_trainee_next_slot.html",
            training_workspace.trainee_next_slot_context,
            order=15,
        )
        register_panel(
            "courses/training/_trainer_space.html",
            training_workspace.trainer_slots_context,
            order=60,
            space="trainer",
        )
        register_panel(
            "courses/training/_trainer_to_close.html",
            training_workspace.trainer_to_close_context,
            order=61,
            space="trainer",
        )
        register_staff_item(
            _("Paiements en erreur ou bloqués"),
            payments_workspace.payments_needing_action_count,
            "course_payments:index",
            order=20,
            query="status=error",
        )
        register_staff_item(
            _("Paiements retenus (montant inattendu)"),
            payments_workspace.held_payments_count,
            "course_payments:index",
            order=10,
            query="status=held",
        )
        register_staff_item(
            _("Sessions de formation terminées à clôturer"),
            training_workspace.sessions_to_close_count,
            "courses:training_manage_list",
            order=35,
            query="a_cloturer=1",
        )
        register_staff_item(
            _("Dossiers de preuves en échec"),
            training_workspace.failed_evidence_packs_count,
            "courses:training_manage_list",
            order=40,
            query="preuves_en_echec=1",
        )
