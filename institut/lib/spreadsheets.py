"""Cells of the CSV files the platform hands over, which people open in a spreadsheet program."""

from __future__ import annotations

# A cell starting with one of these is read as a formula by spreadsheet programs (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """`value` as a spreadsheet shows it as text, never runs it as a formula: text that starts
    like a formula gets a leading apostrophe; numbers and everything else are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
