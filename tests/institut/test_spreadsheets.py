"""CSV cells a spreadsheet program reads as text, never as a formula."""

from __future__ import annotations

import pytest

from institut.lib.spreadsheets import spreadsheet_cell


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x")', "+33 6", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_it_turns_text_that_starts_like_a_formula_into_text(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Camille Martin", "", "a=b", 42, -3, None])
def test_it_leaves_everything_else_as_it_is(value):
    assert spreadsheet_cell(value) == value
