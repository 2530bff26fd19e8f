from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    """The TST® certification scheme, eligibility, applications and committee decisions,
    certificates and their status lifecycle, renewal.

    Packages: certification.registry (the public registry, verification pages, the JSON API),
    certification.credentials (signed Open Badges 3.0, the issuer's keys and did:web document,
    status lists) and certification.audits (renewal audits: the draw, evidence, outcome).
    """

    name = "certification"
    verbose_name = _("Certification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certification import selectors
        from certification.credentials import checks  # noqa: F401  (registers the system checks)
        from certification.registry import signals  # noqa: F401  (receivers that clear the cache)
        from institut.dashboard import TRAINEE, register_panel, register_space

        register_panel(
            "certification/_dashboard_panel.html", selectors.dashboard_panel_context, order=40
        )

        from certification import workspace

        register_panel(
            "certification/_committee_space.html",
            workspace.committee_panel_context,
            space="committee",
        )
        # A holder who follows no training reads their certificate in a part of their own.
        register_space(
            workspace.HOLDER,
            _("Ma certification"),
            workspace.is_holder_outside_training,
            after=TRAINEE,
            queries=True,
        )
        register_panel(
            "certification/_dashboard_panel.html",
            selectors.dashboard_panel_context,
            space=workspace.HOLDER,
        )

        from certification.audits.privacy import AuditsData
        from certification.credentials.privacy import CredentialsData
        from certification.privacy import CertificationData
        from certification.registry.privacy import RegistryData
        from institut import privacy

        privacy.register(CertificationData())
        privacy.register(RegistryData())
        privacy.register(CredentialsData())
        privacy.register(AuditsData())

        from certification import receivers

        receivers.connect()

        from certification import documents
        from institut.outbox.documents import register_document_source

        # The certificate's PDF attached to its holder's e-mail, read when it is sent.
        register_document_source(documents.DOCUMENT_SOURCE, documents.certificate_pdf_bytes)
