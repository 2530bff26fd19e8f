"""A partner's developer opens the API's docs page: Swagger UI runs from the site's own files
under the site's Content-Security-Policy, and shows the verification operation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_api_docs_without_breaking_the_security_policy(page, live_server):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    outside = []
    page.on(
        "request",
        lambda request: request.url.startswith(live_server.url) or outside.append(request.url),
    )

    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.get_by_text("Vérifier un certificat").first).to_be_visible()
    assert problems == []
    assert outside == []
