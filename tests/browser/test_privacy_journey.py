"""A trainee downloads everything held about them, then deletes their account."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from institut.demo import DEMO_PASSWORD
from institut.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_downloads_their_data_and_erases_their_account(page, live_server, demo, login):
    from courses.models import ReflectionAnswer

    trainee = demo["trainee"]
    ReflectionAnswer.objects.create(
        user=trainee,
        lesson_key="6f1d1c0e-4d1e-4a35-9d55-2f2f4f1a0c11",
        course_key="0b7c2b4e-3a57-4d7f-9a0a-6c7f0b9d2a10",
        text="La peur recule quand chacun peut parler.",
    )
    login(page, "stagiaire@demo.institut.test")

    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mes données").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    document = json.loads(archive.read("donnees.json"))
    profile = document["sections"]["compte"]["tables"]["profil"]["rows"][0]
    assert profile["email"] == "stagiaire@demo.institut.test"
    reflections = document["sections"]["formations"]["tables"]["reflexions"]["rows"]
    assert [row["text"] for row in reflections] == ["La peur recule quand chacun peut parler."]
    assert "Camille Martin" in archive.read("index.html").decode()

    page.get_by_role("link", name="Supprimer mon compte").click()
    page.get_by_label("Votre mot de passe").fill("pas-le-bon")
    page.get_by_label("Je comprends").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.locator(".field-error")).to_contain_text("Ce mot de passe n'est pas le bon.")
    expect(page.locator(".error-summary")).to_contain_text("Ce mot de passe n'est pas le bon.")

    page.get_by_label("Votre mot de passe").fill(DEMO_PASSWORD)
    page.get_by_label("Je comprends").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.locator(".messages")).to_contain_text("Votre compte est supprimé")
    expect(page.locator(".user-menu")).to_contain_text("Se connecter")
    page.screenshot(path="test-artifacts/privacy-journey.png", full_page=True)
    assert User.objects.get(pk=trainee.pk).is_erased
    assert not ReflectionAnswer.objects.filter(user=trainee).exists()

    login(page, "stagiaire@demo.institut.test")
    expect(page.locator(".user-menu")).to_contain_text("Se connecter")
