"""In-app notifications and each person's choice, per kind, of how to hear about them.

institut/models.py imports these by name: they are models of the institut app (same label).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; a person chooses a channel for each."""

    ENTRY_SUBMITTED = "entry_submitted", _("Entrée de carnet soumise à relire")
    ENTRY_REVIEWED = "entry_reviewed", _("Entrée de carnet approuvée ou renvoyée")
    PERIOD_CONFIRMED = "period_confirmed", _("Période du carnet confirmée")
    BOOKING = "booking", _("Réservations et liste d'attente")
    APPLICATION_RECEIVED = "application_received", _("Candidature reçue")
    OPINION_REQUEST = "opinion_request", _("Demande d'avis sur une candidature")
    APPLICATION_DECIDED = "application_decided", _("Décision sur une candidature")
    CERTIFICATE = "certificate", _("Changements de statut d'un certificat")
    AUDIT = "audit", _("Audits de renouvellement")
    CONVOCATION = "convocation", _("Convocations aux sessions de formation")


class Channel(models.TextChoices):
    """How a person hears about one kind of notification."""

    IN_APP = "in_app", _("Sur le site seulement")
    EMAIL = "email", _("Sur le site et par e-mail")
    DIGEST = "digest", _("Sur le site et dans un récapitulatif quotidien par e-mail")


# Without a choice of their own: trainers reviewing many entries, and the committee receiving
# applications, get them in the daily digest; everyone hears about decisions on their own work,
# and what they are asked to do, by e-mail.
DEFAULT_CHANNELS = {
    Kind.ENTRY_SUBMITTED: Channel.DIGEST,
    Kind.APPLICATION_RECEIVED: Channel.DIGEST,
}
DEFAULT_CHANNEL = Channel.EMAIL

# Kinds whose e-mail is a document the law requires the Institut to send (a session's
# convocation, from the training organisation): it is e-mailed whatever the person chose, and
# shown on the site too; the preferences page offers no choice for them and says why.
EMAIL_ALWAYS = frozenset({Kind.CONVOCATION})


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def digest_pending(self):
        return self.filter(digest_pending=True)


class Notification(models.Model):
    """One thing that happened that one person should know about, once per effect."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    text = models.CharField(_("texte"), max_length=500, blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    # The language the title and text were written in (the recipient's, when told): marked
    # lang="…" on a page in another language. Empty for notifications told before it was kept.
    language = models.CharField(_("langue"), max_length=10, blank=True, default="")
    about_type = models.CharField(_("objet (type)"), max_length=100, blank=True)
    about_id = models.CharField(_("objet (identifiant)"), max_length=64, blank=True)
    version = models.CharField(_("version"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    # Chosen "digest" when it was written: the next daily digest takes it.
    digest_pending = models.BooleanField(_("à récapituler"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "about_type", "about_id", "recipient", "version"],
                name="notification_once_per_effect",
            )
        ]
        indexes = [
            # The header's unread count, and the list: one person's rows.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(
                fields=["digest_pending"],
                name="notification_digest_idx",
                condition=models.Q(digest_pending=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's channel for one kind (without a row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personne"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"
