"""CSV cells a spreadsheet program reads as text, never as a formula."""

from __future__ import annotations

from decimal import Decimal

import pytest

from institut.lib.spreadsheets import spreadsheet_cell, spreadsheet_number


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+33 6", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_it_turns_text_that_starts_like_a_formula_into_text(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Camille Martin", "", "a=b", 42, -3, None])
def test_it_leaves_everything_else_as_it_is(value):
    assert spreadsheet_cell(value) == value


@pytest.mark.parametrize(
    ("value", "places", "french", "english"),
    [
        (Decimal("59.50"), None, "59,50", "59.50"),
        (Decimal("1E+1"), None, "10", "10"),  # never an exponent
        (Decimal("1234.5"), 2, "1234,50", "1234.50"),  # no thousands separator
        (4.33, None, "4,33", "4.33"),
        (12, None, "12", "12"),
        (None, None, "", ""),
    ],
)
def test_it_writes_numbers_with_the_language_s_decimal_separator(value, places, french, english):
    assert spreadsheet_number(value, locale="fr", places=places) == french
    assert spreadsheet_number(value, locale="en", places=places) == english
