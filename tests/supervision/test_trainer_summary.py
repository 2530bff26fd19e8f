"""/supervision/ summarises a trainer's trainees (number, hours) and shows them 25 a page, with a
search; dates and hours come written from the selector (issue 16)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from institut.formats import date_text, duration
from institut.roles import Role
from supervision import services
from supervision.formats import DateWriter
from tests.factories import UserFactory
from tests.personal_pages import kept, made
from tests.supervision.factories import SessionFactory

pytestmark = pytest.mark.django_db

HOME = reverse("supervision:trainer_home")


@pytest.fixture
def thirty(trainer):
    people = [UserFactory(full_name=f"Stagiaire {n:02d}", roles=[Role.TRAINEE]) for n in range(29)]
    people.append(UserFactory(full_name="Zoé Lefèvre", roles=[Role.TRAINEE]))
    for person in people:
        services.supervisor_assign(trainee=person, supervisor=trainer, assigned_by=None)
    return people


def test_it_summarises_the_trainees_and_shows_them_a_page_at_a_time(client, trainer, thirty):
    client.force_login(trainer)
    response = client.get(HOME)
    html = response.content.decode()
    assert "30 stagiaires supervisé·es" in html
    assert len(response.context["assigned_trainees"]) == 25
    second = client.get(HOME, {"page": 2})
    assert len(second.context["assigned_trainees"]) == 5
    assert "Zoé Lefèvre" in second.content.decode()


def test_it_finds_a_trainee_by_name_without_accents(client, trainer, thirty):
    client.force_login(trainer)
    response = client.get(HOME, {"q": "zoe lefevre"})
    assert [row["name"] for row in response.context["assigned_trainees"]] == ["Zoé Lefèvre"]
    assert "30 stagiaires supervisé·es" in response.content.decode()  # the summary stays whole
    nobody = client.get(HOME, {"q": "Personne"}).content.decode()
    assert "ne correspond à « Personne »" in nobody


def test_it_answers_bad_page_numbers_with_a_page(client, trainer, thirty):
    client.force_login(trainer)
    assert client.get(HOME, {"page": "abc"}).status_code == 200
    assert client.get(HOME, {"page": "9999"}).status_code == 200
    assert client.get(HOME, {"q": "x" * 500}).status_code == 200


def test_it_writes_the_dates_as_the_templates_did(client, trainer):
    starts = timezone.now() + timedelta(days=3)
    session = SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=2))
    client.force_login(trainer)
    html = client.get(HOME).content.decode()
    local = timezone.localtime(session.starts_at)
    from django.utils import dateformat

    expected = (
        f"{date_text(local, 'l j F Y')}, {dateformat.time_format(local, 'H:i')}"
        f"\u2013{dateformat.time_format(timezone.localtime(session.ends_at), 'H:i')}"
    )
    assert expected in html
    assert DateWriter().day(local.date()) == date_text(local, "j F Y")
    assert duration(90) == "1 h 30" and duration(0) == "0 h"


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "1er décembre 2026"), ("en", "1 December 2026")]
)
def test_it_writes_the_first_of_the_month_as_the_date_filter_does(language, expected):
    with translation.override(language):
        writer = DateWriter()

        assert writer.day(date(2026, 12, 1)) == expected
        assert writer.day(date(2026, 12, 2)) == date_text(date(2026, 12, 2), "j F Y")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "7 décembre 2026 à\u00a008:26"), ("en", "7 December 2026, 08:26")],
)
def test_it_writes_a_moment_as_the_language_s_datetime_format_does(language, expected):
    moment = datetime(2026, 12, 7, 7, 26, tzinfo=UTC)  # 8:26 in Paris
    with translation.override(language):
        assert DateWriter().moment(moment) == expected
        assert DateWriter().moment(moment) == date_text(
            timezone.localtime(moment), "DATETIME_FORMAT"
        )


def test_it_shows_the_trainer_home_in_few_queries_whatever_the_number_of_trainees(
    client, trainer, thirty
):
    client.force_login(trainer)
    client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    assert len(queries) <= 8


# --- Kept whole per person (institut/personal_pages.py) -----------------------------------------


def test_it_shows_a_trainee_s_booking_at_once_on_the_kept_trainer_home(
    client, trainer, trainee, session
):
    client.force_login(trainer)
    assert "Camille Martin" not in kept(client, HOME)
    services.booking_create(session=session, trainee=trainee)  # another person's write
    assert "Camille Martin" in made(client, HOME)


def test_it_shows_a_submitted_entry_at_once_in_the_kept_review_queue(client, trainer, trainee):
    from tests.supervision.logbook.helpers import assign, make_entry

    assign(trainee, trainer)
    client.force_login(trainer)
    queue = reverse("supervision:logbook_queue")
    assert "Camille Martin" not in kept(client, queue)
    make_entry(trainee, "submitted")
    assert "Camille Martin" in made(client, queue)


def test_it_closes_the_kept_trainer_pages_when_the_role_is_removed(client, trainer):
    from django.contrib.auth.models import Group

    client.force_login(trainer)
    kept(client, HOME)
    trainer.groups.remove(Group.objects.get(name=Role.TRAINER))
    assert client.get(HOME).status_code == 404
