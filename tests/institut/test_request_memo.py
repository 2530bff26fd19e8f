"""The request memo: one computation per key inside a scope, none kept outside it."""

from __future__ import annotations

from institut.lib.request_memo import memoised, remember, request_memo


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_it_computes_once_per_key_inside_a_scope():
    calls, compute = counter()
    with request_memo():
        assert memoised("k", compute) == 1
        assert memoised("k", compute) == 1
    assert len(calls) == 1


def test_it_computes_every_time_outside_a_scope():
    calls, compute = counter()
    memoised("k", compute)
    memoised("k", compute)
    assert len(calls) == 2


def test_it_forgets_everything_when_the_scope_ends():
    calls, compute = counter()
    with request_memo():
        memoised("k", compute)
    with request_memo():
        memoised("k", compute)
    assert len(calls) == 2


def test_it_uses_a_remembered_value_and_ignores_one_outside_a_scope():
    calls, compute = counter()
    remember("k", 41)
    with request_memo():
        remember("k", 42)
        assert memoised("k", compute) == 42
    assert calls == []
