"""Each main page of the site, as the person who sees it, loads in Chromium with the
Content-Security-Policy enforced and not one violation reported.

A violation shows twice in the browser: as a console message ("Refused to … because it violates
the following Content Security Policy directive") and as a `securitypolicyviolation` event on
the document; both are listened to, on every page, from before its first script runs.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from certification.models import Certificate
from courses.models import LessonPage
from courses.training.demo import NEXT_TITLE
from courses.training.models import TrainingSession
from tests.browser.conftest import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINEE = "stagiaire@demo.institut.test"
TRAINER = "formatrice@demo.institut.test"
ADMIN = "admin@demo.institut.test"

# Reports each `securitypolicyviolation` event to the test (added before the page's own scripts;
# Playwright's init scripts are not subject to the page's policy).
LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportViolation(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
      `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""


@pytest.fixture
def seeded(demo, settings, tmp_path):
    """The whole demo, as `make seed` loads it (courses, training, supervision, certification)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return demo


@pytest.fixture
def violations(page) -> list[tuple[str, str]]:
    """Every CSP violation the page meets, as (url, text)."""
    violations: list[tuple[str, str]] = []
    page.expose_function("__reportViolation", lambda text: violations.append((page.url, text)))
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and violations.append((page.url, message.text))
        ),
    )
    return violations


def sign_in(page, base: str, email: str) -> None:
    """Through the real form, and the second factor when the account is asked for one."""
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/login/")
    page.get_by_label("E-mail").fill(email)
    page.locator("input[name=password]").fill("demo-tst-2026")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    pass_second_factor(page, email)
    assert "/comptes/login/" not in page.url, f"{email} could not sign in"
    assert "/2fa/authenticate/" not in page.url, f"{email}'s second factor was refused"


def visit(page, url: str, *, admin: bool = False) -> None:
    """Open the page, wait until it is idle, and check it was served under the enforced policy."""
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, f"{url} has no enforced policy: {policy!r}"
    assert "content-security-policy-report-only" not in headers
    assert ("'unsafe-inline'" in policy) is admin, url
    assert "camera=()" in headers.get("permissions-policy", ""), url


def test_no_main_page_meets_a_csp_violation(page, violations, live_server, seeded):
    base = live_server.url
    number = Certificate.objects.get(holder_name="Elif Çelik").number
    lesson = LessonPage.objects.live().get(
        locale__language_code="fr", slug="quand-la-cooperation-se-bloque"
    )
    session = TrainingSession.objects.get(title=NEXT_TITLE)

    # A visitor.
    for path in (
        "/",
        "/formations/",
        "/formations/decouvrir-la-therapie-sociale/",
        "/registre/",
        f"/registre/verifier/{number}/",
        "/comptes/login/",
        "/api/v1/docs",
    ):
        visit(page, base + path)

    # The demo trainee, enrolled in the introduction course and placed in the winter session.
    sign_in(page, base, TRAINEE)
    for path in (
        lesson.url,
        "/espace/",
        f"/sessions-de-formation/{session.pk}/",
        "/carnet-de-pratique/",
        "/certification/",
    ):
        visit(page, base + path)

    # The trainer: supervision and the session's sheet.
    sign_in(page, base, TRAINER)
    for path in ("/supervision/", f"/formation/sessions/{session.pk}/", "/supervision/carnets/"):
        visit(page, base + path)

    # Staff, with the second factor, on the Wagtail admin's dashboard and page explorer.
    sign_in(page, base, ADMIN)
    for path in ("/admin/", "/admin/pages/"):
        visit(page, base + path, admin=True)

    assert violations == []
