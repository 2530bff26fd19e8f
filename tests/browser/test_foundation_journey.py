"""A visitor reads the home page in French, switches to English, signs in and out."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_switches_language_and_signs_the_trainee_in_and_out(page, live_server, demo, login):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Former, superviser et certifier")
    expect(page.get_by_role("heading", name="Les sept étapes de l'intervention")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Training, supervising")

    login(page, "stagiaire@demo.institut.test", language="en")
    # A signed-in person lands on their space, in the language they are using.
    expect(page).to_have_url(live_server.url + "/en/espace/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My space")
    summary = page.locator(".user-menu summary")
    expect(summary).to_contain_text("Camille Martin")

    summary.click()
    page.locator(".user-menu form button[type=submit]").click()
    expect(page.locator(".user-menu")).to_contain_text("Sign in")
    page.screenshot(path="test-artifacts/foundation-journey.png", full_page=True)
