"""Reference numbers that people read aloud and type by hand: TST-2026-7K3M9Q, ATT-2026-4H8JQZ.

A number is a prefix, the year, and a random code from an unambiguous alphabet, so that numbers
cannot be enumerated; a number typed with spaces, dots, dashes or in lowercase is read back.
"""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: a number read aloud or copied by hand stays unambiguous.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
# Longer input is not a number: it is refused before any pattern runs.
MAX_TYPED_LENGTH = 40
# Spaces, dots, underscores and every kind of dash people paste between the parts of a number.
SEPARATORS = re.compile("[\\s\\-_.\u2010\u2011\u2012\u2013\u2014\u2015\u2212]+")


def random_code(length: int = CODE_LENGTH, *, alphabet: str = ALPHABET) -> str:
    """`length` characters drawn at random (secrets) from the alphabet."""
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_reference(prefix: str, year: int) -> str:
    """A fresh number such as TST-2026-7K3M9Q (uniqueness is checked by the caller)."""
    return f"{prefix}-{year}-{random_code()}"


def reference_pattern(prefix: str) -> re.Pattern[str]:
    """The exact written form of a number with this prefix: PREFIX-YYYY-XXXXXX."""
    return re.compile(rf"^{re.escape(prefix)}-\d{{4}}-[{ALPHABET}]{{{CODE_LENGTH}}}$")


def normalise_reference(raw: object, prefix: str) -> str | None:
    """`tst 2026 7k3m9q`, `TST-2026-7K3M9Q` or `tst20267k3m9q` -> `TST-2026-7K3M9Q`; else None."""
    if not isinstance(raw, str) or len(raw) > MAX_TYPED_LENGTH:
        return None
    compact = re.compile(rf"{re.escape(prefix)}([0-9]{{4}})([{ALPHABET}]{{{CODE_LENGTH}}})")
    match = compact.fullmatch(SEPARATORS.sub("", raw.strip()).upper())
    if match is None:
        return None
    year, code = match.groups()
    return f"{prefix}-{year}-{code}"
