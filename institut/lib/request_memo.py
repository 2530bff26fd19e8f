"""A memo for one request: a read asked for twice with the same key is computed once.

A view opens the scope around the work of one request (``with request_memo(): ...``); reads that
opt in go through ``memoised(key, compute)``. Outside a scope nothing is memoised, so no value
ever outlives the request that computed it (no cross-request cache, nothing to invalidate).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


@contextmanager
def request_memo() -> Iterator[dict]:
    """Memoise the reads made inside the block; forget them all when it ends."""
    memo: dict = {}
    token = _memo.set(memo)
    try:
        yield memo
    finally:
        _memo.reset(token)


def memoised(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its value from earlier in the same scope; always computed outside one."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(key: Hashable) -> None:
    """Drop a memoised value (a write in this request changed what it was read from)."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


def forget_all(prefix: Hashable) -> None:
    """Drop every memoised value whose key is a tuple starting with `prefix`."""
    memo = _memo.get()
    if memo is not None:
        for key in [k for k in memo if isinstance(k, tuple) and k and k[0] == prefix]:
            del memo[key]


def remember(key: Hashable, value: T) -> T:
    """Record a value already known (e.g. read by a wider query) for later reads in the scope."""
    memo = _memo.get()
    if memo is not None:
        memo.setdefault(key, value)
    return value
