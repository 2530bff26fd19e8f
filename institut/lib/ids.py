"""Row ids typed or posted as text."""

from __future__ import annotations

BIGINT_MAX = 2**63 - 1


def parse_id(text: object) -> int | None:
    """The positive id `text` spells in ASCII digits, or None.

    `str.isdigit` also accepts « ² » or an Arabic-Indic digit, which `int` then refuses or
    reads, and a number past PostgreSQL's bigint; neither is an id.
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= BIGINT_MAX else None
