"""What certification holds about a person: charter acceptances, applications and their
documents, opinions, certificates and their history (exported, erased or pseudonymised for
institut.privacy). The certificate stays verifiable by its number, without the holder's name."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from institut.privacy import File, Notice, Provider, Table, table, trail_columns


class CertificationData(Provider):
    """Certification: decisions and certificates are kept, pseudonymised; documents deleted."""

    key = "certification"
    label = gettext_lazy("Certification")
    order = 30

    def tables(self, user) -> list[Table]:
        applications = Application.objects.filter(applicant=user)
        certificates = Certificate.objects.filter(holder=user)
        return [
            table(
                "charte",
                _("Acceptations de la charte éthique"),
                CharterAcceptance.objects.filter(user=user).order_by("accepted_at"),
                {"charter__version": _("Version"), "accepted_at": _("Acceptée le")},
            ),
            table(
                "candidatures",
                _("Candidatures"),
                applications.order_by("submitted_at", "pk"),
                ["id", "kind", "statement", "status", "submitted_at", "decided_at"],
            ),
            table(
                "pieces_jointes",
                _("Pièces jointes des candidatures"),
                ApplicationDocument.objects.filter(application__applicant=user).order_by("pk"),
                ["application_id", "original_name", "size", "uploaded_at"],
            ),
            table(
                "historique_candidatures",
                _("Historique des candidatures"),
                ApplicationEvent.objects.filter(application__applicant=user).order_by("at", "pk"),
                trail_columns("application_id", _("Candidature")),
            ),
            table(
                "avis",
                _("Avis des superviseur·es"),
                SupervisorOpinion.objects.filter(application__applicant=user).order_by("pk"),
                ["application_id", "verdict", "text", "given_at"],
            ),
            table(
                "certificats",
                _("Certificats"),
                certificates.order_by("first_issued_on"),
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
            ),
            table(
                "historique_certificats",
                _("Historique des certificats"),
                CertificateEvent.objects.filter(certificate__holder=user).order_by("at", "pk"),
                {
                    "certificate__number": _("Certificat"),
                    "from_status": _("De"),
                    "to_status": _("À"),
                    "public_reason": _("Motif public"),
                    "reason": _("Motif détaillé"),
                    "effective_on": _("Date d'effet"),
                    "valid_until": _("Valable jusqu'au"),
                },
            ),
            table(
                "courriels_certificats",
                _("E-mails envoyés au sujet des certificats"),
                SentNotice.objects.filter(certificate__holder=user).order_by("sent_at", "pk"),
                {"key": _("E-mail"), "sent_at": _("Envoyé le")},
            ),
        ]

    def files(self, user) -> list[File]:
        documents = ApplicationDocument.objects.filter(application__applicant=user)
        certificates = Certificate.objects.filter(holder=user).exclude(pdf="")
        return [
            *(
                File(f"fichiers/candidatures/{d.application_id}-{d.pk}.pdf", d.file, str(d))
                for d in documents
            ),
            *(File(f"fichiers/certificats/{c.number}.pdf", c.pdf, str(c)) for c in certificates),
        ]

    def notices(self, user) -> list[Notice]:
        notices = []
        for certificate in Certificate.objects.filter(holder=user, status=CertificateStatus.ACTIVE):
            notices.append(
                Notice(
                    _(
                        "Votre certificat %(number)s est actif. Supprimer votre compte met fin à "
                        "votre présence dans le registre public, et la vérification publique de ce "
                        "numéro n'indiquera plus que son existence et son statut, sans votre nom. "
                        "Vous ne pourrez plus le renouveler."
                    )
                    % {"number": certificate.number},
                    warning=True,
                )
            )
        if Application.objects.filter(applicant=user).exists():
            notices.append(
                Notice(
                    _(
                        "Les décisions de la commission sur vos candidatures et l'historique de "
                        "vos certificats restent enregistrés, sans votre nom ; vos textes et vos "
                        "pièces jointes sont supprimés, et une candidature en cours est retirée."
                    )
                )
            )
        return notices

    def erase(self, user, erasure) -> None:
        from certification import services
        from certification.registry import cache as registry_cache

        applications = Application.objects.filter(applicant=user)
        events = ApplicationEvent.objects.filter(application__applicant=user)
        # What the applicant wrote goes; what the committee wrote loses the mentions of them.
        erasure.rewrite(events.filter(actor=user).exclude(reason=""), reason="")
        erasure.scrub(events, "reason")
        for application in applications.filter(
            status__in=(Application.Status.SUBMITTED, Application.Status.MORE_REQUESTED)
        ):
            services.application_withdraw(
                application=application,
                actor=user,
                reason=_("Compte supprimé à la demande de la personne."),
            )
        documents = ApplicationDocument.objects.filter(application__applicant=user)
        erasure.delete_files(document.file for document in documents)
        erasure.delete(documents)
        erasure.rewrite(applications.exclude(statement=""), statement="")
        erasure.scrub(SupervisorOpinion.objects.filter(application__applicant=user), "text")
        certificates = Certificate.objects.filter(holder=user)
        erasure.delete_files(c.pdf for c in certificates.exclude(pdf=""))
        erasure.rewrite(
            certificates.filter(~Q(holder_name="") | ~Q(pdf="")),
            holder_name="",
            pdf="",
            pdf_valid_until=None,
        )
        erasure.scrub(CertificateEvent.objects.filter(certificate__holder=user), "reason")
        transaction.on_commit(registry_cache.invalidate)
