"""What signed-in pages read on every request, kept in the cache until a write changes it.

Three kinds of entries (issue 16):

- per person, cleared by that person's own writes (roles, lessons done): `cached(key, compute)`
  reads or computes, `forget(key)` clears now and again after the commit (so that a request that
  read the old rows while the write was under way cannot keep them);
- totals derived from a person's records (practice, supervision, courses completed, charter):
  `from_records(user_id, name, compute)`, kept under the person's records version, which any
  write of one of their records bumps (`forget_records`), and the rules' version (scheme,
  charter). They are used only inside `for_display()` (the pages that show them); everywhere
  else, and where a total decides something (an application, a grant), they are computed from
  the records;
- per publish, shared by everyone (a course's outline): keyed by the site's page-cache version
  (institut/page_cache.py), which every publication, move or deletion bumps.

Entries live `PERSONAL_CACHE_SECONDS` at most, which bounds any staleness a race could leave.
When the cache is down, values are computed as if nothing were cached: no page fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from institut import personal_pages
from institut.cache_versions import RULES_VERSION_KEY, bump_now_and_on_commit, version_values
from institut.lib.request_memo import forget as forget_memoised
from institut.lib.request_memo import forget_all as forget_memoised_all
from institut.lib.request_memo import memoised

logger = logging.getLogger(__name__)

T = TypeVar("T")

_MISSING = object()


# An entry read just now together with another one (the person, with their session): the next
# cached() of that key uses it instead of asking the cache again, once.
_prefetched: ContextVar[tuple[str, object] | None] = ContextVar(
    "person_cache_prefetched", default=None
)


def prefetch(key: str | None, value: object = None) -> None:
    """`value` was read from the cache under `key` a moment ago: the next cached(key) in this
    thread uses it, once (institut.sessions). prefetch(None) forgets it."""
    _prefetched.set(None if key is None else (key, value))


def _read(key: str):
    found = _prefetched.get()
    if found is not None and found[0] == key:
        _prefetched.set(None)
        return found[1]
    return cache.get(key, _MISSING)


def cached(key: str, compute: Callable[[], T], *, seconds: int | None = None) -> T:
    """The value kept under `key`, else compute() (and keep it)."""
    seconds = settings.PERSONAL_CACHE_SECONDS if seconds is None else seconds
    if not seconds:
        return compute()
    try:
        value = _read(key)
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    if value is None:
        return value  # never kept: "not found" may change without any signal
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)
    return value


def cached_many(keys: list[str]) -> dict:
    """The entries found among `keys` ({} when the cache is down or off)."""
    if not settings.PERSONAL_CACHE_SECONDS:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)
        return {}


def keep_many(values: dict, *, seconds: int | None = None) -> None:
    """Keep these entries (nothing when the cache is down or off)."""
    seconds = settings.PERSONAL_CACHE_SECONDS if seconds is None else seconds
    if not seconds or not values:
        return
    try:
        cache.set_many(values, seconds)
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)


def _delete(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)


def forget(*keys: str) -> None:
    """Clear these entries now, and again once the current transaction commits."""
    keys = [key for key in keys if key]
    if not keys:
        return
    _delete(keys)
    transaction.on_commit(lambda: _delete(keys))


# --- Totals derived from a person's records -----------------------------------------------------

_display: ContextVar[bool] = ContextVar("person_cache_display", default=False)


@contextmanager
def for_display() -> Iterator[None]:
    """Inside this block, from_records() may answer from the cache (pages that only show)."""
    token = _display.set(True)
    try:
        yield
    finally:
        _display.reset(token)


def _records_version_key(user_id) -> str:
    return f"person:{user_id}:records-version"


def from_records(user_id, name: str, compute: Callable[[], T]) -> T:
    """compute(), or its value kept since the person's records and the rules last changed."""
    if not (_display.get() and settings.PERSONAL_CACHE_SECONDS):
        return compute()
    try:
        person, rules = memoised(("person_cache.versions", user_id), lambda: _versions(user_id))
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)
        return compute()
    return cached(f"person:{user_id}:records:{person}:{rules}:{name}", compute)


def _versions(user_id) -> tuple[int, int]:
    """The person's records version and the rules' (one round trip; read once per request)."""
    version_key = _records_version_key(user_id)
    keys = [version_key, RULES_VERSION_KEY]
    return version_values(cache.get_many(keys), keys)


def from_rules(name: str, compute: Callable[[], T]) -> T:
    """compute(), or its value kept since the certification rules last changed (display only)."""
    if not (_display.get() and settings.PERSONAL_CACHE_SECONDS):
        return compute()
    try:
        rules = memoised(
            ("person_cache.rules",),
            lambda: version_values(cache.get_many([RULES_VERSION_KEY]), [RULES_VERSION_KEY])[0],
        )
    except Exception:
        logger.warning("Personal cache unavailable", exc_info=True)
        return compute()
    return cached(f"records-rules:{rules}:{name}", compute)


def forget_records(*user_ids) -> None:
    """One of these people's records changed: their totals are read again from the records."""
    for user_id in {user_id for user_id in user_ids if user_id}:
        forget_memoised(("person_cache.versions", user_id))
        bump_now_and_on_commit(_records_version_key(user_id))
    personal_pages.forget_person(*user_ids)


def forget_rules() -> None:
    """The certification rules changed (scheme, charter): everyone's totals are read again."""
    forget_memoised_all("person_cache.versions")
    forget_memoised(("person_cache.rules",))
    bump_now_and_on_commit(RULES_VERSION_KEY)  # also a version of every personal page


def forget_records_on_save(model, *person_fields: str) -> None:
    """Connect post_save and post_delete of `model` to forget_records(instance.<field>)."""
    from django.db.models import signals

    def receiver(sender, instance, **kwargs):
        forget_records(*(getattr(instance, field) for field in person_fields))

    for signal in (signals.post_save, signals.post_delete):
        signal.connect(
            receiver,
            sender=model,
            weak=False,
            dispatch_uid=f"person-records-{model._meta.label}-{signal is signals.post_save}",
        )


# --- The signed-in person and their roles -------------------------------------------------------


def user_key(user_id) -> str:
    return f"person:{user_id}:user"


def forget_user(*user_ids) -> None:
    """The person (and their roles) will be read again from the database."""
    forget(*(user_key(user_id) for user_id in user_ids))
    personal_pages.forget_person(*user_ids)


def _user_changed(sender, instance, **kwargs):
    forget_user(instance.pk)


def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """user.groups.add(...) (forward) or group.user_set.add(...) (reverse)."""
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:
        forget_user(instance.pk)
    elif action == "pre_clear":
        forget_user(*instance.user_set.values_list("pk", flat=True))
    elif pk_set:
        forget_user(*pk_set)


def _group_changed(sender, instance, **kwargs):
    if instance.pk:
        forget_user(*instance.user_set.values_list("pk", flat=True))


def connect_signals() -> None:
    """Clear a person's cached copy when they, their roles or a role group change."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import signals

    user_model = get_user_model()
    signals.post_save.connect(_user_changed, sender=user_model, dispatch_uid="person-cache-user")
    signals.post_delete.connect(_user_changed, sender=user_model, dispatch_uid="person-cache-del")
    signals.m2m_changed.connect(
        _roles_changed, sender=user_model.groups.through, dispatch_uid="person-cache-roles"
    )
    signals.post_save.connect(_group_changed, sender=Group, dispatch_uid="person-cache-group")
    signals.pre_delete.connect(_group_changed, sender=Group, dispatch_uid="person-cache-group-del")
