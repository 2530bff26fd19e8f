"""What each kind of e-mail is, in words, for the staff reading the outbox.

The apps name their e-mails' kinds where they owe them (``payment_paid``, ``booking_confirmed``,
``training.convocation.sent``…); this table reads a kind by its longest known beginning, so a
new kind of a known family is labelled the day it is added."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# A kind, or the beginning of a family of kinds, and what it is.
LABELS = {
    "account:": _("Compte : confirmation d'adresse ou mot de passe"),
    "attestation": _("Attestation de formation"),
    "booking_": _("Réservation de supervision"),
    "certification_application_": _("Candidature à la certification"),
    "certification_opinion_request": _("Demande d'avis sur une candidature"),
    "certification_certificate_": _("Certificat : statut ou document"),
    "certification_renewal_reminder": _("Rappel de renouvellement"),
    "certification_audit_": _("Audit de renouvellement"),
    "cosign_link": _("Lien de cosignature du carnet"),
    "funding_opened": _("Financement ouvert"),
    "mail": _("E-mail du site (sans type)"),
    "notification_digest": _("Récapitulatif quotidien des notifications"),
    "notification_": _("Notification"),
    "outbox_failed": _("Alerte : e-mail en échec"),
    "payment_staff_": _("Paiement (à l'équipe)"),
    "payment_": _("Paiement"),
    "registry_contact": _("Message reçu par le registre"),
    "second_factor_link": _("Lien de double authentification"),
    "training.convocation.": _("Convocation à une session de formation"),
    "training.certificate.": _("Certificat de réalisation"),
    "training.satisfaction.": _("Questionnaire de satisfaction"),
}


def kind_label(kind: str) -> str:
    """« Certificat : statut ou document » for ``certification_certificate_event``; an unknown
    kind reads as its code."""
    known = [start for start in LABELS if kind == start or kind.startswith(start)]
    return str(LABELS[max(known, key=len)]) if known else kind
