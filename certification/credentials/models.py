"""Records of the signed credentials: the keys that signed, the status lists and their entries.

Status lists follow W3C Bitstring Status List 1.0: one bit per credential, a list per purpose
(revocation, suspension) of at least 131,072 bits, each credential's index drawn through a keyed
shuffle of the positions so that neither the order of issue nor a holder can be read from a list.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from institut.permanent import NeverDeletedModel, permanent_triggers

# The W3C recommendation's minimum, so that a list alone says nothing about one holder.
STATUS_LIST_SIZE = 131_072


class IssuerKey(NeverDeletedModel):
    """A public key that signed credentials; it stays published for as long as they may be shown."""

    public_key_multibase = models.CharField(
        _("clé publique (Multikey)"), max_length=64, unique=True
    )
    first_used_at = models.DateTimeField(_("première signature le"), default=timezone.now)

    class Meta:
        verbose_name = _("clé de signature de l'émetteur")
        verbose_name_plural = _("clés de signature de l'émetteur")
        ordering = ["first_used_at", "pk"]
        triggers = permanent_triggers()

    def __str__(self) -> str:
        return self.public_key_multibase


class StatusPurpose(models.TextChoices):
    REVOCATION = "revocation", _("retrait")
    SUSPENSION = "suspension", _("suspension")


def new_permutation_key() -> bytes:
    return secrets.token_bytes(32)


def empty_bitstring() -> bytes:
    return bytes(STATUS_LIST_SIZE // 8)


class StatusList(NeverDeletedModel):
    """One published bitstring for one purpose; `bits` changes only through the status service."""

    purpose = models.CharField(
        pgettext_lazy("status list", "objet"), max_length=16, choices=StatusPurpose.choices
    )
    sequence = models.PositiveIntegerField(_("numéro de liste"))
    size = models.PositiveIntegerField(_("nombre d'entrées"), default=STATUS_LIST_SIZE)
    permutation_key = models.BinaryField(default=new_permutation_key, editable=False)
    allocated = models.PositiveIntegerField(_("entrées attribuées"), default=0)
    bits = models.BinaryField(default=empty_bitstring, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    signed_credential = models.JSONField(null=True, blank=True, editable=False)
    signed_version = models.PositiveIntegerField(default=0, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("liste de statuts")
        verbose_name_plural = _("listes de statuts")
        ordering = ["purpose", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "sequence"], name="one_status_list_number"),
            models.CheckConstraint(
                condition=Q(allocated__lte=models.F("size")), name="status_list_not_overfilled"
            ),
        ]
        # A published list keeps its number, size and shuffle; its bits and their signed copy
        # change (through the status service) with the statuses of the credentials in it.
        triggers = permanent_triggers(
            allowed=[
                "allocated",
                "bits",
                "version",
                "signed_credential",
                "signed_version",
                "signed_at",
            ]
        )

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} n° {self.sequence}"


class StatusListEntry(NeverDeletedModel):
    """The index of one credential (a certificate or a training attestation) in one list."""

    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="entries")
    index = models.PositiveIntegerField(_("index"))
    certificate = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_entries",
    )
    attestation = models.ForeignKey(
        "courses.TrainingAttestation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_entries",
    )
    allocated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("entrée de liste de statuts")
        verbose_name_plural = _("entrées de listes de statuts")
        ordering = ["status_list", "index"]
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="one_credential_per_bit"),
            models.UniqueConstraint(
                fields=["status_list", "certificate"],
                condition=Q(certificate__isnull=False),
                name="one_bit_per_certificate_and_list",
            ),
            models.UniqueConstraint(
                fields=["status_list", "attestation"],
                condition=Q(attestation__isnull=False),
                name="one_bit_per_attestation_and_list",
            ),
            models.CheckConstraint(
                condition=Q(certificate__isnull=False, attestation__isnull=True)
                | Q(certificate__isnull=True, attestation__isnull=False),
                name="status_entry_for_one_credential",
            ),
        ]
        # A credential's bit is its own for ever: an index given is never moved or reused.
        triggers = permanent_triggers()

    def __str__(self) -> str:
        return f"{self.status_list} #{self.index}"
