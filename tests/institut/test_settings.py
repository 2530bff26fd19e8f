"""Start-up under various environments, each in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_stops_with_a_message_naming_a_bad_variable():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr
    assert "maybe" in result.stderr


def test_it_refuses_production_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_starts_with_development_defaults():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3y-" + "x9Qz" * 16,
    "DJANGO_ALLOWED_HOSTS": "formation.institut-charlesrojzman.fr",
    "SITE_URL": "https://formation.institut-charlesrojzman.fr",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/institut"),
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2",
    # A throwaway Ed25519 key (python manage.py credentials_keygen), only for this check.
    "CREDENTIALS_SIGNING_KEY": "z3u2i2AX68uysewEUZYZeePGVmTk1vhQFCSQKGaeEEP3hk5d",
}


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the deploy check runs against PostgreSQL: set DATABASE_URL=postgres://…",
)
def test_it_passes_the_deploy_check_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the deploy check runs against PostgreSQL: set DATABASE_URL=postgres://…",
)
def test_it_warns_in_the_deploy_check_when_no_credential_key_is_set():
    production = {**PRODUCTION, "CREDENTIALS_SIGNING_KEY": ""}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode != 0
    assert "credentials.W001" in result.stdout + result.stderr


def test_it_stops_with_a_message_naming_a_bad_credential_key():
    result = run_manage("check", CREDENTIALS_SIGNING_KEY="not-a-key")
    assert result.returncode != 0
    assert "CREDENTIALS_SIGNING_KEY" in result.stdout + result.stderr


def test_it_reads_the_admins_who_get_the_server_errors():
    shown = "from django.conf import settings; print(settings.ADMINS)"
    result = run_manage("shell", "-c", shown, DJANGO_ADMINS="a@x.fr, b@y.org")
    assert result.returncode == 0, result.stderr
    # The last line: the shell may first say what it imported.
    admins = result.stdout.strip().splitlines()[-1]
    assert admins == "[('a@x.fr', 'a@x.fr'), ('b@y.org', 'b@y.org')]"
    assert run_manage("shell", "-c", shown).stdout.strip().splitlines()[-1] == "[]"


def test_it_stops_with_a_message_naming_a_bad_admin_address():
    result = run_manage("check", DJANGO_ADMINS="exploitation")
    assert result.returncode != 0
    assert "DJANGO_ADMINS='exploitation'" in result.stderr
