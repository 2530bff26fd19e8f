"""Version keys of the cache: what is kept under a version is read only while the version holds.

A write bumps the version (`bump`, or `bump_now_and_on_commit` inside a transaction): whatever
was kept under the old value is unreachable, without deleting it. A version never set, or
evicted, gets a value never used before (`version_values`). Used by the person's cache
(institut/person_cache.py) and the personal pages (institut/personal_pages.py).
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# The certification rules' version (scheme, charter): totals and pages that count them.
RULES_VERSION_KEY = "records-rules:version"


def version_values(found: dict, keys: list[str]) -> tuple:
    """The values of `keys` in `found` (a get_many), a new one for each key missing there."""
    missing = [key for key in keys if found.get(key) is None]
    if missing:  # first use, or evicted: a value never used before
        for key in missing:
            cache.add(key, time.time_ns(), None)
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key) for key in keys)


def bump(key: str, note: object = None) -> None:
    """A new value for this version key: what was kept under the old one is unreachable (one
    round trip, where incr takes two). `note`: what the write was, kept in the version itself
    as (time, note) for whoever reads the version (e.g. the person's last visit)."""
    value = time.time_ns() if note is None else (time.time_ns(), note)
    try:
        cache.set(key, value, None)
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)


def bump_now_and_on_commit(key: str, note: object = None) -> None:
    """bump() now, and again after the commit (inside a transaction): what a request read while
    the write was under way is not kept under the new value."""
    bump(key, note)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: bump(key, note))
