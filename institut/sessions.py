"""Sessions read from the cache with the signed-in person: one round trip, not two (issue 16).

Django's `cached_db` engine reads the session from the cache, then the authentication backend
reads the person with their roles (institut.person_cache) in a second round trip, on every
signed-in request. A session belongs to one person for its whole life (signing in under another
name makes a new session key), so once a process has read a session it knows whose it is: the
next time, the session and that person's entry are read together, and the backend is handed the
person's entry (`person_cache.prefetch`) instead of asking the cache again. The entry is the
same one the backend reads, cleared when the person or their roles change: nothing is kept
longer than before. The map of session keys to people holds at most `MAX_KNOWN` sessions (emptied
when full).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db

from institut import person_cache

logger = logging.getLogger(__name__)

MAX_KNOWN = 10_000

# session key -> the id of the person it signs in (as stored in the session)
_people: dict[str, str] = {}


class SessionStore(cached_db.SessionStore):
    """cached_db sessions, read with the person they sign in."""

    def load(self):
        person_cache.prefetch(None)  # nothing read with an earlier request's session
        user_id = _people.get(self.session_key) if self.session_key else None
        if user_id is None or settings.SESSION_CACHE_ALIAS != "default":
            data = super().load()
        else:
            data = self._load_with(person_cache.user_key(user_id))
        user_id = data.get(SESSION_KEY)
        if user_id is not None and self.session_key:
            if len(_people) >= MAX_KNOWN:
                _people.clear()
            _people[self.session_key] = user_id
        return data

    def _load_with(self, user_key: str) -> dict:
        try:
            found = self._cache.get_many([self.cache_key, user_key])
        except Exception:
            logger.warning("Session cache unavailable", exc_info=True)
            found = {}
        data = found.get(self.cache_key)
        if data is None:  # not in the cache: from the database, as cached_db does
            return super().load()
        if user_key in found:
            person_cache.prefetch(user_key, found[user_key])
        return data
