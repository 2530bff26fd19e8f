"""Fixtures for the usual cast: trainees, trainers, a committee member, an editor."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP

from institut.roles import Role
from tests.factories import UserFactory

_clock: time_machine.travel | None = None


def pytest_configure(config):
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


@pytest.fixture
def trainee(db):
    return UserFactory(full_name="Camille Martin", roles=[Role.TRAINEE])


@pytest.fixture
def other_trainee(db):
    return UserFactory(full_name="Yanis Benali", roles=[Role.TRAINEE])


@pytest.fixture
def trainer(db):
    return UserFactory(full_name="Hélène Duprè", roles=[Role.TRAINER])


@pytest.fixture
def other_trainer(db):
    return UserFactory(full_name="Marc Olivier", roles=[Role.TRAINER])


@pytest.fixture
def committee_member(db):
    """A committee member who has set up a TOTP authenticator."""
    user = UserFactory(full_name="Jérôme Lefèvre", roles=[Role.COMMITTEE])
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def committee_member_without_mfa(db):
    return UserFactory(full_name="Sans Facteur", roles=[Role.COMMITTEE])


@pytest.fixture
def editor(db):
    user = UserFactory(full_name="Anaïs Roux", roles=[Role.EDITOR])
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite (with a visible reason), and make every transactional
    test restore the rows that migrations created (roles, Wagtail's root page and locales),
    which a transactional test's flush would otherwise remove for the tests after it."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run it")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


_serialized_contents: dict[str, str] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    pytest_runtest_setup(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Keep the serialized test database attached to the connection for serialized rollbacks.

    Playwright's sync API switches contexts, after which Django's (context-local) connection
    object is a new one without the rows serialized at database creation; without this, every
    transactional test after a browser journey would start from an empty database.
    """
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _serialized_contents[alias] = contents
        elif alias in _serialized_contents:
            connection._test_serialized_contents = _serialized_contents[alias]


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


@pytest.fixture(autouse=True)
def _french_first():
    """Every test starts in French, whatever language the previous test's requests activated."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing with PBKDF2 costs ~0.3 s a time; tests do not need that strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
