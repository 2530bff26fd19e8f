"""Row locks need a transaction: `select_for_update()` in autocommit locks nothing (the lock ends
with its own statement). Helpers that lock for their caller call `require_atomic()` first.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.transaction import TransactionManagementError


def require_atomic(what: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse to go on outside an atomic block, where a row lock would end at once."""
    if not transaction.get_connection(using).in_atomic_block:
        raise TransactionManagementError(
            f"{what} locks rows for its caller: call it inside transaction.atomic()."
        )
