"""Whole pages of a signed-in person, kept until anything they may show changes (issue 16).

A view decorated with `personal_page` answers a GET of a signed-in person from the cache when
it made the same page (same person, address, language, CSRF secret) under the same versions:

- the person's version, bumped by any write of a record that names them (lessons done, quiz,
  reflection, enrolment, notifications) and by any change of the person or their roles
  (`person_cache.forget_user`, `forget_records`);
- the shared version, bumped by any other write of the site (a practice entry, a booking, a
  session, a certificate, a scheme, a page...), since another person's pages may show it (a
  trainer's queue, a session's places); writes of sessions and of the e-mail outbox aside;
- the site's page-cache version (publications) and the certification rules' version;
- for pages that show "continue where I left off", the person's visits version.

One `get_many` reads the page and every version. A write bumps now and again after its commit,
so that a page made from rows read while the write was under way is never served. Entries live
`PERSONAL_PAGE_SECONDS` at most, which bounds what a write that sends no signal (an UPDATE of
many rows, the passing of time: "upcoming" sessions) can leave stale.

Never kept nor served: requests other than GET, a person with a message waiting (the messages
framework), and answers that are not a plain 200, that set a cookie, a new CSRF secret, or
change the session. The CSRF secret is part of the key: the page's form tokens, made from it,
stay valid for whoever holds it (and a hit does not renew the cookie's expiry, a page made
does). What a view must still do on every request (a lesson's visit note) is
registered with `on_hit(request, function, *args)`: it runs on every hit.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.module_loading import import_string

from institut.cache_versions import RULES_VERSION_KEY, bump_now_and_on_commit, version_values

logger = logging.getLogger(__name__)

SHARED_VERSION_KEY = "personal-pages:shared"

# Writes that only the people they name can see: they bump those people's version, not the
# shared one (model label -> the fields that name a person). Each app registers its own from
# its AppConfig.ready() (`register_personal_model`).
PERSONAL_MODELS: dict[str, tuple[str, ...]] = {}
# Writes no page shows.
IGNORED_MODELS = {"sessions.Session", "institut.OutboxEmail"}

_SKIPPED_HEADERS = {"set-cookie", "content-length"}


def register_personal_model(label: str, *fields: str) -> None:
    """Writes of this model ("app.Model") show only on the pages of the people its `fields`
    name (e.g. "user_id"): they make those people's pages again, not everyone's."""
    PERSONAL_MODELS[label] = fields


def person_version_key(user_id) -> str:
    return f"person:{user_id}:pages-version"


def visits_version_key(user_id) -> str:
    return f"person:{user_id}:visits-version"


# --- Versions ----------------------------------------------------------------------------------


def forget_person(*user_ids) -> None:
    """These people's pages are made again (their records, roles or details changed)."""
    for user_id in {user_id for user_id in user_ids if user_id}:
        bump_now_and_on_commit(person_version_key(user_id))


def forget_visits(user_id, *, visit=None) -> None:
    """The person's last lesson was written: pages showing "continue" are made again (called
    once the row says so: a page made before is kept under the old version). `visit`: what was
    noted, kept in the version itself (one key, one write), and given back by `last_visit`."""
    bump_now_and_on_commit(visits_version_key(user_id), note=visit)


def forget_shared() -> None:
    """Something any person's page may show changed: every personal page is made again."""
    bump_now_and_on_commit(SHARED_VERSION_KEY)


def _written(sender, instance, **kwargs) -> None:
    label = sender._meta.label
    if label in IGNORED_MODELS or kwargs.get("raw"):
        return
    if label == settings.AUTH_USER_MODEL:
        forget_person(instance.pk)
        return
    fields = PERSONAL_MODELS.get(label)
    if fields is None:
        forget_shared()
    else:
        forget_person(*(getattr(instance, field, None) for field in fields))


