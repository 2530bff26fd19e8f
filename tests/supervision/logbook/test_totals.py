"""Totals of approved practice: in all, by step, by setting, by month, pending apart."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from institut.method import Step
from supervision.logbook import services
from supervision.logbook.models import PracticeEntry, PracticeEntryStep
from supervision.logbook.selectors import (
    practice_totals,
    review_queue,
    supervised_trainees,
    trainee_panel_context,
)
from tests.conftest import analyze
from tests.supervision.logbook.helpers import (
    entry_data,
    make_entry,
    supervised,  # noqa: F401
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("supervised"), pytest.mark.calendar]


def last_month_day(day: int) -> date:
    first_of_this_month = timezone.localdate().replace(day=1)
    return (first_of_this_month - timedelta(days=1)).replace(day=day)


def two_months_ago(day: int) -> date:
    last_day = last_month_day(1) - timedelta(days=1)
    return last_day.replace(day=day)


@pytest.fixture
def known_set(trainee, trainer):
    """Three approved, one submitted, one returned, one draft."""
    m1, m2 = two_months_ago(3), last_month_day(10)
    make_entry(trainee, "approved", trainer, date=m1, duration_minutes=60, steps=["confiance"])
    make_entry(
        trainee,
        "approved",
        trainer,
        date=m2,
        duration_minutes=90,
        steps=["confiance", "conflits"],
        setting="school",
    )
    make_entry(
        trainee,
        "approved",
        trainer,
        date=m2,
        duration_minutes=30,
        steps=["solutions"],
        setting="association",
    )
    make_entry(trainee, "submitted", date=m2, duration_minutes=45, steps=["contrat"])
    make_entry(trainee, "returned", trainer, date=m2, duration_minutes=600)
    make_entry(trainee, "draft", date=m2, duration_minutes=700)
    return m1, m2


def test_it_adds_up_a_known_set_of_entries(trainee, known_set):
    m1, m2 = known_set
    totals = practice_totals(trainee)
    assert totals == {
        "total_minutes": 180,
        "by_step": {
            "confiance": 150,
            "contrat": 0,
            "sous_groupes": 0,
            "conflits": 90,
            "informations": 0,
            "intelligence": 0,
            "solutions": 30,
        },
        "by_setting": {
            "neighbourhood": 60,
            "school": 90,
            "institution": 0,
            "organisation": 0,
            "association": 30,
            "other": 0,
        },
        "by_month": {m1.strftime("%Y-%m"): 60, m2.strftime("%Y-%m"): 120},
        "pending_minutes": 45,
    }


def test_it_adds_up_a_date_range_only(trainee, known_set):
    _m1, m2 = known_set
    totals = practice_totals(trainee, start=m2.replace(day=1), end=m2)
    assert totals["total_minutes"] == 120
    assert list(totals["by_month"]) == [m2.strftime("%Y-%m")]


def test_it_counts_nothing_of_another_trainee(other_trainee, known_set):
    assert practice_totals(other_trainee)["total_minutes"] == 0


def test_it_counts_a_correction_in_place_of_the_entry_it_corrects(trainee, trainer):
    original = make_entry(trainee, "approved", trainer, duration_minutes=120, steps=["confiance"])
    correction = services.practice_entry_correct(
        entry=original, actor=trainee, **entry_data(duration_minutes=60, steps=["contrat"])
    )
    # Until the correction is approved, the original still counts.
    assert practice_totals(trainee)["total_minutes"] == 120
    services.practice_entry_submit(entry=correction, actor=trainee)
    assert practice_totals(trainee)["total_minutes"] == 120
    assert practice_totals(trainee)["pending_minutes"] == 60
    services.practice_entry_approve(entry=correction, reviewer=trainer)
    totals = practice_totals(trainee)
    assert totals["total_minutes"] == 60
    assert totals["by_step"]["confiance"] == 0
    assert totals["by_step"]["contrat"] == 60
    assert totals["pending_minutes"] == 0
    assert PracticeEntry.objects.filter(status="approved").count() == 2


def test_it_counts_a_correction_of_a_correction_once(trainee, trainer):
    first = make_entry(trainee, "approved", trainer, duration_minutes=120)
    second = services.practice_entry_correct(
        entry=first, actor=trainee, **entry_data(duration_minutes=90)
    )
    services.practice_entry_submit(entry=second, actor=trainee)
    services.practice_entry_approve(entry=second, reviewer=trainer)
    third = services.practice_entry_correct(
        entry=second, actor=trainee, **entry_data(duration_minutes=75)
    )
    services.practice_entry_submit(entry=third, actor=trainee)
    services.practice_entry_approve(entry=third, reviewer=trainer)
    assert practice_totals(trainee)["total_minutes"] == 75


def test_it_shows_the_same_totals_in_the_supervisors_list(trainee, trainer, known_set):
    person = supervised_trainees(trainer)[0]
    assert (person.approved_minutes, person.pending_minutes, person.awaiting_count) == (180, 45, 1)


def test_it_gives_the_panel_the_totals_and_what_to_act_on(trainee, known_set):
    context = trainee_panel_context(trainee)
    assert context["logbook_totals"]["total_minutes"] == 180
    assert context["logbook_counts"] == {"drafts": 1, "returned": 1, "submitted": 1}


# --- Bounded queries with 2,000 entries -------------------------------------------------------


@pytest.fixture
def many_entries(trainee, other_trainee, trainer):
    """2,000 entries of two trainees in every state, over a year, created in bulk."""
    rng = random.Random(6)
    today = timezone.localdate()
    statuses = ["draft", "submitted", "returned", "approved"]
    now = timezone.now()
    entries = [
        PracticeEntry(
            trainee=trainee if n % 2 else other_trainee,
            date=today - timedelta(days=rng.randrange(365)),
            duration_minutes=rng.randrange(15, 721),
            setting=rng.choice(PracticeEntry.Setting.values),
            role=rng.choice(PracticeEntry.Role.values),
            group_size=rng.randrange(1, 30),
            description="Médiation entre habitants et gardiens d'immeuble.",
            status=statuses[n % 4],
            submitted_at=now - timedelta(minutes=n),
            reviewed_by=trainer if statuses[n % 4] == "approved" else None,
        )
        for n in range(2000)
    ]
    created = PracticeEntry.objects.bulk_create(entries)
    PracticeEntryStep.objects.bulk_create(
        [
            PracticeEntryStep(entry=entry, step=step)
            for entry in created
            for step in rng.sample(Step.values, rng.randrange(1, 4))
        ]
    )
    analyze(PracticeEntry, PracticeEntryStep)
    return created


def test_it_computes_the_totals_in_a_bounded_number_of_queries(
    trainee, many_entries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        totals = practice_totals(trainee)
    expected = sum(
        e.duration_minutes for e in many_entries if e.trainee == trainee and e.status == "approved"
    )
    assert totals["total_minutes"] == expected


def test_it_lists_the_queue_in_a_bounded_number_of_queries(
    client, trainer, many_entries, django_assert_max_num_queries
):
    client.force_login(trainer)
    client.get(reverse("supervision:logbook_queue"))  # warm caches (site settings)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("supervision:logbook_queue"))
    assert len(response.context["entries"]) == 50
    assert response.context["page"].paginator.count == 500
    assert "500 entrées attendent votre relecture" in response.content.decode()
    queue = response.context["entries"]
    assert [e.submitted_at for e in queue] == sorted(e.submitted_at for e in queue)


def test_it_pages_the_queue_oldest_first(client, trainer, many_entries):
    client.force_login(trainer)
    first = client.get(reverse("supervision:logbook_queue")).context["entries"]
    second = client.get(reverse("supervision:logbook_queue") + "?page=2").context["entries"]
    assert len(second) == 50
    assert not {e.pk for e in first} & {e.pk for e in second}
    assert first[-1].submitted_at <= second[0].submitted_at


def test_it_approves_the_entries_checked_on_a_later_page(client, trainer, many_entries):
    client.force_login(trainer)
    url = reverse("supervision:logbook_queue") + "?page=3"
    shown = client.get(url).context["entries"][:2]
    response = client.post(url, {"entries": [e.pk for e in shown]})
    assert response.status_code == 302
    assert response["Location"] == url
    for entry in shown:
        entry.refresh_from_db()
        assert entry.status == "approved"


def test_it_shows_the_trainees_logbook_in_a_bounded_number_of_queries(
    client, trainer, trainee, many_entries, django_assert_max_num_queries
):
    client.force_login(trainer)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("supervision:logbook_trainee", args=[trainee.pk]))
    assert len(response.context["entries"]) == 1000


def test_it_shows_the_trainees_space_in_a_bounded_number_of_queries(
    client, trainee, many_entries, django_assert_max_num_queries
):
    client.force_login(trainee)
    client.get(reverse("courses:dashboard"))  # warm caches (site settings)
    # 13, and one for the next in-person training half-day (courses.training.workspace).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 200


def test_it_lists_the_supervisors_trainees_in_a_bounded_number_of_queries(
    trainer, many_entries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        people = supervised_trainees(trainer)
    assert len(people) == 1


def test_it_reads_the_queue_in_two_queries(trainer, many_entries, django_assert_num_queries):
    with django_assert_num_queries(2):
        entries = list(review_queue(trainer))
        labels = [entry.step_labels for entry in entries]
    assert len(labels) == 500
