"""A half-day in the room: the trainer opens signing, the trainee signs on a 360 px phone, the
trainer signs the sheet and closes the session, the trainee downloads the certificat de
réalisation."""

from __future__ import annotations

import io
from datetime import time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from courses import services as course_services
from courses.models import CourseIndexPage
from courses.training import services
from courses.training.services import HalfDay, SessionData

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def session(demo):
    from home.models import HomePage
    from tests.courses.conftest import build_course

    catalogue = CourseIndexPage(title="Formations", slug="formations")
    HomePage.objects.get(locale__language_code="fr").add_child(instance=catalogue)
    course = build_course(catalogue, title="Les fondamentaux de la Thérapie Sociale", lessons=1)
    day = timezone.localdate() + timedelta(days=2)
    session = services.session_create(
        actor=demo["trainer"],
        data=SessionData(
            course=course,
            mode="in_person",
            capacity=8,
            half_days=[HalfDay(day, "morning", time(9), time(12, 30))],
            trainers=[demo["trainer"]],
            address="8 rue du Général Renault, 75011 Paris",
            room="Salle 2",
        ),
    )
    course_services.enrolment_create(user=demo["trainee"], course=course)
    services.placement_create(actor=demo["trainee"], session=session, trainee=demo["trainee"])
    services.session_confirm(actor=demo["trainer"], session=session)
    return session


def test_a_half_day_from_signing_to_the_certificat_de_realisation(
    page, browser, live_server, demo, login, session
):
    slot = session.slots.get()
    manage = f"{live_server.url}/formation/sessions/{session.pk}/"
    violations = []

    def watch(tab):
        tab.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and violations.append(message.text)
            ),
        )

    watch(page)

    with time_machine.travel(slot.starts_at + timedelta(minutes=3), tick=True):
        # The trainer opens the signing of the morning in the room.
        login(page, demo["trainer"].email)
        page.goto(manage)
        page.locator(".sheet-grid thead").get_by_role("link", name="matin").click()
        page.get_by_role("button", name="Ouvrir l'émargement").click()
        expect(page.locator(".qr svg")).to_be_visible()
        sign_url = page.locator(".sign-url a").inner_text()

        # The trainee scans the code with their phone and signs.
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        mobile = phone.new_page()
        watch(mobile)
        login(mobile, demo["trainee"].email)
        mobile.goto(sign_url)
        button = mobile.get_by_role("button", name="Signer ma présence")
        expect(button).to_be_visible()
        assert button.bounding_box()["width"] <= PHONE["width"]
        button.click()
        expect(mobile.locator(".messages")).to_contain_text("Votre présence est signée")
        assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        mobile.screenshot(path="test-artifacts/training-signed-360.png", full_page=True)

        # The trainer sees the signature and signs the sheet.
        page.reload()
        expect(page.locator(".slot-line")).to_contain_text("Présent·e")
        page.get_by_role("button", name="Signer la feuille").click()
        expect(page.locator(".messages")).to_contain_text("Vous avez signé la feuille")

    with time_machine.travel(slot.ends_at + timedelta(minutes=10), tick=True):
        # At the end of the morning, the trainer closes the session.
        page.goto(manage)
        page.get_by_role("button", name="Clôturer la session").click()
        expect(page.locator(".messages")).to_contain_text("certificats de réalisation")
        page.screenshot(path="test-artifacts/training-closed.png", full_page=True)

        # The trainee downloads the certificat de réalisation from their phone.
        mobile.goto(f"{live_server.url}/sessions-de-formation/{session.pk}/")
        link = mobile.get_by_role("link", name="Télécharger mon certificat de réalisation")
        with mobile.expect_download() as download_info:
            link.click()
        with open(download_info.value.path(), "rb") as handle:
            content = handle.read()
        phone.close()

    assert violations == []
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "Certificat de réalisation" in text
    assert demo["trainee"].full_name in text
    assert "durée réalisée de 3 h 30" in text
