"""The demo trainee enrols in the free course, reads a lesson, passes its quiz, sees progress."""

import pytest
from playwright.sync_api import expect

from courses import demo as courses_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def courses(demo):
    catalogue = courses_demo.create_catalogue()
    intro = courses_demo.create_intro_course(catalogue)
    courses_demo.translate_courses(catalogue, [intro])
    return intro


def test_it_takes_the_trainee_from_the_catalogue_to_her_attestation(
    page, live_server, courses, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(page, "stagiaire@demo.institut.test")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Formations"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formations")
    page.get_by_role("link", name="Découvrir la Thérapie Sociale").click()

    page.get_by_role("button", name="S'inscrire gratuitement").click()
    expect(page.locator(".messages")).to_contain_text("Vous êtes inscrit·e")

    page.get_by_role("link", name="Quand la coopération se bloque").first.click()
    expect(page.get_by_role("heading", name="Ce que fait l'intervenant·e")).to_be_visible()
    page.get_by_role("button", name="J'ai terminé cette leçon").click()
    expect(page.locator(".messages")).to_contain_text("Leçon terminée.")

    page.get_by_role("link", name="Le conflit constructif").first.click()
    page.get_by_label("Le conflit peut être traversé", exact=False).check()
    page.get_by_label("Faire émerger des points de vue différents", exact=False).check()
    page.get_by_label("Préparer des décisions prises ensemble.").check()
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.locator(".messages")).to_contain_text("Quiz réussi : 100 %")
    expect(page.locator(".quiz-result")).to_contain_text("Exactement")

    page.goto(live_server.url + "/espace/")
    card = page.locator(".card", has_text="Découvrir la Thérapie Sociale")
    expect(card).to_contain_text("Progression : 50 %")
    expect(card.get_by_role("link", name="Reprendre là où je me suis arrêté·e")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Le conflit constructif")
    page.screenshot(path="test-artifacts/courses-journey.png", full_page=True)

    # The same progress in English: one record for both translations.
    page.goto(live_server.url + "/en/formations/decouvrir-la-therapie-sociale/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Discovering Social Therapy")
    expect(page.locator(".enrol-box")).to_contain_text("Progress: 50%")

    # Finish the course in French: the attestation appears in the trainee's space.
    page.goto(live_server.url + "/formations/decouvrir-la-therapie-sociale/")
    page.get_by_role("link", name="La violence comme symptôme").first.click()
    page.get_by_role("button", name="J'ai terminé cette leçon").click()
    page.get_by_role("link", name="Ma première observation").first.click()
    page.get_by_label("Votre réponse").fill("La peur de ne pas être entendu·e.")
    page.get_by_role("button", name="Soumettre et terminer la leçon").click()
    expect(page.locator(".messages")).to_contain_text("Réflexion soumise.")
    page.goto(live_server.url + "/espace/")
    completed = page.locator("section", has_text="Formations terminées")
    expect(completed).to_contain_text("Découvrir la Thérapie Sociale")
    with page.expect_download() as download:
        completed.get_by_role("link", name="Télécharger l'attestation", exact=False).click()
    assert download.value.suggested_filename.startswith("attestation-de-formation-ATT-")


def test_each_fact_of_a_catalogue_card_keeps_its_label_on_one_line_on_a_phone(
    page, live_server, demo
):
    catalogue = courses_demo.create_catalogue()
    courses_demo.create_intro_course(catalogue)  # counts for the certification: three facts
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/formations/")

    labels = page.locator(".course-facts dt")
    expect(labels.filter(has_text="Certification")).to_have_count(1)
    wrapped = page.evaluate(
        """() => [...document.querySelectorAll('.course-facts dt')]
             .filter((dt) => {
               const words = document.createRange();
               words.selectNodeContents(dt);  // the label's text, not its stretched box
               return words.getBoundingClientRect().height
                      > 1.5 * parseFloat(getComputedStyle(dt).lineHeight);
             })
             .map((dt) => dt.textContent.trim())"""
    )
    assert wrapped == []
