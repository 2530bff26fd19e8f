"""A trainer publishes a group session, a trainee books it, attendance adds to their hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
TRAINER = "formatrice@demo.institut.test"
TRAINEE = "stagiaire@demo.institut.test"
TITLE = "Supervision collective : relire une intervention en quartier"


def test_it_turns_a_booked_group_session_into_supervision_hours(page, live_server, demo, login):
    day = timezone.localdate(timezone=PARIS) + timedelta(days=2)
    starts = datetime.combine(day, time(14), tzinfo=PARIS)

    # The trainer publishes a group session.
    login(page, TRAINER)
    page.goto(live_server.url + "/supervision/nouvelle-seance/")
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("collective", exact=True).check()
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_ends_at").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("à distance", exact=True).check()
    page.get_by_label("Lien de visioconférence (à distance)").fill(
        "https://visio.example.org/quartier"
    )
    page.get_by_label("Nombre de places").fill("4")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("0 / 4 réservées")

    # The trainee finds it and books a place.
    page.context.clear_cookies()
    login(page, TRAINEE)
    page.goto(live_server.url + "/seances-de-supervision/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).not_to_contain_text("Rejoindre la visioconférence")
    page.get_by_role("button", name="Réserver ma place").click()
    expect(page.locator(".messages")).to_contain_text("Votre place est réservée")
    expect(page.get_by_role("link", name="Rejoindre la visioconférence")).to_be_visible()
    page.goto(live_server.url + "/mes-reservations/")
    hours = page.locator(".hours")
    expect(hours).to_contain_text("Collective")
    group_before = hours.locator("dd").nth(1).inner_text()

    # After the session, the trainer marks the trainee present.
    with time_machine.travel(starts + timedelta(hours=3), tick=True):
        page.context.clear_cookies()
        login(page, TRAINER)
        page.goto(live_server.url + "/supervision/")
        awaiting = page.locator(
            "section", has=page.get_by_role("heading", name="Présences à saisir")
        )
        expect(awaiting).to_contain_text(TITLE)
        awaiting.locator("li", has_text=TITLE).get_by_role(
            "link", name="Saisir les présences"
        ).click()
        page.get_by_label("présent·e").check()
        page.get_by_role("button", name="Enregistrer les présences").click()
        expect(page.locator(".messages")).to_contain_text("Les présences sont enregistrées")

        # The trainee's supervision hours went up by the two hours of the session.
        page.context.clear_cookies()
        login(page, TRAINEE)
        page.goto(live_server.url + "/mes-reservations/")
        group_after = page.locator(".hours dd").nth(1).inner_text()
        page.screenshot(path="test-artifacts/supervision-journey.png", full_page=True)

    assert group_before == "0 h"
    assert group_after == "2 h"
