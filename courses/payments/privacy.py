"""What payments hold about a person: payments, fundings, invoices and credit notes, Stripe events
(exported, pseudonymised, and the invoices' legal retention, for institut.privacy)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from courses.payments.models import (
    INVOICE_PERSONAL_FIELDS,
    Funding,
    Invoice,
    Payment,
    RefundRequest,
    StripeEvent,
)
from institut.models import User
from institut.privacy import File, Notice, Provider, Table, table


class PaymentsData(Provider):
    """Money: invoices are kept as issued for the legal period, then pseudonymised."""

    key = "paiements"
    label = _("Paiements et factures")
    order = 15

    def tables(self, user) -> list[Table]:
        return [
            table(
                "paiements",
                _("Paiements"),
                Payment.objects.filter(user=user).order_by("created", "pk"),
                [
                    "course_title",
                    "status",
                    "amount_cents",
                    "amount_refunded_cents",
                    "currency",
                    "created",
                    "paid_at",
                ],
            ),
            table(
                "remboursements",
                _("Remboursements demandés"),
                RefundRequest.objects.filter(payment__user=user).order_by("created", "pk"),
                ["amount_cents", "reason", "status", "created"],
            ),
            table(
                "financements",
                _("Financements"),
                Funding.objects.filter(enrolment__user=user).order_by("created", "pk"),
                ["source", "reference", "payer_name", "amount_cents", "currency", "created"],
            ),
            table(
                "factures",
                _("Factures et avoirs"),
                Invoice.objects.filter(user=user).order_by("sequence"),
                [
                    "number",
                    "kind",
                    "issued_at",
                    "course_title",
                    "trainee_name",
                    "amount_cents",
                    "currency",
                    "buyer_name",
                    "buyer_address",
                    "buyer_email",
                ],
            ),
        ]

    def files(self, user) -> list[File]:
        return [
            File(f"fichiers/factures/{invoice.number}.pdf", invoice.pdf, str(invoice))
            for invoice in Invoice.objects.filter(user=user).exclude(pdf="")
        ]

    def notices(self, user) -> list[Notice]:
        if not Invoice.objects.filter(user=user).exists():
            return []
        return [
            Notice(
                _(
                    "Vos factures et avoirs sont conservés tels qu'ils ont été émis, avec le nom "
                    "et l'adresse qui y figurent, pendant %(years)s ans (obligation comptable), "
                    "puis anonymisés."
                )
                % {"years": settings.INVOICE_RETENTION_YEARS}
            )
        ]

    def erase(self, user, erasure) -> None:
        # Invoices stay as issued (legal retention); Stripe's copy of the customer loses them.
        erasure.scrub(StripeEvent.objects.all(), "payload")
        erasure.scrub(RefundRequest.objects.filter(payment__user=user), "reason", "error_message")

    def apply_retention(self, *, now: datetime.datetime) -> dict[str, int]:
        """Invoices of erased people, past the legal period, lose the names and the PDF."""
        from institut.privacy.erasure import erase_retained

        limit = now - datetime.timedelta(days=round(365.25 * settings.INVOICE_RETENTION_YEARS))
        named = Q(pk__in=[])
        for name in INVOICE_PERSONAL_FIELDS:
            named |= ~Q(**{name: ""})
        due = Invoice.objects.filter(user__erased_at__isnull=False, issued_at__lt=limit).filter(
            named | ~Q(pdf="")
        )
        done = 0
        for user in User.objects.filter(pk__in=due.values("user_id")):

            def pseudonymise(erasure, user=user):
                invoices = due.filter(user=user)
                erasure.delete_files(invoice.pdf for invoice in invoices.exclude(pdf=""))
                return erasure.rewrite(
                    invoices, pdf="", **dict.fromkeys(INVOICE_PERSONAL_FIELDS, "")
                )

            counts = erase_retained(user=user, erase=pseudonymise)
            done += sum(counts.values())
        return {"factures anonymisées après la durée légale": done}
