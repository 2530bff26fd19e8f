"""A visitor searches the registry for a name typed without its accents, opens the profile, and
goes on to the certificate's verification page by its number (as the QR code would)."""

from __future__ import annotations

import re

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

from certification.models import Certificate
from certification.registry import demo as registry_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        registry_demo.create_demo(demo)
    return demo


def test_it_finds_a_practitioner_and_verifies_the_certificate(page, live_server, seeded):
    number = Certificate.objects.get(holder_name="Elif Çelik").number

    page.goto(f"{live_server.url}/registre/")
    page.get_by_label("Nom").fill("elif celik")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("1 intervenant·e trouvé·e.")).to_be_visible()
    page.get_by_role("link", name="Elif Çelik").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Elif Çelik")
    expect(page.get_by_text(number)).to_be_visible()
    page.get_by_role("link", name="Vérifier ce certificat").click()

    expect(page).to_have_url(re.compile(rf"/registre/verifier/{number}/$"))
    expect(page.get_by_text("Elif Çelik détient un certificat TST® valide.")).to_be_visible()

    # The number typed by hand, in lowercase and without dashes, lands on the same page.
    page.goto(f"{live_server.url}/registre/verifier/")
    page.get_by_label("Numéro du certificat").fill(number.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    expect(page).to_have_url(re.compile(rf"/registre/verifier/{number}/$"))
    expect(page.locator("dd.status")).to_have_text("valide")


def test_a_name_typed_with_a_typo_finds_the_practitioner_among_near_matches(
    page, live_server, seeded
):
    page.goto(f"{live_server.url}/registre/")
    page.get_by_label("Nom").fill("Gaetan Moreu")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.get_by_role("status")).to_have_text(
        "Aucun résultat exact pour « Gaetan Moreu ». Intervenant·es aux noms proches :"
    )
    page.get_by_role("link", name="Gaëtan Moreau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gaëtan Moreau")
