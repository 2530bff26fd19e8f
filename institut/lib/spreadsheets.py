"""Cells of the CSV files the platform hands over, which people open in a spreadsheet program."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import get_decimal_symbol

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """`value` as a spreadsheet shows it as text, never runs it as a formula: text that starts
    like a formula gets a leading apostrophe; numbers and everything else are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def spreadsheet_number(
    value: Decimal | float | int | None, *, locale: str, places: int | None = None
) -> str:
    """A number as a spreadsheet program in `locale` reads it from a CSV file: with the
    language's decimal separator (« 17,50 » in French, "17.50" in English) and no grouping of
    thousands; `places` decimals when given; None is an empty cell."""
    if value is None:
        return ""
    if places is not None:
        text = f"{value:.{places}f}"
    elif isinstance(value, Decimal):
        text = format(value, "f")  # never an exponent (« 1E+1 »)
    else:
        text = str(value)
    return text.replace(".", get_decimal_symbol(locale))
