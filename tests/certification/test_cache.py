"""The path to certification and the /espace/ panel keep a person's totals until one of their
records changes (issue 16): an approval, an attendance, a charter, a new scheme show at once,
and what decides (an application) is read from the records."""

import html
import re
from unittest import mock

import pytest
from django.urls import reverse

from certification import selectors, services
from certification.models import Application
from institut import person_cache
from institut.method import Step
from tests.certification import helpers
from tests.personal_pages import kept, made, served
from tests.supervision.logbook.helpers import assign, make_entry

pytestmark = pytest.mark.django_db

PATH = reverse("certification:path")
APPLY = reverse("certification:apply")
DASHBOARD = reverse("courses:dashboard")
STATEMENT = "Je pratique la Thérapie Sociale dans des collectifs de travail depuis deux ans."


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _met(client) -> tuple[int, int]:
    found = re.search(
        r"Conditions remplies : <strong>(\d+) sur (\d+)</strong>", _text(client.get(DASHBOARD))
    )
    return int(found[1]), int(found[2])


@pytest.fixture
def almost(trainee, trainer, course, charter, scheme, client):
    """Every requirement met but the last step's practice, which waits for review."""
    assign(trainee, trainer)
    helpers.complete_course(trainee, course)
    for index, step in enumerate(list(Step)[:-1]):
        helpers.approve_practice(trainee, trainer, steps=[step.value], hours=2, days=3 + index)
    helpers.attend_supervision(trainee, trainer, hours=helpers.SUPERVISION_HOURS)
    services.charter_accept(user=trainee, charter=charter)
    entry = make_entry(trainee, "submitted", steps=[list(Step)[-1].value], duration_minutes=120)
    client.force_login(trainee)
    return entry


def test_it_shows_an_approved_entry_on_the_path_and_the_dashboard_at_once(client, almost, trainer):
    assert APPLY not in _text(client.get(PATH))  # the totals are now kept
    met, total = _met(client)
    assert met == total - 1
    from supervision.logbook import services as logbook_services

    logbook_services.practice_entry_approve(entry=almost, reviewer=trainer)
    assert APPLY in _text(client.get(PATH))
    assert _met(client) == (total, total)


def test_it_shows_attended_supervision_at_once(client, trainee, trainer, scheme):
    client.force_login(trainee)
    before = selectors_supervision_hours(client)
    helpers.attend_supervision(trainee, trainer, hours=1)
    assert selectors_supervision_hours(client) == before + 1


def selectors_supervision_hours(client) -> float:
    response = client.get(PATH)
    requirement = next(
        r for r in response.context["eligibility"].requirements if r.code == "supervision"
    )
    return requirement.done


def test_it_shows_a_new_charter_version_at_once(client, almost, trainee):
    client.get(PATH)
    helpers.make_charter(version=2)  # not accepted yet: the charter requirement is unmet again
    response = client.get(PATH)
    charter = next(r for r in response.context["eligibility"].requirements if r.code == "charter")
    assert not charter.met


def test_it_shows_a_changed_scheme_at_once(client, almost, scheme):
    client.get(PATH)
    scheme.min_supervision_hours = 50
    scheme.save()
    response = client.get(PATH)
    supervision = next(
        r for r in response.context["eligibility"].requirements if r.code == "supervision"
    )
    assert supervision.needed == 50


def test_it_decides_an_application_from_the_records_not_the_kept_totals(
    client, almost, trainee, trainer
):
    from supervision.logbook import services as logbook_services

    client.get(PATH)  # totals kept: not eligible
    with mock.patch.object(person_cache, "forget_records"):  # an approval the cache misses
        logbook_services.practice_entry_approve(entry=almost, reviewer=trainer)
    assert APPLY not in _text(client.get(PATH))  # shown from the stale kept totals...
    client.post(APPLY, {"statement": STATEMENT})
    assert Application.objects.filter(applicant=trainee).exists()  # ...decided from the records


def test_it_computes_from_the_records_outside_the_pages_that_show(almost, trainee):
    with person_cache.for_display():
        shown = selectors.eligibility(trainee)
    assert not shown.met
    assert not selectors.eligibility(trainee).met


def test_it_never_shows_one_person_another_s_totals(client, almost, trainee, other_trainee):
    client.get(PATH)
    client.force_login(other_trainee)
    response = client.get(PATH)
    practice = next(r for r in response.context["eligibility"].requirements if r.code == "practice")
    assert practice.done == 0


def test_it_answers_the_path_in_few_queries_once_warm(client, almost):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(PATH)
    cold = len(queries)
    with CaptureQueriesContext(connection) as queries:
        client.get(PATH)
    assert len(queries) <= 8 < cold


# --- The path kept whole per person (institut/personal_pages.py) ---------------------------------


def test_it_shows_an_approval_at_once_on_a_kept_path_and_dashboard(client, almost, trainer):
    from supervision.logbook import services as logbook_services

    assert APPLY not in html.unescape(kept(client, PATH))
    kept(client, DASHBOARD)
    logbook_services.practice_entry_approve(entry=almost, reviewer=trainer)
    assert APPLY in html.unescape(made(client, PATH))
    made(client, DASHBOARD)
    assert _met(client)[0] == _met(client)[1]


def test_it_closes_a_kept_path_when_the_role_is_removed(client, almost, trainee):
    from django.contrib.auth.models import Group

    from institut.roles import Role

    kept(client, PATH)
    trainee.groups.remove(Group.objects.get(name=Role.TRAINEE))
    assert client.get(PATH).status_code == 404


def test_it_never_serves_a_kept_path_to_another_person(client, almost, other_trainee):
    assert "Camille Martin" in kept(client, PATH)
    client.force_login(other_trainee)
    with served() as found:
        page = client.get(PATH).content.decode()
    assert found == [False]
    assert "Camille Martin" not in page and "Yanis Benali" in page


def test_it_shows_the_charter_message_once_then_keeps_the_path_again(client, eligible):
    helpers.make_charter(version=2)  # a new version, not accepted yet
    client.force_login(eligible)
    kept(client, PATH)
    assert client.post(reverse("certification:charter_accept"), {"accept": "on"}).status_code == 302
    with served() as found:
        page = html.unescape(client.get(PATH).content.decode())
    assert "Votre acceptation de la charte est enregistrée." in page and found == []
    assert "Votre acceptation de la charte est enregistrée." not in html.unescape(
        made(client, PATH)
    )
