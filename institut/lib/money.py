"""Amounts of money: integer cents and a currency, written the way a language writes them."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency


def format_money(cents: int, currency: str = "EUR", *, locale: str = "fr") -> str:
    """12000 cents in euros: « 120,00 € » in French, « €120.00 » in English."""
    return format_currency(Decimal(cents) / 100, currency, locale=locale)
