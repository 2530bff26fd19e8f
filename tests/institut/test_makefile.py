"""`make run PORT=…` serves the site and tells it where: the links of e-mails and PDFs follow."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def planned_commands(*args: str, **env: str) -> str:
    """What `make` would run (`-n`: nothing is run)."""
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | env
    return subprocess.run(
        ["make", "-n", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout


def test_it_gives_the_server_the_address_it_serves_as_site_url():
    commands = planned_commands("run", "HOST=127.0.0.1", "PORT=8123")

    assert (
        'SITE_URL="http://127.0.0.1:8123" .venv/bin/python manage.py runserver 127.0.0.1:8123'
        in (commands)
    )
    assert 'SITE_URL="http://127.0.0.1:8123" .venv/bin/python manage.py seed_demo' in commands


def test_it_keeps_a_site_url_set_in_the_environment():
    commands = planned_commands("run", "PORT=8123", SITE_URL="https://formation.example.org")

    assert 'SITE_URL="https://formation.example.org" .venv/bin/python manage.py runserver' in (
        commands
    )
