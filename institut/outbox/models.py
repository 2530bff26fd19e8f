"""The outbox: one row per e-mail owed, written in the transaction of the effect that causes it.

institut/models.py imports these by name: they are models of the institut app (same label).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from institut.outbox.kinds import kind_label


class EmailStatus(models.TextChoices):
    """Where one e-mail stands."""

    QUEUED = "queued", _("En attente d'envoi")
    SENDING = "sending", _("Envoi en cours")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, *, now, stuck_before):
        """Rows a sender may take now: queued and due, or left "sending" by a crash."""
        queued = models.Q(status=EmailStatus.QUEUED) & (
            models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
        )
        stuck = models.Q(status=EmailStatus.SENDING, claimed_at__lt=stuck_before)
        return self.filter(queued | stuck)


class OutboxEmail(models.Model):
    """An e-mail owed to someone, once: its key (kind, object, recipient, version) is unique."""

    key = models.CharField(_("clé"), max_length=255, unique=True)
    kind = models.CharField(_("type"), max_length=80, db_index=True)
    about_type = models.CharField(_("objet (type)"), max_length=100, blank=True)
    about_id = models.CharField(_("objet (identifiant)"), max_length=64, blank=True)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire (compte)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_address = models.EmailField(_("destinataire"), max_length=254)
    from_address = models.CharField(_("expéditeur"), max_length=254)
    subject = models.CharField(_("objet"), max_length=998)
    text = models.TextField(_("texte"))
    html = models.TextField(_("HTML"), blank=True)
    # [[name, base64 content, mimetype], ...]: the message is sent again exactly as it was owed.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    # [{"source", "id", "name", "mimetype"}, ...]: documents the platform keeps (an invoice's
    # PDF), attached by reference and read when the message is sent (outbox/documents.py).
    documents = models.JSONField(_("documents joints"), default=list, blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    language = models.CharField(_("langue"), max_length=8, blank=True)
    # Chosen when the row is written, before any attempt: a resend after a crash carries the
    # same one, so that the recipient's mail system shows the message once.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # How many times a row found "sending" after a crash was sent again (at most once).
    crash_resends = models.PositiveSmallIntegerField(_("renvois après incident"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"

    def get_kind_display(self) -> str:
        """The kind in words, « Certificat : statut ou document » (the admin's listing reads it)."""
        return kind_label(self.kind)
