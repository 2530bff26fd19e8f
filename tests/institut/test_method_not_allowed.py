"""An address that only takes a form's POST, opened as a link: a page of the site, in 405."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.supervision.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "Cette adresse ne s'ouvre pas directement"), ("en", "cannot be opened directly")],
)
def test_it_answers_a_get_on_a_post_only_address_with_a_page_of_the_site(
    client, trainee, language, title
):
    session = SessionFactory()
    client.force_login(trainee)
    with translation.override(language):
        url = reverse("supervision:session_book", args=[session.pk])

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert title in page
    assert '<main id="contenu"' in page
    assert f'<html lang="{language}"' in page


def test_it_leaves_the_api_s_json_answer_to_a_wrong_method(client):
    response = client.post("/api/v1/certificates/TST-2026-7K3M9Q")

    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
