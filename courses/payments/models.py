"""Payments (Stripe Checkout), Stripe events applied once, fundings, invoices and credit notes.

courses/models.py imports them by name: these are models of the courses app. Money is always
an integer number of cents with its currency. Invoices and credit notes are permanent records.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from institut.formats import money
from institut.permanent import NeverDeletedModel, PermanentModel, permanent_triggers


class PaymentStatus(models.TextChoices):
    """Where one Checkout attempt stands."""

    CREATING = "creating", _("Création en cours")
    OPEN = "open", _("En attente du paiement")
    PROCESSING = "processing", _("Paiement en cours de traitement")
    PAID = "paid", _("Payé")
    FAILED = "failed", _("Échec du paiement")
    EXPIRED = "expired", _("Session expirée")
    ERROR = "error", _("Erreur de Stripe")
    PARTIALLY_REFUNDED = "partially_refunded", _("Remboursé en partie")
    REFUNDED = "refunded", _("Remboursé")
    # Stripe took an amount (or currency) other than the one asked: access stays closed until
    # staff decide (refund, or contact the trainee); see hold_reason.
    HELD = "held", _("Retenu : montant inattendu")


# A payment in these states has taken the trainee's money.
PAYMENT_CAPTURED_STATUSES = (
    PaymentStatus.PAID,
    PaymentStatus.HELD,
    PaymentStatus.PARTIALLY_REFUNDED,
    PaymentStatus.REFUNDED,
)


class Payment(NeverDeletedModel):
    """One Stripe Checkout attempt for an enrolment, and what Stripe said about it."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="payments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    course_key = models.UUIDField(_("formation (clé de traduction)"), db_index=True)
    course_title = models.CharField(_("formation"), max_length=255)
    attempt = models.PositiveSmallIntegerField(_("tentative"))
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.CREATING
    )
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    amount_refunded_cents = models.PositiveIntegerField(_("remboursé (centimes)"), default=0)
    stripe_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    hold_reason = models.CharField(_("motif de la retenue"), max_length=255, blank=True)
    created = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    # The terms of sale (CGV) accepted just before this Checkout, when the site has some: when,
    # and which published version (plain values, kept whatever happens to the page later).
    terms_accepted_at = models.DateTimeField(_("CGV acceptées le"), null=True, blank=True)
    terms_revision = models.PositiveIntegerField(
        _("révision des CGV acceptée"), null=True, blank=True, help_text=_("Révision Wagtail.")
    )
    terms_published_at = models.DateTimeField(
        _("CGV acceptées : version publiée le"), null=True, blank=True
    )
    terms_url = models.CharField(_("adresse des CGV acceptées"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "attempt"], name="one_payment_per_enrolment_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_title} · {self.user} · {self.get_status_display()}"

    @property
    def amount_display(self) -> str:
        return money(self.amount_cents, self.currency)

    @property
    def refundable_cents(self) -> int:
        """What Stripe may still refund, as far as its webhooks told us."""
        if self.status not in PAYMENT_CAPTURED_STATUSES:
            return 0
        return max(self.amount_cents - self.amount_refunded_cents, 0)


class StripeEvent(models.Model):
    """A Stripe webhook event, stored in the same transaction as its effect: applied once.

    Permanent (PostgreSQL refuses UPDATE and DELETE): only `outcome` changes, written once the
    event is applied (or applied later, for a refund received before its payment); the payload
    (which names the customer) is rewritten only by a GDPR erasure. A signed event of an
    unexpected shape is stored once, already ignored, with `ignored_reason` (never changed).
    """

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    # The payment intent a charge or refund event is about: a refund received before its
    # payment is kept here and applied when the payment is confirmed; a refund's failure is
    # found here by a charge event that comes after it.
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    outcome = models.CharField(max_length=50, blank=True)
    ignored_reason = models.CharField(_("motif de l'abandon"), max_length=500, blank=True)
    payload = models.JSONField()
    stripe_created = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("évènement Stripe")
        verbose_name_plural = _("évènements Stripe")
        ordering = ["-received_at"]
        triggers = permanent_triggers(allowed=["outcome"], personal=["payload"])

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"


class RefundStatus(models.TextChoices):
    """Where a refund asked by staff stands, as Stripe said."""

    REQUESTED = "requested", _("Demandé à Stripe")
    PENDING = "pending", _("En cours chez Stripe")
    SUCCEEDED = "succeeded", _("Effectué")
    FAILED = "failed", _("Échoué")
    REFUSED = "refused", _("Refusé par Stripe")
    UNREACHABLE = "unreachable", _("Stripe injoignable")


class RefundRequest(NeverDeletedModel):
    """A refund staff asked Stripe for: who, how much, why; Stripe's webhook does the rest."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refund_requests")
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    reason = models.CharField(_("motif"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    stripe_refund_id = models.CharField(max_length=255, blank=True, db_index=True)
    error_message = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(_("demandé le"), auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("demande de remboursement")
        verbose_name_plural = _("demandes de remboursement")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.amount_display} · {self.payment}"

    @property
    def amount_display(self) -> str:
        return money(self.amount_cents, self.payment.currency)

    @property
    def may_send(self) -> bool:
        """Whether it may be sent (again) to Stripe: it never heard back, or nothing answered."""
        return self.status in (RefundStatus.REQUESTED, RefundStatus.UNREACHABLE)


class FundingSource(models.TextChoices):
    """Who pays for a funded enrolment."""

    EMPLOYER = "employer", _("Employeur")
    TRAINING_FUND = "training_fund", _("Opérateur de compétences (OPCO)")
    PUBLIC_BODY = "public_body", _("Organisme public")
    INSTITUT = "institut", _("L'Institut")


class Funding(NeverDeletedModel):
    """Who pays for an enrolment opened by staff without Stripe, and how to invoice them."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="fundings"
    )
    source = models.CharField(_("financement"), max_length=20, choices=FundingSource.choices)
    reference = models.CharField(_("référence du financement"), max_length=100, blank=True)
    payer_name = models.CharField(_("payeur"), max_length=200)
    payer_address = models.TextField(_("adresse de facturation"), blank=True)
    payer_email = models.EmailField(_("e-mail de facturation"), blank=True)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.payer_name}"


