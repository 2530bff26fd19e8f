"""Amounts of money: integer cents and a currency, written the way a language writes them."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency


def format_money(cents: int, currency: str = "EUR", *, locale: str = "fr") -> str:
    """12000 cents in euros: « 120,00 € » in French, « €120.00 » in English."""
    return format_currency(Decimal(cents) / 100, currency, locale=locale)


def cents(euros: Decimal | None) -> int | None:
    """An amount typed in euros (« 240 », « 240,50 »), in integer cents."""
    return None if euros is None else int(euros * 100)


def euros(cents: int | None) -> Decimal | None:
    """Integer cents, as the amount a person types in euros."""
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))
