"""The JSON API answers in the caller's Accept-Language: its messages, labels and the cache."""

from __future__ import annotations

import json

import pytest

from certification.models import CertificateStatus
from tests.certification.registry.helpers import practitioner, practitioner_of_a_translated_scheme


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en", "No TST® certificate has this number"),
        ("en-GB,en;q=0.9,fr;q=0.5", "No TST® certificate has this number"),
        ("fr", "Aucun certificat TST® ne porte ce numéro"),
        ("", "Aucun certificat TST® ne porte ce numéro"),  # French when none is asked
        ("de", "Aucun certificat TST® ne porte ce numéro"),  # nor one the site speaks
    ],
)
def test_it_answers_an_unknown_number_in_the_callers_language(client, db, accept, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}

    response = client.get("/api/v1/certificates/TST-2026-ZZZZZZ", **headers)

    assert response.status_code == 404
    assert response.json()["detail"].startswith(expected)
    assert "Accept-Language" in response["Vary"]


def test_it_answers_other_errors_in_english_when_asked(client, db):
    missing = client.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="en")
    refused = client.delete("/api/v1/certificates/TST-2026-ZZZZZZ", HTTP_ACCEPT_LANGUAGE="en")

    assert missing.json()["detail"].startswith("This address does not exist in the API")
    assert refused.status_code == 405
    assert refused.json()["detail"].startswith("Method not allowed")
    assert missing["Content-Language"] == refused["Content-Language"] == "en"


def test_it_keeps_each_language_apart_in_the_cache(client, scheme):
    certificate, _profile = practitioner(
        "Noël Çelik", scheme=scheme, status=CertificateStatus.SUSPENDED, listed=False
    )
    url = f"/api/v1/certificates/{certificate.number}"

    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    french_again = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()

    assert french["status_label"] == french_again["status_label"] == "suspendu"
    assert english["status_label"] == "suspended"
    assert english["public_reason_label"] != french["public_reason_label"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en", "Method not allowed: only GET requests are accepted."),
        ("fr", "Méthode non autorisée : seules les requêtes GET sont acceptées."),
    ],
)
def test_it_names_the_accepted_methods_in_a_sentence(client, db, accept, expected):
    refused = client.delete("/api/v1/certificates/TST-2026-ZZZZZZ", HTTP_ACCEPT_LANGUAGE=accept)

    assert refused.status_code == 405
    assert refused["Allow"] == "GET"
    assert refused.json()["detail"] == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en", "Method not allowed: only GET or POST requests are accepted."),
        ("fr", "Méthode non autorisée : seules les requêtes GET ou POST sont acceptées."),
    ],
)
def test_it_joins_several_accepted_methods_with_or(rf, accept, expected):
    from django.http import HttpResponseNotAllowed
    from django.utils import translation

    from certification.registry.api import json_method_not_allowed

    view = json_method_not_allowed(lambda request: HttpResponseNotAllowed(["GET", "POST"]))

    with translation.override(accept):
        refused = view(rf.delete("/api/v1/"))

    assert json.loads(refused.content)["detail"] == expected


def test_it_adds_the_schemes_name_in_the_callers_language_beside_the_issued_name(client, scheme):
    certificate, _profile = practitioner_of_a_translated_scheme("Noël Çelik", scheme=scheme)
    url = f"/api/v1/certificates/{certificate.number}"

    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()

    assert english["scheme_name"] == french["scheme_name"] == "Intervenant·e TST®"
    assert english["scheme_name_label"] == "TST® practitioner"
    assert french["scheme_name_label"] == "Intervenant·e TST®"
