"""Text as people search it: one key for « Hélène Dupré », « helene  dupre », « HELENE DUPRE »."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lowercase, accents stripped, spaces collapsed: « Anne-Sophie  d'Aubigné » -> « anne-sophie
    d'aubigne ». Punctuation stays, so the result still reads as the name (slugs, addresses)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Letters that do not decompose (ø, æ, œ, ß, ł, đ) are spelt as people type them.
    stripped = stripped.lower().translate(FOLDED_LETTERS)
    return " ".join(stripped.split())


def search_key(name: str) -> str:
    """A name as the registry searches it: folded, then only its letters and digits, so that
    accents, case, apostrophes, hyphens and the spaces between its parts do not matter
    (« Anne-Sophie d'Aubigné », « anne sophie daubigne » -> « annesophiedaubigne »)."""
    return "".join(char for char in fold(name) if char.isalnum())


def search_words(name: str) -> str:
    """A name as the registry compares it for near matches: folded, its words kept apart and
    reduced to their letters and digits (« Anne-Sophie d'Aubigné » -> « anne sophie d aubigne »),
    so that trigram similarity can tell where each word starts."""
    spaced = "".join(char if char.isalnum() else " " for char in fold(name))
    return " ".join(spaced.split())


def last_word(name: str) -> str:
    """The last word of a name as typed, the usual guess at a family name (« Anne-Sophie
    d'Aubigné » -> « d'Aubigné »); the person corrects it where it is wrong (« Le Bihan »)."""
    words = (name or "").split()
    return words[-1] if words else ""


FOLDED_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "\u0131": "i", "þ": "th"}
)
