"""Row ids read from text: ASCII digits within bigint, nothing else."""

from __future__ import annotations

import pytest

from institut.lib.ids import parse_id


@pytest.mark.parametrize(
    ("text", "expected"), [("42", 42), (" 7 ", 7), (str(2**63 - 1), 2**63 - 1)]
)
def test_it_reads_an_id(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "0", "-1", "²", "\u0661\u0662", "1.5", "9" * 30, str(2**63), "\x00", "12a", None, 12],
)
def test_it_reads_nothing_else(text):
    assert parse_id(text) is None
