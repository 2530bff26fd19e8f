"""What certification holds about a person: charter acceptances, applications and their
documents, opinions, certificates and their history (exported, erased or pseudonymised for
institut.privacy). The certificate stays verifiable by its number, without the holder's name."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from certification.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CharterAcceptance,
    SentNotice,
    SupervisorOpinion,
)
from certification.reasons import APPLICATION_REASONS, CERTIFICATE_REASONS, application_reason
from institut.formats import date_text
from institut.privacy import (
    FileSpec,
    Notice,
    NoticeSpec,
    Provider,
    TableSpec,
    Words,
    trail_columns,
    trail_labels,
)
from institut.reasons import REASON_DATA, REASON_PERSONAL, reason_words


def statuses_now(rows: list[dict]) -> list:
    """The status each exported certificate reads at the export's moment, with its date, as
    every page states it (selectors.effective_status): a certificate past its last valid day
    reads « expiré » before the daily run records it. donnees.json keeps the stored values."""
    from certification.selectors import effective_status

    return [
        effective_status(
            Certificate(
                status=row["status"],
                valid_until=row["valid_until"],
                status_changed_on=row["status_changed_on"],
            )
        )
        for row in rows
    ]


class CertificationData(Provider):
    """Certification: decisions and certificates are kept, pseudonymised; documents deleted."""

    key = "certification"
    label = _("Certification")
    order = 30

    table_specs = (
        TableSpec(
            "charte",
            _("Acceptations de la charte éthique"),
            CharterAcceptance,
            "user",
            {
                "charter__version": _("Version"),
                "accepted_at": _("Acceptée le"),
            },
            order_by=["accepted_at"],
        ),
        TableSpec(
            "candidatures",
            _("Candidatures"),
            Application,
            "applicant",
            ["id", "kind", "statement", "status", "submitted_at", "decided_at"],
            order_by=["submitted_at", "pk"],
        ),
        TableSpec(
            "pieces_jointes",
            _("Pièces jointes des candidatures"),
            ApplicationDocument,
            "application__applicant",
            ["application_id", "original_name", "size", "uploaded_at"],
            order_by=["pk"],
        ),
        TableSpec(
            "historique_candidatures",
            _("Historique des candidatures"),
            ApplicationEvent,
            "application__applicant",
            trail_columns("application_id", _("Candidature")),
            order_by=["at", "pk"],
            labels={
                **trail_labels(ApplicationEvent.ACTIONS, Application.Status.choices),
                "reason": reason_words(APPLICATION_REASONS),
            },
            data=REASON_DATA,
        ),
        TableSpec(
            "avis",
            _("Avis des superviseur·es"),
            SupervisorOpinion,
            "application__applicant",
            ["application_id", "verdict", "text", "given_at"],
            order_by=["pk"],
        ),
        TableSpec(
            "certificats",
            _("Certificats"),
            Certificate,
            "holder",
            [
                "number",
                "holder_name",
                "scheme_name",
                "first_issued_on",
                "issued_on",
                "valid_until",
                "status",
                "status_changed_on",
            ],
            order_by=["first_issued_on"],
            labels={
                "status": Words(lambda rows: [str(status) for status in statuses_now(rows)]),
                "status_changed_on": Words(
                    lambda rows: [
                        date_text(status.since, "DATE_FORMAT") for status in statuses_now(rows)
                    ]
                ),
            },
        ),
        TableSpec(
            "historique_certificats",
            _("Historique des certificats"),
            CertificateEvent,
            "certificate__holder",
            {
                "certificate__number": _("Certificat"),
                "from_status": _("De"),
                "to_status": _("À"),
                "public_reason": _("Motif public"),
                "reason": _("Motif détaillé"),
                "effective_on": _("Date d'effet"),
                "valid_until": _("Valable jusqu'au"),
            },
            order_by=["at", "pk"],
            labels={"reason": reason_words(CERTIFICATE_REASONS)},
            data=REASON_DATA,
        ),
        TableSpec(
            "courriels_certificats",
            _("E-mails envoyés au sujet des certificats"),
            SentNotice,
            "certificate__holder",
            {"key": _("E-mail"), "sent_at": _("Envoyé le")},
            order_by=["sent_at", "pk"],
        ),
    )
    file_specs = (
        FileSpec(
            ApplicationDocument,
            "application__applicant",
            "file",
            "fichiers/candidatures/{row.application_id}-{row.pk}.pdf",
        ),
        FileSpec(Certificate, "holder", "pdf", "fichiers/certificats/{row.number}.pdf"),
    )

    notice_specs = (
        NoticeSpec(
            _(
                "Les décisions de la commission sur vos candidatures et l'historique de "
                "vos certificats restent enregistrés, sans votre nom ; vos textes et vos "
                "pièces jointes sont supprimés, et une candidature en cours est retirée."
            ),
            Application,
            "applicant",
        ),
    )

    def notices(self, user) -> list[Notice]:
        from certification.selectors import effective_status

        active = [
            certificate
            for certificate in Certificate.objects.filter(
                holder=user, status=CertificateStatus.ACTIVE
            )
            if effective_status(certificate).is_valid
        ]
        warnings = [
            Notice(
                _(
                    "Votre certificat %(number)s est valide. Supprimer votre compte met fin à "
                    "votre présence dans le registre public, et la vérification publique de ce "
                    "numéro n'indiquera plus que son existence et son statut, sans votre nom. "
                    "Vous ne pourrez plus le renouveler."
                )
                % {"number": certificate.number},
                warning=True,
            )
            for certificate in active
        ]
        return [*warnings, *super().notices(user)]

    def erase(self, user, erasure) -> None:
        from certification import services
        from certification.registry import cache as registry_cache

        applications = Application.objects.filter(applicant=user)
        events = ApplicationEvent.objects.filter(application__applicant=user)
        # What the applicant wrote goes; what the committee wrote loses the mentions of them.
        erasure.clear(events.filter(actor=user), "reason")
        erasure.scrub(events, *REASON_PERSONAL)
        for application in applications.filter(
            status__in=(Application.Status.SUBMITTED, Application.Status.MORE_REQUESTED)
        ):
            services.application_withdraw(
                application=application,
                actor=user,
                reason=application_reason("account_erased"),
            )
        documents = ApplicationDocument.objects.filter(application__applicant=user)
        erasure.delete_files(document.file for document in documents)
        erasure.delete(documents)
        erasure.clear(applications, "statement")
        erasure.scrub(SupervisorOpinion.objects.filter(application__applicant=user), "text")
        erasure.clear(
            Certificate.objects.filter(holder=user), "holder_name", "pdf", pdf_valid_until=None
        )
        erasure.scrub(CertificateEvent.objects.filter(certificate__holder=user), *REASON_PERSONAL)
        transaction.on_commit(registry_cache.invalidate)
