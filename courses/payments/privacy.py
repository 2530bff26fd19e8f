"""What payments hold about a person: payments, fundings, invoices and credit notes, Stripe events
(exported, pseudonymised, and the invoices' legal retention, for institut.privacy)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from courses.payments.models import (
    INVOICE_PERSONAL_FIELDS,
    Funding,
    Invoice,
    Payment,
    RefundRequest,
    StripeEvent,
)
from courses.privacy import course_titles
from institut.models import User
from institut.privacy import FileSpec, Notice, Provider, TableSpec


class PaymentsData(Provider):
    """Money: invoices are kept as issued for the legal period, then pseudonymised."""

    key = "paiements"
    label = _("Paiements et factures")
    order = 15

    table_specs = (
        TableSpec(
            "paiements",
            _("Paiements"),
            Payment,
            "user",
            [
                "course_title",
                "status",
                "amount_cents",
                "amount_refunded_cents",
                "currency",
                "created",
                "paid_at",
            ],
            order_by=["created", "pk"],
            labels={"course_title": course_titles(saved="course_title")},
        ),
        TableSpec(
            "remboursements",
            _("Remboursements demandés"),
            RefundRequest,
            "payment__user",
            ["amount_cents", "reason", "status", "created"],
            order_by=["created", "pk"],
        ),
        TableSpec(
            "financements",
            _("Financements"),
            Funding,
            "enrolment__user",
            ["source", "reference", "payer_name", "amount_cents", "currency", "created"],
            order_by=["created", "pk"],
        ),
        TableSpec(
            "factures",
            _("Factures et avoirs"),
            Invoice,
            "user",
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
            order_by=["sequence"],
            # A French document: its course as printed on it, not as the course is named now.
        ),
    )
    file_specs = (FileSpec(Invoice, "user", "pdf", "fichiers/factures/{row.number}.pdf"),)

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
        from institut.privacy.erasure import erase_retained, filled

        limit = now - datetime.timedelta(days=round(365.25 * settings.INVOICE_RETENTION_YEARS))
        named = ("pdf", *INVOICE_PERSONAL_FIELDS)
        due = Invoice.objects.filter(user__erased_at__isnull=False, issued_at__lt=limit).filter(
            filled(Invoice, *named)
        )
        done = 0
        for user in User.objects.filter(pk__in=due.values("user_id")):

            def pseudonymise(erasure, user=user):
                return erasure.clear(due.filter(user=user), *named)

            counts = erase_retained(user=user, erase=pseudonymise)
            done += sum(counts.values())
        return {"factures anonymisées après la durée légale": done}
