"""The demo trainee one requirement short accepts the charter and applies; the supervisor gives an
opinion; the committee (with its second factor) grants; the trainee downloads the certificate."""

from __future__ import annotations

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

from certification import demo as certification_demo
from certification.models import Certificate
from courses import demo as courses_demo
from supervision import demo as supervision_demo
from supervision.logbook import demo as logbook_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANDIDATE = certification_demo.CANDIDATE[0]
SUPERVISOR = "superviseur@demo.institut.test"
COMMITTEE = "commission@demo.institut.test"


@pytest.fixture
def seeded(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        courses_demo.create_demo(demo)
        supervision_demo.create_supervision(demo)
        logbook_demo.create_demo(demo)
        certification_demo.create_demo(demo)
    return demo


def test_it_goes_from_one_requirement_short_to_a_downloaded_certificate(
    page, live_server, seeded, login
):
    # The candidate sees one requirement left: the charter. She accepts it and applies.
    login(page, CANDIDATE)
    page.goto(live_server.url + "/certification/")
    expect(page.locator("main")).to_contain_text("Il reste 1 condition à remplir.")
    page.get_by_label("J'ai lu la charte éthique et je m'engage à la respecter.").check()
    page.get_by_role("button", name="Accepter la charte").click()
    expect(page.locator(".messages")).to_contain_text("acceptation de la charte est enregistrée")
    page.get_by_role("link", name="Déposer ma candidature").click()
    page.get_by_label("Présentation de votre candidature").fill(
        "Médiateur dans un bailleur social, j'accompagne depuis deux ans des habitants et des "
        "gardiens vers des solutions qu'ils construisent ensemble."
    )
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.locator(".messages")).to_contain_text("Votre candidature est déposée.")

    # The supervisor gives a favourable opinion.
    page.context.clear_cookies()
    login(page, SUPERVISOR)
    page.goto(live_server.url + "/certification/avis/")
    page.get_by_role("link", name="Yanis Benali").click()
    page.get_by_label("favorable", exact=True).check()
    page.get_by_label("Motivation").fill("Pratique régulière, supervision assidue.")
    page.get_by_role("button", name="Transmettre mon avis").click()
    expect(page.locator(".messages")).to_contain_text("Votre avis est transmis")

    # The committee signs in with its second factor and grants.
    page.context.clear_cookies()
    login(page, COMMITTEE)
    page.goto(live_server.url + "/certification/commission/?statut=submitted")
    page.get_by_role("link", name="Yanis Benali").click()
    expect(page.locator("main")).to_contain_text("Avis favorable")
    page.get_by_label("Accorder la certification").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".messages")).to_contain_text("La certification est accordée.")

    # The candidate finds the certificate and downloads its PDF.
    page.context.clear_cookies()
    login(page, CANDIDATE)
    page.goto(live_server.url + "/certification/")
    page.get_by_role("link", name="Voir mon certificat").click()
    certificate = Certificate.objects.get(holder__email=CANDIDATE)
    expect(page.locator("h1")).to_contain_text(certificate.number)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le certificat (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"certificat-{certificate.number}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
