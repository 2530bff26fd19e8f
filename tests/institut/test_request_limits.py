"""Request bodies are capped, and a refused one gets a page that says why, in French."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supervision.logbook.models import PracticeEntry
from tests.supervision.logbook.helpers import form_post

pytestmark = pytest.mark.django_db


def test_it_explains_a_form_over_the_text_limit_with_a_413(client, trainee, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    client.force_login(trainee)

    response = client.post(
        reverse("supervision:logbook_entry_create"), form_post(description="a" * 150_000)
    )

    assert response.status_code == 413
    body = response.content.decode()
    assert "trop volumineux" in body
    assert "97,7\xa0Kio" in body
    assert not PracticeEntry.objects.exists()


def test_it_explains_a_form_with_too_many_fields(client, trainee, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    client.force_login(trainee)
    data = {**form_post(), **{f"extra{n}": "x" for n in range(150)}}

    response = client.post(reverse("supervision:logbook_entry_create"), data)

    assert response.status_code == 400
    assert "trop de champs" in response.content.decode()
    assert not PracticeEntry.objects.exists()


def test_it_refuses_a_body_over_the_request_limit_before_reading_it(client, trainee, settings):
    settings.REQUEST_MAX_BODY_SIZE = 1024 * 1024
    client.force_login(trainee)

    response = client.generic(
        "POST",
        reverse("supervision:logbook_entry_create"),
        b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
    )

    assert response.status_code == 413
    assert "1,0\xa0Mio" in response.content.decode()


def test_it_answers_in_english_on_the_english_site(client, trainee, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    client.force_login(trainee)

    response = client.post(
        "/en" + reverse("supervision:logbook_entry_create"), form_post(description="a" * 150_000)
    )

    assert response.status_code == 413
    assert "too large" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/certification/certificats/TST-2026-%00/",
        "/espace/factures/%00.pdf",
        "/emargement/%00/",
        "/supervision/agenda/a%00b.ics",
        "/registre/verifier/%00/",
    ],
)
def test_it_answers_an_address_with_a_nul_byte_with_a_400_that_says_why(client, trainee, path):
    client.force_login(trainee)

    response = client.get(path)

    assert response.status_code == 400
    assert "caractère" in response.content.decode()


def test_it_leaves_an_api_address_with_a_nul_byte_to_the_api(client):
    response = client.get("/api/v1/certificates/TST-%00", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
