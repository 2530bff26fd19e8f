"""Keyboard only (Tab, Enter and typing): a trainee signs in, books a place in a supervision
session, then cancels it through the confirmation page; the focus stays visible all along."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from institut.demo import DEMO_PASSWORD
from supervision.models import Booking
from tests.browser.test_form_errors_journey import TRAINEE, focused, tab_to, tab_to_link
from tests.supervision.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Supervision collective : relire une séance au clavier"


def tab_to_control(page, text: str, *, limit: int = 80) -> None:
    """Press Tab until a link or button whose text starts with `text` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(document.activeElement.textContent || '').trim()").startswith(text):
            return
    raise AssertionError(f"Tab never reached «{text}»")


def focus_is_visible(page) -> bool:
    """The focused element draws the site's focus ring (a solid outline of 3 px)."""
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    return style == ["solid", "3px"]


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_it_books_and_cancels_a_session_with_the_keyboard_only(page, live_server, demo):
    session = SessionFactory(trainer=demo["trainer"], title=TITLE)

    page.goto(f"{live_server.url}/comptes/login/")
    tab_to(page, "id_login")
    page.keyboard.type(TRAINEE)
    tab_to(page, "id_password")
    page.keyboard.type(DEMO_PASSWORD)
    press_enter_and_wait(page)
    expect(page.locator(".user-menu")).to_contain_text(demo["trainee"].full_name)

    page.goto(f"{live_server.url}/seances-de-supervision/")
    tab_to_link(page, f"/seances-de-supervision/{session.pk}/")
    assert focus_is_visible(page)
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    tab_to_control(page, "Réserver ma place")
    assert focus_is_visible(page)
    press_enter_and_wait(page)
    expect(page.locator(".messages")).to_contain_text("Votre place est réservée")
    booking = Booking.objects.get(session=session, trainee=demo["trainee"])
    assert booking.status == Booking.Status.BOOKED

    # Cancelling asks for a confirmation first.
    tab_to_control(page, "Annuler ma réservation")
    press_enter_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler ma réservation ?")
    tab_to_control(page, "Oui, annuler ma réservation")
    assert focused(page, "type") == "submit"
    press_enter_and_wait(page)
    expect(page.locator(".messages")).to_contain_text("Votre réservation est annulée")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
