"""Browser journeys: Playwright for Python driving Debian's Chromium against a live server.

Fixtures for journey tests (mark them `@pytest.mark.browser` and
`@pytest.mark.django_db(transaction=True)`):

- `page`: a Playwright page (from pytest-playwright) in Debian's /usr/bin/chromium;
- `live_server`: pytest-django's server; `live_server.url` is its base URL;
- `demo`: the demo accounts and home pages (institut.demo + home.demo), keyed by role
  ("trainee", "trainer", "committee", "editor", "admin"); password `DEMO_PASSWORD`;
- `login(page, email)`: signs in through the real login form, and, for the accounts that have
  the demo authenticator (trainers, committee, editors, staff), enters its current code.

Run them alone with `make test-browser`; they are skipped, with the reason shown, when
/usr/bin/chromium is missing (`apt-get install chromium`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from institut.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: apt-get install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def demo(transactional_db):
    from home import demo as home_demo
    from institut import demo as institut_demo

    cast = institut_demo.create_accounts()
    home_demo.create_site()
    return cast


@pytest.fixture
def login(live_server):
    def _login(page, email: str, password: str = DEMO_PASSWORD, language: str = "fr") -> None:
        prefix = "" if language == "fr" else f"/{language}"
        page.goto(f"{live_server.url}{prefix}/comptes/login/")
        page.get_by_label("E-mail" if language == "fr" else "Email").fill(email)
        page.locator("input[name=password]").fill(password)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
        pass_second_factor(page, email)

    return _login


def pass_second_factor(page, email: str) -> None:
    """The demo authenticator's code, where the account is asked for one; twice at most: a
    code may expire between reading it and the server checking it."""
    for _attempt in range(2):
        if "/2fa/authenticate/" not in page.url:
            break
        page.locator("input[name=code]").fill(totp_code(email))
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()


def totp_code(email: str) -> str:
    """The demo authenticator's current code, usable again by this account (a journey may sign
    in twice within the code's 30 seconds; allauth refuses a code already used)."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from django.core.cache import cache

    from institut.demo import DEMO_TOTP_SECRET
    from institut.models import User

    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, next(yield_hotp_counters_from_time())))
    user_id = User.objects.get(email=email).pk
    cache.delete(f"allauth.mfa.totp.used?user={user_id}&code={code}")
    return code
