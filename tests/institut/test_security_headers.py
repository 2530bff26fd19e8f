"""Every response carries the Content-Security-Policy and the Permissions-Policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from institut.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


def assert_site_policy(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "https://checkout.stripe.com" in policy["form-action"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    features = response["Permissions-Policy"]
    for off in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert off in features
    assert "publickey-credentials-get=(self)" in features


@pytest.fixture
def server_error(client, monkeypatch):
    from institut import views

    def broken():
        raise RuntimeError("down")

    monkeypatch.setattr(views, "run_checks", broken)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    ("path", "status", "kind"),
    [
        ("/", 200, "text/html"),
        ("/comptes/login/", 200, "text/html"),
        ("/registre/", 200, "text/html"),
        ("/en/registre/", 200, "text/html"),
        ("/health/", 200, "application/json"),
        ("/api/v1/certificates/TST-2026-7K3M9Q", 404, "application/json"),
        ("/api/v1/openapi.json", 200, "application/json"),
        ("/api/v1/docs", 200, "text/html"),
        ("/api/v1/certificates/TST-2026%0A7K3M9Q", 404, "application/json"),
        ("/api/v1/inconnu", 404, "application/json"),
        ("/.well-known/did.json", 200, "application/did+ld+json"),
        ("/page-qui-n-existe-pas/", 404, "text/html"),
        ("/sessions-de-formation/999999/", 404, "text/html"),
        ("/espace/", 302, "text/html"),
    ],
)
def test_it_sends_both_policies_on_every_kind_of_response(client, path, status, kind):
    from home import demo as home_demo

    home_demo.create_site()
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"].startswith(kind)
    assert_site_policy(response)


def test_it_sends_both_policies_on_the_500_page(server_error):
    response = server_error.get("/health/")

    assert response.status_code == 500
    assert_site_policy(response)


def test_it_sends_both_policies_on_a_refused_request(client, settings):
    settings.REQUEST_MAX_BODY_SIZE = 1024 * 1024
    response = client.generic(
        "POST", "/comptes/login/", b"x", content_type="text/plain", CONTENT_LENGTH="9999999"
    )

    assert response.status_code == 413
    assert_site_policy(response)


def test_it_relaxes_the_policy_for_the_admin_only(client):
    admin = UserFactory(is_superuser=True, is_staff=True, roles=[Role.EDITOR], second_factor=True)
    client.force_login(admin)

    admin_page = client.get("/admin/")
    site_page = client.get("/registre/")

    assert admin_page.status_code == 200
    policy = directives(admin_page)
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert_site_policy(site_page)


def test_it_sends_both_policies_on_a_405_page_and_a_405_json(client, trainee):
    client.force_login(trainee)

    page = client.get("/sessions-de-formation/1/choisir/")
    api = client.post("/api/v1/certificates/TST-2026-7K3M9Q")

    assert (page.status_code, api.status_code) == (405, 405)
    assert page["Content-Type"].startswith("text/html")
    assert api["Content-Type"].startswith("application/json")
    assert_site_policy(page)
    assert_site_policy(api)


def test_it_sends_the_admin_policy_on_an_admin_404(client):
    admin = UserFactory(is_superuser=True, is_staff=True, roles=[Role.EDITOR], second_factor=True)
    client.force_login(admin)

    response = client.get("/admin/pages/999999/edit/")

    assert response.status_code == 404
    assert directives(response)["frame-ancestors"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]


def test_it_lets_the_stripe_stand_in_receive_the_checkout_redirect(client, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9999/v1"

    response = client.get("/registre/")

    assert "http://127.0.0.1:9999" in directives(response)["form-action"]


# Templates served as web pages hold no inline script or style (PDF templates are read by
# WeasyPrint only, e-mail templates in templates/email/ by mail programs: no policy governs them).
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")|<style|\sstyle="
)


# Pages written into a download and opened from the person's disk, where no policy applies and
# the site's stylesheet is not at hand: the personal-data export's summary (index.html).
DOWNLOADED_PAGES = {"institut/privacy/export_summary.html"}


def test_no_web_template_holds_an_inline_script_or_style():
    root = Path(django_settings.BASE_DIR) / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if not path.stem.endswith("_pdf")
        and path.relative_to(root).parts[0] != "email"
        and str(path.relative_to(root)) not in DOWNLOADED_PAGES
        and INLINE.search(path.read_text())
    ]
    assert offenders == []


def test_a_downloaded_page_holds_no_script():
    root = Path(django_settings.BASE_DIR) / "templates"
    for name in DOWNLOADED_PAGES:
        assert "<script" not in (root / name).read_text(), name
