from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision sessions and bookings (capacity, waitlist, cancellation, reminders, iCal),
    supervisor assignments.

    Packages: supervision.logbook (the supervised-practice logbook, its review workflow and
    period summaries).
    """

    name = "supervision"
    verbose_name = _("Supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from institut.dashboard import register_panel
        from supervision import selectors

        register_panel("supervision/_trainee_panel.html", selectors.trainee_panel_context, order=20)

        from supervision.logbook import selectors as logbook_selectors

        register_panel(
            "supervision/logbook/_trainee_panel.html",
            logbook_selectors.trainee_panel_context,
            order=30,
        )

        from supervision import workspace

        register_panel(
            "supervision/_trainer_space.html",
            workspace.trainer_panel_context,
            order=10,
            space="trainer",
        )
        register_panel(
            "supervision/_trainer_attention.html",
            workspace.attention_panel_context,
            order=70,
            space="trainer",
        )

        from institut import privacy
        from supervision.logbook.privacy import LogbookData
        from supervision.privacy import SupervisionData

        privacy.register(SupervisionData())
        privacy.register(LogbookData())

        from institut import practice
        from supervision.logbook.selectors import practice_offered
        from supervision.selectors import SESSION_SOURCE, sessions_to_log

        # Attended sessions, offered to the logbook like any other practice; and the logbook's
        # offer, for the pages where the practice happened.
        practice.register_source(SESSION_SOURCE, sessions_to_log)
        practice.register_logbook(practice_offered)

        from supervision import receivers

        receivers.connect()
