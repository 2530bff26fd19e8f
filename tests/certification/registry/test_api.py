"""The JSON verification API: public facts, 404 JSON, CORS, the OpenAPI schema, no 500 ever."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from certification.models import CertificateStatus
from tests.certification.registry.helpers import PRIVATE_REASON, practitioner


def test_it_returns_the_public_facts_of_a_certificate(client, scheme):
    certificate, _profile = practitioner(
        "Noël Çelik", scheme=scheme, status=CertificateStatus.SUSPENDED, listed=False
    )

    response = client.get(f"/api/v1/certificates/{certificate.number.lower()}")

    assert response.status_code == 200
    data = response.json()
    assert data["number"] == certificate.number
    assert data["holder_name"] == "Noël Çelik"
    assert data["status"] == "suspended"
    assert data["status_label"] == "suspendu"
    assert data["public_reason_label"] == "Supervision insuffisante"
    assert data["is_valid"] is False
    assert data["verification_url"].endswith(f"/registre/verifier/{certificate.number}/")
    body = response.content.decode()
    assert PRIVATE_REASON not in body
    assert certificate.holder.email not in body


def test_it_allows_cross_origin_reads(client, scheme):
    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)

    found = client.get(f"/api/v1/certificates/{certificate.number}")
    missing = client.get("/api/v1/certificates/nope")

    assert found["Access-Control-Allow-Origin"] == "*"
    assert missing["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("number", ["TST-2026-ZZZZZZ", "..%2F..%2F", "x" * 500, "%F0%9F%98%80"])
def test_it_answers_404_json_for_unknown_or_malformed_numbers(client, db, number):
    response = client.get(f"/api/v1/certificates/{number}")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "Aucun certificat" in response.json()["detail"]


def test_it_answers_429_json_over_the_rate_limit(client, db, settings):
    settings.REGISTRY_RATE_LIMIT = "2/m"

    statuses = [client.get("/api/v1/certificates/TST-2026-ZZZZZZ").status_code for _ in range(3)]
    response = client.get("/api/v1/certificates/TST-2026-ZZZZZZ")

    assert statuses == [404, 404, 429]
    assert response.json()["detail"].startswith("Trop de demandes")


def test_it_serves_a_valid_openapi_schema(client, db):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")

    schema = json.loads(response.content)
    assert response.status_code == 200
    assert "/api/v1/certificates/{number}" in schema["paths"]
    validate(schema)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=600))
def test_it_never_answers_500_whatever_the_number(client, settings, text):
    settings.REGISTRY_RATE_LIMIT = "100000/m"

    response = client.get("/api/v1/certificates/" + quote(text, safe=""))

    assert response.status_code in (200, 404), (text, response.status_code)
    assert response["Content-Type"].startswith("application/json"), text


def test_it_answers_a_repeated_anonymous_call_from_the_cache(client, scheme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)
    url = f"/api/v1/certificates/{certificate.number}"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second.json() == first.json()
    assert len(queries) == 0
    assert second["Access-Control-Allow-Origin"] == "*"


def test_it_shows_a_status_change_at_once_despite_the_cache(client, scheme, committee_member):
    from django.utils import timezone

    from certification.models import PublicReason
    from certification.services import certificate_change_status

    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)
    url = f"/api/v1/certificates/{certificate.number}"
    assert client.get(url).json()["status"] == "active"
    certificate_change_status(
        certificate=certificate,
        to_status=CertificateStatus.SUSPENDED,
        actor=committee_member,
        reason="Supervision interrompue depuis six mois.",
        public_reason=PublicReason.SUPERVISION,
        effective_on=timezone.localdate(),
    )
    assert client.get(url).json()["status"] == "suspended"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/certificates/TST-2026-7K3M9Q%0A",
        "/api/v1/certificates/%0A",
        "/api/v1/certificates/",
        "/api/v1/certificates",
        "/api/v1/",
        "/api/v1/nothing/here",
        "/api/v1/certificates/TST-2026-7K3M9Q%0D%0AX-Injected:%201",
    ],
)
def test_it_answers_json_404_for_paths_its_converter_refuses(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_answers_json_405_to_other_methods(client, scheme, method):
    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)

    response = getattr(client, method)(f"/api/v1/certificates/{certificate.number}")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "GET" in response.json()["detail"]
    assert "GET" in response["Allow"]


def test_it_answers_json_500_when_the_api_itself_fails(client, db, monkeypatch):
    from certification.registry import selectors as registry_selectors

    def broken(number):
        raise RuntimeError("database gone")

    monkeypatch.setattr(registry_selectors, "public_certificate", broken)

    response = client.get("/api/v1/certificates/TST-2026-7K3M9Q")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "database gone" not in response.content.decode()


def test_it_answers_a_200_kb_number_with_a_json_404(client, db):
    response = client.get("/api/v1/certificates/" + "7" * 200_000)

    assert response.status_code == 404
    assert "Aucun certificat" in response.json()["detail"]


# --- The docs page ----------------------------------------------------------------------------


def test_it_serves_the_docs_page_with_swagger_ui_from_the_site_itself(client):
    from django.contrib.staticfiles import finders

    response = client.get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert '"validatorUrl": null' in html
    assert "<script>" not in html  # nothing inline for the policy to refuse
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert finders.find(f"ninja/{asset}"), asset


def test_it_links_the_docs_from_the_footer_of_every_page(client, db):
    assert 'href="/api/v1/docs"' in client.get("/registre/").content.decode()
