"""Fixtures for the usual cast: trainees, trainers, a committee member, an editor."""

from __future__ import annotations

import functools
import io
import os
import re
import sys
from collections.abc import MutableSequence
from contextlib import suppress
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import django.test
import pytest
import time_machine

from institut.roles import Role
from tests.factories import UserFactory

_clock: time_machine.travel | None = None


def pytest_configure(config):
    _own_redis_databases()
    _pin_clock()


def _own_redis_databases() -> None:
    """Under pytest-xdist (`make test` runs one worker per core), each worker process gets Redis
    databases of its own: clearing the cache is a FLUSHDB, and the Celery tests purge their broker
    queue, which would otherwise wipe what the other worker's test is using. Worker gwN uses the
    databases of REDIS_URL and CELERY_BROKER_URL moved up by 2 * (N + 1), in the environment
    (read by the worker processes some tests start) and in the settings already loaded."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    from django.conf import settings
    from django.test.signals import setting_changed

    shift = 2 * (int(worker.removeprefix("gw")) + 1)
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        if not url.startswith(("redis://", "rediss://")):
            continue
        moved = _redis_database_moved(url, shift)
        os.environ[name] = moved
        if name == "REDIS_URL":
            settings.REDIS_URL = moved
            settings.CACHES["default"]["LOCATION"] = moved
            setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)
        else:
            from institut.celery import app

            settings.CELERY_BROKER_URL = moved
            app.conf.broker_url = moved


def _redis_database_moved(url: str, shift: int) -> str:
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + shift
    if database > 15:
        raise pytest.UsageError(f"too many test workers for Redis's 16 databases ({url})")
    return urlunsplit(parts._replace(path=f"/{database}"))


def _pin_clock() -> None:
    """`TEST_NOW=2027-03-01T00:30:00+01:00 make test` runs the whole suite with the clock set to
    that instant (and ticking from it). Every date a test builds is relative to the clock, so the
    suite must pass at any instant: the first minutes of a month, 29 February, New Year's Eve, the
    night the clocks change. Without TEST_NOW the suite runs at the real time."""
    global _clock
    value = os.environ.get("TEST_NOW", "").strip()
    if not value:
        return
    try:
        instant = datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(
            f"TEST_NOW={value!r} is not an ISO 8601 date-time: {error}"
        ) from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"TEST_NOW={value!r} needs a UTC offset, e.g. +01:00")
    _clock = time_machine.travel(instant, tick=True)
    _clock.start()


def pytest_unconfigure(config):
    if _clock is not None:
        _clock.stop()


def pytest_report_header(config):
    if _clock is not None:
        return f"clock: TEST_NOW={os.environ['TEST_NOW']}"
    return None


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def complete_second_factor(client, user) -> None:
    """Record in the client's session what allauth records when a login or reauthentication
    completes a second factor (the person's TOTP), as the privileged views require: the same
    records, written by allauth's own `record_authentication`."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    request = django.test.RequestFactory().get("/")
    request.session = client.session
    authenticator = Authenticator.objects.filter(user=user).exclude(type="recovery_codes").first()
    record_authentication(request, user, "password", email=user.email)
    record_authentication(
        request,
        user,
        "mfa",
        id=authenticator.pk if authenticator else None,
        type=authenticator.type if authenticator else "totp",
    )
    request.session.save()


class Client(django.test.Client):
    """Django's test client, whose `force_login` signs in as a real login would: a person who
    has an authenticator (TOTP or passkey) also completed it in the session. Pass
    `second_factor=False` for a session that stopped at the password."""

    def force_login(self, user, backend=None, *, second_factor: bool = True):
        from allauth.mfa.models import Authenticator

        super().force_login(user, backend)
        if second_factor and (
            Authenticator.objects.filter(user=user, type__in=("totp", "webauthn")).exists()
        ):
            complete_second_factor(self, user)


@pytest.fixture
def client():
    """pytest-django's `client`, with the second factor of a real login (see `Client`)."""
    return Client()


@pytest.fixture
def trainee(db):
    return UserFactory(full_name="Camille Martin", roles=[Role.TRAINEE])


@pytest.fixture
def other_trainee(db):
    return UserFactory(full_name="Yanis Benali", roles=[Role.TRAINEE])


@pytest.fixture
def trainer(db):
    """A trainer (supervisor) who has set up a TOTP authenticator, as trainers must."""
    return UserFactory(full_name="Hélène Duprè", roles=[Role.TRAINER], second_factor=True)


@pytest.fixture
def other_trainer(db):
    return UserFactory(full_name="Marc Olivier", roles=[Role.TRAINER], second_factor=True)


@pytest.fixture
def committee_member(db):
    """A committee member who has set up a TOTP authenticator."""
    return UserFactory(full_name="Jérôme Lefèvre", roles=[Role.COMMITTEE], second_factor=True)


@pytest.fixture
def committee_member_without_mfa(db):
    return UserFactory(full_name="Sans Facteur", roles=[Role.COMMITTEE])


@pytest.fixture
def editor(db):
    return UserFactory(full_name="Anaïs Roux", roles=[Role.EDITOR], second_factor=True)


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite (with a visible reason), and make every transactional
    test restore the rows that migrations created (roles, Wagtail's root page and locales),
    which a transactional test's flush would otherwise remove for the tests after it.

    A test is transactional by its marker or by a fixture (`transactional_db`, `live_server`):
    both kinds get `serialized_rollback`, which also keeps the flush from running post_migrate
    (whose new content types would clash with the restored ones)."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
        if "browser_name" in getattr(getattr(item, "callspec", None), "params", {}) and (
            "browser" not in item.keywords
        ):
            # A fixture named like one of pytest-playwright's (`page`) made it a browser test:
            # pytest then groups it with the journeys, after their flushes.
            raise pytest.UsageError(
                f"{item.nodeid} is not a browser test but uses a pytest-playwright fixture "
                "(a fixture of its own named `page`?): rename that fixture."
            )
        if item.get_closest_marker("calendar") and not _writes_calendar_mark(str(item.path)):
            # CI's calendar runs collect only the files that write it (.ci/run).
            raise pytest.UsageError(
                f"{item.nodeid} is marked calendar without `pytest.mark.calendar` in its file"
            )
        if not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        args, kwargs = (marker.args, marker.kwargs) if marker else ((), {})
        if "serialized_rollback" not in kwargs:
            kwargs = {**kwargs, "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*args, **kwargs), append=False)


@functools.cache
def _writes_calendar_mark(path: str) -> bool:
    with open(path, encoding="utf-8") as source:
        return re.search(r"mark\.calendar\b", source.read()) is not None


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _is_transactional(item) -> bool:
    """Whether the test runs outside a rolled-back transaction (its end flushes every table)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def _uses_db(item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or "db" in fixtures or _is_transactional(item))


# The rows the migrations wrote, serialized at the test database's creation, by alias.
_serialized_contents: dict[str, str] = {}
# Whether the last test that used the database was transactional, i.e. left every table empty.
_left_flushed = {"value": False}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if _uses_db(item):
        _left_flushed["value"] = _is_transactional(item)


def _serialized_contents_of(connection) -> str:
    try:
        return _serialized_contents[connection.alias]
    except KeyError:
        raise AttributeError("_test_serialized_contents") from None


def _share_serialized_contents(connections) -> None:
    """Let every connection object see the rows serialized at the database's creation.

    Django keeps them on the connection object that created the database, and reads them there
    to restore the rows before a serialized-rollback test (and to keep its closing flush from
    running post_migrate). Connection objects are context-local, and Playwright's sync API runs
    in a greenlet of its own context: the first browser journey after another transactional
    test would find a new connection object without them, and start from an empty database
    (`Group.DoesNotExist`). A property on the backend's class answers for every object.
    """
    for alias in connections:
        connection = connections[alias]
        contents = connection.__dict__.get("_test_serialized_contents")
        if contents is None:
            continue
        _serialized_contents[alias] = contents
        del connection.__dict__["_test_serialized_contents"]
        type(connection)._test_serialized_contents = property(_serialized_contents_of)


# A row each data migration writes (see _missing_migration_rows).
ROLE_GROUPS = [role.value for role in Role]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, left as its migrations made it when the session ends.

    A transactional test ends by flushing every table, and Django puts the migrations' rows
    back only when the next transactional test starts. After the session's last one, the
    database would stay empty, and `--reuse-db` would hand that empty database to every later
    session (no roles: `Group.DoesNotExist` in each test, no Wagtail root page), since it never
    runs the data migrations again. So the rows are put back here, before the database is let go.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        missing = _missing_migration_rows()
    _share_serialized_contents(connections)
    if missing:
        pytest.exit(
            f"The reused test database lacks rows its migrations wrote ({missing}); an older run "
            "left it emptied. Run once with --create-db.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    yield
    if _left_flushed["value"]:
        with django_db_blocker.unblock():
            for alias, contents in _serialized_contents.items():
                connections[alias].creation.deserialize_db_from_string(contents)
        _left_flushed["value"] = False


def _missing_migration_rows() -> str:
    from django.contrib.auth.models import Group
    from wagtail.models import Locale, Page

    if Group.objects.filter(name__in=ROLE_GROUPS).count() < len(ROLE_GROUPS):
        return "role groups"
    if not Page.objects.filter(depth=1).exists() or not Locale.objects.exists():
        return "Wagtail's root page or locales"
    return ""


@pytest.fixture(scope="module")
def seeded_demo(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content (`seed_demo`), loaded once for the module (it takes over a minute) in a
    transaction rolled back after the module's last test; each test runs in a savepoint of its
    own inside it, so what one test changes is gone for the next. Returns what the command
    printed. Every test of such a module sees the demo, whether it asks for it or not."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import translation

    from tests.courses.conftest import _module_is_transaction_free

    if not _module_is_transaction_free(request):
        raise pytest.UsageError(
            f"{request.module.__name__} has a transactional test: its flush would empty the "
            "demo content under the transaction held open for the module (seed it in the test)."
        )
    output = io.StringIO()
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        # The passwords hashed as the tests' own hasher checks them (`_fast_password_hasher`).
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        translation.override("fr"),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=output)
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    try:
        yield output.getvalue()
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Tasks run in-process during tests, even when CELERY_BROKER_URL points at Redis.

    The integration test that starts a real worker switches this off for itself.
    """
    from institut.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = previous


class SentMail(MutableSequence):
    """django.core.mail.outbox, read once the outbox has sent what committed work owes.

    Every e-mail is an outbox row sent after its transaction commits; a test's own transaction
    never commits, so reading this list first sends the rows that are due (those of a rolled
    back savepoint are gone with it), as the commit would have.
    """

    def _sent(self) -> list:
        from django.core import mail

        from institut.outbox.services import emails_send_due

        with suppress(RuntimeError):  # a test without database access owes no e-mail
            emails_send_due()
        return mail.outbox

    def __getitem__(self, index):
        return self._sent()[index]

    def __setitem__(self, index, value):
        self._sent()[index] = value

    def __delitem__(self, index):
        del self._sent()[index]

    def __len__(self) -> int:
        return len(self._sent())

    def insert(self, index, value) -> None:
        self._sent().insert(index, value)

    def clear(self) -> None:
        self._sent().clear()

    def __eq__(self, other) -> bool:
        return list(self._sent()) == list(other)

    def __repr__(self) -> str:
        return repr(self._sent())


@pytest.fixture
def mailoutbox(mailoutbox):
    """pytest-django's mailoutbox, as the e-mails stand after the outbox sent what is owed."""
    return SentMail()


@pytest.fixture(autouse=True)
def _french_first():
    """Every test starts in French, whatever language the previous test's requests activated."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _emails_through_the_outbox(settings):
    """Django's mail API owes e-mails to the outbox, as in production (Django's test runner had
    put its locmem backend in EMAIL_BACKEND); the outbox sends them to django.core.mail.outbox."""
    settings.EMAIL_BACKEND = "institut.outbox.email_backend.OutboxEmailBackend"
    settings.OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with PBKDF2 costs ~0.3 s a time; tests do not need that strength."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def analyze(*models) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk insert, as autovacuum would in a
    real database; without them the planner may believe a table freshly filled by a test is
    still empty and pick plans that are quadratic in its size."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
