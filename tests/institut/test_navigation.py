"""The menus: entries by role, and the review count beside the trainer's queue."""

import pytest

from institut.navigation import USER_NAV, entries_for
from supervision.services import supervisor_assign
from tests.supervision.logbook.helpers import days_ago, make_entry

pytestmark = pytest.mark.django_db


def test_it_shows_trainers_how_many_entries_wait_for_review(client, trainer, trainee):
    supervisor_assign(trainee=trainee, supervisor=trainer, assigned_by=None)
    for day in (3, 4):
        make_entry(trainee, "submitted", date=days_ago(day))
    items = {item["label"]: item for item in entries_for(USER_NAV, trainer)}
    assert items["Carnets de pratique à relire"]["count"] == 2
    client.force_login(trainer)
    html = client.get("/comptes/profil/").content.decode()
    assert '<span class="badge">2<span class="visually-hidden"> en attente</span></span>' in html


def test_it_gives_trainees_no_review_entry(trainee):
    labels = [str(item["label"]) for item in entries_for(USER_NAV, trainee)]
    assert "Carnets de pratique à relire" not in labels
    assert "Mon espace" in labels


def test_it_marks_only_the_most_specific_entry_as_current(trainee):
    from institut.navigation import MAIN_NAV

    items = entries_for(MAIN_NAV, trainee, "/registre/verifier/TST-2026-ABCDEF/")
    current = [str(item["label"]) for item in items if item["current"]]
    assert current == ["Vérifier un certificat"]
