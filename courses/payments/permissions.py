"""Who may do what with payments: one function per question, for views, menus and services."""

from __future__ import annotations


def can_manage_fundings(user) -> bool:
    """Staff who may enrol trainees with a funding (no Stripe)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.has_perm("courses.add_funding"))
    )


def can_view_payments(user) -> bool:
    """Staff who may read payments and invoices of every trainee."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.has_perm("courses.view_payment"))
    )


def can_refund_payments(user) -> bool:
    """Staff who may ask Stripe to refund a payment from the admin."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or user.has_perm("courses.add_refundrequest"))
    )
