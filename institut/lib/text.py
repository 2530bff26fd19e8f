"""Text as people search it: one key for « Hélène Dupré », « helene  dupre », « HELENE DUPRE »."""

from __future__ import annotations

import unicodedata


def search_key(name: str) -> str:
    """A name as the registry searches it: lowercase, accents stripped, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Letters that do not decompose (ø, æ, œ, ß, ł, đ) are spelt as people type them.
    stripped = stripped.lower().translate(FOLDED_LETTERS)
    return " ".join(stripped.split())


FOLDED_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "\u0131": "i", "þ": "th"}
)
