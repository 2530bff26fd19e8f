"""A certified practitioner downloads their signed badge from their certificate page; a visitor
uploads that file on the public verification page and reads that it is valid, then pastes a copy
with the holder's name changed and reads that it was altered after signing."""

from __future__ import annotations

import json

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

from certification.models import Certificate
from certification.registry import demo as registry_demo
from tests.certification.helpers import secret_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLDER = "Elif Çelik"


@pytest.fixture
def seeded(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CREDENTIALS_SIGNING_KEY = secret_key_for("current")
    settings.CREDENTIALS_SIGNING_KEY_FILE = ""
    settings.CREDENTIALS_PUBLISHED_KEYS = []
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        registry_demo.create_demo(demo)
    return demo


def test_a_downloaded_badge_verifies_and_a_changed_one_does_not(
    page, live_server, login, seeded, tmp_path
):
    number = Certificate.objects.get(holder_name=HOLDER).number
    login(page, registry_demo.email_of(HOLDER))

    page.goto(f"{live_server.url}/certification/certificats/{number}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le badge numérique (Open Badges 3.0)").click()
    badge_file = tmp_path / "badge.json"
    download_info.value.save_as(badge_file)
    badge = json.loads(badge_file.read_text())
    assert badge["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    page.goto(f"{live_server.url}/registre/verifier/fichier/")
    page.get_by_label("Fichier du badge").set_input_files(str(badge_file))
    page.get_by_role("button", name="Vérifier le badge").click()
    expect(page.get_by_text("Signature valide.")).to_be_visible()
    expect(page.get_by_text(number).first).to_be_visible()
    expect(page.get_by_text(HOLDER).first).to_be_visible()

    badge["credentialSubject"]["name"] = "Quelqu'un d'autre"
    page.goto(f"{live_server.url}/registre/verifier/fichier/")
    page.get_by_label("Ou collez son contenu").fill(json.dumps(badge))
    page.get_by_role("button", name="Vérifier le badge").click()
    expect(page.get_by_text("Ce fichier a été modifié après sa signature")).to_be_visible()
    expect(page.get_by_text("Signature valide.")).to_have_count(0)