class InvoiceSequence(models.Model):
    """The one counter of invoice and credit note numbers; its row is locked to take a number."""

    last_number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("séquence des factures")

    def __str__(self) -> str:
        return str(self.last_number)


class InvoiceKind(models.TextChoices):
    """An invoice, or a credit note that cancels part or all of one."""

    INVOICE = "invoice", _("Facture")
    CREDIT_NOTE = "credit_note", _("Avoir")


# What names or reaches a person on an invoice: kept as issued during the legal retention.
INVOICE_PERSONAL_FIELDS = [
    "trainee_name",
    "buyer_name",
    "buyer_address",
    "buyer_email",
    "buyer_reference",
]


def invoice_upload_to(instance: Invoice, filename: str) -> str:
    # A random name: the file is only served through the owner's download view.
    return f"invoices/{instance.issued_at:%Y}/{uuid.uuid4().hex}.pdf"


class Invoice(PermanentModel):
    """An invoice or credit note, numbered in one continuous sequence; never edited or deleted.

    Permanent (PostgreSQL refuses UPDATE and DELETE): only `pdf` changes, attached once the row
    exists. The buyer's and trainee's names and addresses are kept as issued for the legal
    retention period; only the retention job's erasure, after it, rewrites them.
    """

    kind = models.CharField(_("type"), max_length=20, choices=InvoiceKind.choices)
    sequence = models.PositiveBigIntegerField(unique=True)
    number = models.CharField(_("numéro"), max_length=30, unique=True)
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("facture annulée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.PROTECT, related_name="invoices"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    funding = models.ForeignKey(
        Funding, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stagiaire"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    issued_at = models.DateTimeField(_("émise le"), db_index=True)
    course_key = models.UUIDField(db_index=True)
    course_title = models.CharField(_("formation"), max_length=255)
    trainee_name = models.CharField(_("stagiaire"), max_length=200)
    amount_cents = models.PositiveIntegerField(_("montant (centimes)"))
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    buyer_name = models.CharField(_("client"), max_length=200)
    buyer_address = models.TextField(_("adresse du client"), blank=True)
    buyer_email = models.EmailField(_("e-mail du client"), blank=True)
    buyer_reference = models.CharField(_("référence"), max_length=100, blank=True)
    seller_name = models.CharField(max_length=200)
    seller_address = models.TextField(blank=True)
    seller_siret = models.CharField(max_length=20, blank=True)
    seller_vat_number = models.CharField(max_length=20, blank=True)
    seller_training_body_number = models.CharField(max_length=20, blank=True)
    vat_mention = models.CharField(max_length=255, blank=True)
    # The Stripe refund a credit note gives back, when known: one credit note per refund.
    stripe_refund_id = models.CharField(max_length=255, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=invoice_upload_to, blank=True)

    # Once issued, only the rendered PDF may be attached; the figures never change.
    fill_once_fields = frozenset({"pdf"})

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_refund_id"],
                condition=models.Q(kind="credit_note") & ~models.Q(stripe_refund_id=""),
                name="one_credit_note_per_stripe_refund",
            )
        ]
        triggers = permanent_triggers(allowed=["pdf"], personal=INVOICE_PERSONAL_FIELDS)

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def amount_display(self) -> str:
        """The amount in the current language; negative for a credit note."""
        cents = -self.amount_cents if self.is_credit_note else self.amount_cents
        return money(cents, self.currency)
