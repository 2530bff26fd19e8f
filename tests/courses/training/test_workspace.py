"""The in-person training parts of /espace/: the trainer's half-days of the day, and the failed
evidence packs the Institut's team has to look at."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import F

from courses.training.models import EvidencePack, TrainingSlot
from courses.training.workspace import failed_evidence_packs_count, trainer_slots_context
from tests.courses.training.conftest import make_session

pytestmark = pytest.mark.django_db


def move_first_day_to_today(session) -> list[TrainingSlot]:
    """The session's first day (3 days ahead) brought back to today, times and all."""
    first = TrainingSlot.objects.filter(session=session).order_by("date").first().date
    slots = TrainingSlot.objects.filter(session=session, date=first)
    slots.update(
        date=F("date") - timedelta(days=3),
        starts_at=F("starts_at") - timedelta(days=3),
        ends_at=F("ends_at") - timedelta(days=3),
    )
    return list(TrainingSlot.objects.filter(session=session).order_by("starts_at")[:2])


def test_it_shows_a_trainer_the_half_days_they_lead_today(
    client, course, trainer, other_trainer, django_assert_max_num_queries
):
    mine = make_session(course, trainer)
    theirs = make_session(course, other_trainer)
    today = move_first_day_to_today(mine)
    move_first_day_to_today(theirs)

    with django_assert_max_num_queries(2):
        slots = trainer_slots_context(trainer)["today_slots"]
    assert slots == today

    client.force_login(trainer)
    body = client.get("/espace/").content.decode()
    assert "Formation en présentiel aujourd'hui" in body
    for slot in today:
        assert f"/formation/sessions/{mine.pk}/demi-journees/{slot.pk}/" in body
    assert f"/formation/sessions/{theirs.pk}/" not in body


def failed_and_rebuilt(course, trainer, staff):
    """A session whose packs failed twice, and one whose failed pack was rebuilt since."""
    failed = make_session(course, trainer)
    rebuilt = make_session(course, trainer)
    EvidencePack.objects.create(session=failed, requested_by=staff, status="failed")
    EvidencePack.objects.create(session=failed, requested_by=staff, status="failed")
    pack = EvidencePack.objects.create(session=rebuilt, requested_by=staff, status="failed")
    EvidencePack.objects.create(
        session=rebuilt,
        requested_by=staff,
        status="ready",
        requested_at=pack.requested_at + timedelta(minutes=5),
    )
    return failed, rebuilt


def test_it_counts_the_sessions_whose_latest_evidence_pack_failed(course, trainer, staff):
    failed_and_rebuilt(course, trainer, staff)
    assert failed_evidence_packs_count() == 1


def test_it_shows_a_trainee_their_next_training_half_day_only(
    client, placed, session, trainee, other_trainee
):
    client.force_login(trainee)
    body = client.get("/espace/").content.decode()
    assert "Prochaine journée de formation" in body
    assert f'href="/sessions-de-formation/{session.pk}/"' in body

    client.force_login(other_trainee)
    assert "Prochaine journée de formation" not in client.get("/espace/").content.decode()


def test_the_staff_item_of_failed_evidence_packs_links_to_those_sessions_only(
    client, course, trainer, staff, django_assert_max_num_queries
):
    failed, rebuilt = failed_and_rebuilt(course, trainer, staff)
    other = make_session(course, trainer)
    client.force_login(staff)
    space = client.get("/espace/").content.decode()
    url = re.search(r'<a href="([^"]+)">Dossiers de preuves en échec</a>', space).group(1)
    assert url == "/formation/sessions/?preuves_en_echec=1"
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    table = page.split('<table class="training-sessions', 1)[1]
    assert f"/formation/sessions/{failed.pk}/" in table
    for session in (rebuilt, other):
        assert f"/formation/sessions/{session.pk}/" not in table
    assert "Sessions dont le dossier de preuves a échoué" in page
    english = client.get("/en" + url).content.decode()
    assert "Sessions whose evidence pack failed" in english


def test_an_empty_filtered_list_says_the_list_is_empty_not_that_there_is_no_session(
    client, course, trainer, staff
):
    """With sessions planned, « Aucune session pour le moment » under « Sessions dont le dossier
    de preuves a échoué » read as if every session were gone."""
    make_session(course, trainer)
    client.force_login(staff)

    french = client.get("/formation/sessions/?preuves_en_echec=1").content.decode()
    english = client.get("/en/formation/sessions/?preuves_en_echec=1").content.decode()
    everything = client.get("/formation/sessions/").content.decode()

    assert "Aucune session dans cette liste pour le moment." in french
    assert "Aucune session pour le moment." not in french
    assert "No session in this list at the moment." in english
    assert '<table class="training-sessions' in everything