def _related(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _written(type(instance), instance)


def connect_signals() -> None:
    """Every write of a model instance bumps a version (the person's, or the shared one)."""
    from django.db.models import signals

    signals.post_save.connect(_written, dispatch_uid="personal-pages-save")
    signals.post_delete.connect(_written, dispatch_uid="personal-pages-delete")
    signals.m2m_changed.connect(_related, dispatch_uid="personal-pages-m2m")


# --- What a kept page does again -------------------------------------------------------------


def on_hit(request: HttpRequest, function: Callable, *args) -> None:
    """Call function(request, *args) whenever this page is served from the cache (what the view
    does on every request besides the page; function is module-level, args are kept with it)."""
    replays = getattr(request, "_personal_page_replays", None)
    if replays is not None:
        replays.append((f"{function.__module__}.{function.__qualname__}", args))


def last_visit(request: HttpRequest):
    """The `visit` the person's last `forget_visits` noted (None if unknown), as read with the
    page being served (no round trip of its own on a kept page)."""
    if hasattr(request, "_personal_page_visits"):
        value = request._personal_page_visits
    else:
        try:
            value = cache.get(visits_version_key(request.user.pk))
        except Exception:
            logger.warning("Personal page cache unavailable", exc_info=True)
            return None
    return value[1] if isinstance(value, tuple) else None


def may_keep(request: HttpRequest) -> None:
    """For views decorated with `personal_page(opt_in=True)`: this answer may be kept (unless
    refused)."""
    if not getattr(request, "_personal_page_refused", False):
        request._personal_page_ok = True


def refuse(request: HttpRequest) -> None:
    """This answer is never kept (a page behind a view restriction: a password in the session)."""
    request._personal_page_refused = True
    request._personal_page_ok = False


# --- The decorator ----------------------------------------------------------------------------


def _messages_waiting(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    try:
        return storage is not None and len(storage) > 0
    except Exception:
        return True


def _usable(request: HttpRequest) -> bool:
    return bool(
        settings.PERSONAL_PAGE_SECONDS
        and request.method == "GET"
        and request.user.is_authenticated
        and not _messages_waiting(request)
    )


def _page_key(request: HttpRequest) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    secret = request.META.get("CSRF_COOKIE") or ""
    identity = "\n".join(
        [request.get_host(), request.get_full_path(), language, secret, request.scheme]
    )
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"personal-page:{request.user.pk}:{digest}"


def _version_keys(request: HttpRequest, visits: bool) -> list[str]:
    from institut.page_cache import site_pages

    user_id = request.user.pk
    keys = [person_version_key(user_id), SHARED_VERSION_KEY, site_pages.version_key]
    keys.append(RULES_VERSION_KEY)
    if visits:
        keys.append(visits_version_key(user_id))
    return keys


def _lookup(request: HttpRequest, visits: bool) -> tuple[HttpResponse | None, str, tuple]:
    key = _page_key(request)
    version_keys = _version_keys(request, visits)
    visits_key = visits_version_key(request.user.pk)
    # The last visit too, for the replays (a lesson's visit note): read in the same round trip.
    extra = [] if visits_key in version_keys else [visits_key]
    found = cache.get_many([key, *version_keys, *extra])
    request._personal_page_visits = found.get(visits_key)
    versions = version_values(found, version_keys)
    entry = found.get(key)
    if entry is None or entry[0] != versions:
        return None, key, versions
    _versions_kept, status, headers, content, replays = entry
    for path, args in replays:
        import_string(path)(request, *args)
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response, key, versions


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    storage = getattr(request, "_messages", None)
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        # A new CSRF secret goes out with this answer: the page's tokens are not the key's.
        and request.META.get("CSRF_COOKIE") == request._personal_page_secret
        and not (session is not None and session.modified)
        and not (storage is not None and getattr(storage, "_queued_messages", None))
    )


def _store(request: HttpRequest, response: HttpResponse, key: str, versions: tuple) -> None:
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if not _storable(request, response):
        return
    if request._personal_page_opt_in and not getattr(request, "_personal_page_ok", False):
        return
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in _SKIPPED_HEADERS
    ]
    replays = request._personal_page_replays
    entry = (versions, response.status_code, headers, response.content, replays)
    try:
        cache.set(key, entry, settings.PERSONAL_PAGE_SECONDS)
    except Exception:
        logger.warning("Personal page cache unavailable", exc_info=True)


def personal_page(view=None, *, visits: bool = False, opt_in: bool = False):
    """Keep what the view answers a signed-in person's GET (see the module's docstring).

    Put it inside the access checks (role_required, login_required), which run on every request.
    `visits=True` for pages that show the lesson opened last; `opt_in=True` keeps only answers
    whose view called `may_keep(request)` (Wagtail's view: lessons only)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _usable(request):
                return view(request, *args, **kwargs)
            try:
                response, key, versions = _lookup(request, visits)
            except Exception:  # the cache is down: the page is made, not kept
                logger.warning("Personal page cache unavailable", exc_info=True)
                return view(request, *args, **kwargs)
            if response is not None:
                return response
            request._personal_page_replays = []
            request._personal_page_opt_in = opt_in
            request._personal_page_secret = request.META.get("CSRF_COOKIE")
            response = view(request, *args, **kwargs)
            _store(request, response, key, versions)
            return response

        return wrapped

    return decorator(view) if view is not None else decorator
