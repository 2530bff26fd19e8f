"""A trainee logs and submits an intervention, the supervisor returns it with a comment, the
trainee fixes and resubmits it, the supervisor approves it and the trainee's total goes up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import SupervisorAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINER = "formatrice@demo.institut.test"
TRAINEE = "stagiaire@demo.institut.test"
DESCRIPTION = "Médiation entre des habitants et l'équipe d'un centre social après un incident."
COMMENT = "Précisez quelle étape vous avez travaillée avec le groupe."


def test_it_takes_an_entry_from_draft_to_approved_hours(page, live_server, demo, login):
    SupervisorAssignment.objects.get_or_create(trainee=demo["trainee"], supervisor=demo["trainer"])
    day = timezone.localdate() - timedelta(days=2)

    # The trainee logs an intervention and submits it.
    login(page, TRAINEE)
    page.goto(live_server.url + "/carnet-de-pratique/")
    expect(page.get_by_test_id("approved-total")).to_have_text("0 h")
    page.get_by_role("link", name="Ajouter une intervention").click()
    page.get_by_label("Date de l'intervention").fill(day.isoformat())
    page.get_by_label("heures", exact=True).fill("2")
    page.get_by_label("minutes", exact=True).select_option("30")
    page.get_by_label("Cadre").select_option("neighbourhood")
    page.get_by_label("co-intervention").check()
    page.get_by_label("Nombre de participant·es").fill("9")
    page.get_by_label("1. Inspirer confiance").check()
    page.get_by_label("Description de l'intervention").fill(DESCRIPTION)
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.locator(".messages")).to_contain_text("envoyée à vos superviseur·es")
    expect(page.locator("main")).to_contain_text("En attente de relecture")

    # The supervisor finds it in the queue and returns it with a comment.
    page.context.clear_cookies()
    login(page, TRAINER)
    # The queue is in the navigation bar of the supervisor's sections, not behind the name menu.
    page.get_by_role("navigation", name="Mon espace").get_by_role(
        "link", name="Carnets de pratique à relire"
    ).click()
    expect(page.get_by_test_id("queue-count")).to_contain_text("1 entrée attend")
    page.locator(".logbook-queue").get_by_role("link").first.click()
    page.get_by_label("Renvoyer à la ou au stagiaire").check()
    page.get_by_label("Commentaire").fill(COMMENT)
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".messages")).to_contain_text("renvoyée")

    # The trainee reads the comment, fixes the entry and submits it again.
    page.context.clear_cookies()
    login(page, TRAINEE)
    page.goto(live_server.url + "/carnet-de-pratique/")
    page.locator(".logbook-entries").get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text(COMMENT)
    page.get_by_role("link", name="Modifier").click()
    expect(page.locator("main")).to_contain_text(COMMENT)
    page.get_by_label("2. Faire un contrat commun").check()
    page.get_by_role("button", name="Enregistrer et soumettre").click()
    expect(page.locator(".messages")).to_contain_text("envoyée à vos superviseur·es")

    # The supervisor approves it from the queue.
    page.context.clear_cookies()
    login(page, TRAINER)
    page.goto(live_server.url + "/supervision/carnets/")
    page.locator(".logbook-queue input[type=checkbox]").first.check()
    page.get_by_role("button", name="Approuver les entrées cochées").click()
    expect(page.locator(".messages")).to_contain_text("1 entrée approuvée.")

    # The trainee's total went up.
    page.context.clear_cookies()
    login(page, TRAINEE)
    page.goto(live_server.url + "/carnet-de-pratique/")
    expect(page.get_by_test_id("approved-total")).to_have_text("2 h 30")
    page.goto(live_server.url + "/espace/")
    expect(page.locator(".logbook-panel")).to_contain_text("2 h 30")
