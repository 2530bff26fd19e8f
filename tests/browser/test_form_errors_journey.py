"""Keyboard only (Tab, Enter and typing): a form with errors takes the focus to its error summary,
whose links take it to each field in error, groups of choices included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from institut.demo import DEMO_PASSWORD
from supervision.models import SupervisorAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINEE = "stagiaire@demo.institut.test"


def focused(page, attribute: str = "id") -> str:
    return page.evaluate(f"document.activeElement.getAttribute('{attribute}') || ''")


def tab_to(page, element_id: str, *, limit: int = 80) -> None:
    """Press Tab until the element with this id has the focus."""
    for _ in range(limit):
        if focused(page) == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def tab_to_link(page, href: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab backwards) until the link to `href` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(page, "href") == href:
            return
    raise AssertionError(f"Tab never reached the link to {href}")


def summary_has_focus(page) -> bool:
    return page.evaluate("document.activeElement.hasAttribute('data-error-summary')")


def test_it_signs_in_after_errors_with_the_keyboard_only(page, live_server, demo):
    page.goto(f"{live_server.url}/comptes/login/")
    tab_to(page, "id_login")
    page.keyboard.type(TRAINEE)
    tab_to(page, "id_password")
    page.keyboard.type("pas le bon mot de passe")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page).to_have_title(re.compile(r"^Erreur : "))
    assert summary_has_focus(page)
    expect(page.locator("[data-error-summary]")).to_contain_text("Il y a un problème")
    tab_to_link(page, "#id_login")
    page.keyboard.press("Enter")
    assert focused(page) == "id_login"

    tab_to(page, "id_password")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).not_to_have_title(re.compile(r"^Erreur"))
    expect(page.locator(".user-menu")).to_contain_text(demo["trainee"].full_name)


def test_it_reaches_each_field_of_a_logbook_entry_in_error(page, live_server, demo, login):
    SupervisorAssignment.objects.get_or_create(trainee=demo["trainee"], supervisor=demo["trainer"])
    login(page, TRAINEE)
    page.goto(f"{live_server.url}/carnet-de-pratique/nouvelle-entree/")
    tab_to(page, "id_group_size")
    page.keyboard.type("0")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.title().startswith("Erreur : ")
    assert summary_has_focus(page)
    for number, anchor in enumerate(
        ("id_date", "id_role_0", "id_group_size", "id_steps_0", "id_description")
    ):
        # From the summary forwards the first time, then back up from the field just reached.
        tab_to_link(page, f"#{anchor}", backwards=number > 0)
        page.keyboard.press("Enter")
        assert focused(page) == anchor, anchor
        assert page.locator(f"#{anchor}").get_attribute("aria-invalid") == "true"
    # What was typed stays.
    assert page.locator("#id_group_size").input_value() == "0"
