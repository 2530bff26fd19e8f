"""Forms with errors as GOV.UK and the DSFR show them: a summary at the top of the page whose links
reach their fields, the invalid fields marked and described, the page's title saying « Erreur : »,
and the asterisk explained."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.forms import BaseForm
from django.urls import reverse

from tests.certification import helpers as certification_helpers
from tests.certification.registry.helpers import practitioner
from tests.courses.conftest import build_catalogue, build_course
from tests.courses.training.conftest import enrol, make_session
from tests.supervision.logbook.helpers import assign, form_post

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    """One form posted with bad input by the person allowed to use it."""

    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    person: str | None = None  # a fixture of tests/conftest.py, or None for a visitor
    setup: Callable[[dict], dict] = lambda people: {}


def _eligible(people) -> dict:
    catalogue = build_catalogue()
    course = build_course(catalogue, title="Découvrir la Thérapie Sociale", lessons=1)
    charter = certification_helpers.make_charter()
    certification_helpers.make_scheme(course_keys=[course.translation_key])
    certification_helpers.make_eligible(
        people["trainee"], people["trainer"], course=course, charter=charter
    )
    return {}


def _application(people) -> dict:
    from certification import services

    _eligible(people)
    application = services.application_submit(
        applicant=people["trainee"], statement="J'interviens depuis deux ans en quartier."
    )
    return {"application": application}


def _listed(people) -> dict:
    _certificate, profile = practitioner("Noël Çelik", scheme=certification_helpers.make_scheme())
    return {"profile": profile}


def _training_session(people) -> dict:
    course = build_course(build_catalogue(), title="Les fondamentaux", lessons=1)
    enrol(people["trainee"], course)
    return {"course": course, "session": make_session(course, people["trainer"])}


CASES = {
    "login": Case(
        url=lambda o: reverse("account_login"),
        data=lambda o: {"login": "pas-une-adresse", "password": ""},
    ),
    "signup": Case(
        url=lambda o: reverse("account_signup"),
        data=lambda o: {"full_name": "", "email": "pas-une-adresse", "password1": "a"},
    ),
    "logbook entry": Case(
        person="trainee",
        setup=lambda people: assign(people["trainee"], people["trainer"]) and {},
        url=lambda o: reverse("supervision:logbook_entry_create"),
        data=lambda o: form_post(steps=None, hours="13", minutes="7", role=None),
    ),
    "supervision session": Case(
        person="trainer",
        url=lambda o: reverse("supervision:session_create"),
        data=lambda o: {"title": "", "kind": "", "capacity": "0"},
    ),
    "application": Case(
        person="trainee",
        setup=_eligible,
        url=lambda o: reverse("certification:apply"),
        data=lambda o: {"statement": "  "},
    ),
    "committee decision": Case(
        person="committee_member",
        setup=_application,
        url=lambda o: reverse("certification:committee_application", args=[o["application"].pk]),
        data=lambda o: {"decision": ""},
    ),
    "registry contact": Case(
        setup=_listed,
        url=lambda o: reverse("certification:registry_contact", args=[o["profile"].slug]),
        data=lambda o: {"name": "", "email": "pas-une-adresse", "message": "", "website": ""},
    ),
    "training session": Case(
        person="trainer",
        setup=_training_session,
        url=lambda o: reverse("courses:training_manage_create"),
        data=lambda o: {"course": o["course"].pk, "title": "", "capacity": "0", "mode": ""},
    ),
    "training place (booking)": Case(
        person="trainer",
        setup=_training_session,
        url=lambda o: reverse("courses:training_place", args=[o["session"].pk]),
        data=lambda o: {"enrolment": "999999"},
    ),
}


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def _tag_with_id(page: str, element_id: str) -> str:
    match = re.search(rf'<(input|select|textarea)\b[^>]*\sid="{re.escape(element_id)}"[^>]*>', page)
    assert match, f"no input with id {element_id}"
    return match.group(0)


@pytest.mark.parametrize("name", list(CASES))
def test_it_summarises_the_errors_and_ties_each_to_its_field(client, request, name):
    case = CASES[name]
    people = {
        key: request.getfixturevalue(key) for key in ("trainee", "trainer", "committee_member")
    }
    objects = case.setup(people) or {}
    if case.person:
        client.force_login(people[case.person])

    response = client.post(case.url(objects), case.data(objects))

    assert response.status_code in (200, 400), response.status_code
    page = html.unescape(response.content.decode())
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert title.startswith("Erreur : ")
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "no error summary"
    assert 'tabindex="-1"' in summary.group(0) and "data-error-summary" in summary.group(0)
    # The summary comes first in the main landmark, before any heading of the page.
    main = page.split('<main id="contenu"', 1)[1]
    assert main.index("error-summary") < main.index("<h1")
    anchors = re.findall(r'<a href="#([^"]+)"', summary.group(1))
    assert anchors, "no link in the summary"
    ids = _ids(page)
    for anchor in anchors:
        assert anchor in ids, f"the summary links to #{anchor}, which is not on the page"
    # Every field in error: aria-invalid, and aria-describedby naming its error (and help).
    forms = {
        id(value): value
        for context in response.context
        for value in context.flatten().values()
        if isinstance(value, BaseForm) and value.is_bound
    }
    fields = [bound for form in forms.values() for bound in form.visible_fields() if bound.errors]
    assert fields, "no field in error"
    for bound in fields:
        assert f"{bound.auto_id}_error" in ids
        if bound.field.widget.use_fieldset:
            fieldset = re.search(
                rf'<fieldset[^>]*aria-describedby="([^"]*)"[^>]*>\s*<legend>{re.escape(str(bound.label))}',
                page,
            )
            assert fieldset and f"{bound.auto_id}_error" in fieldset.group(1)
            first = bound.subwidgets[0].id_for_label
            assert 'aria-invalid="true"' in _tag_with_id(page, first)
        else:
            tag = _tag_with_id(page, bound.id_for_label)
            assert 'aria-invalid="true"' in tag
            described = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
            assert f"{bound.auto_id}_error" in described
            if bound.help_text:
                assert (
                    f"{bound.auto_id}_helptext" in described and f"{bound.auto_id}_helptext" in ids
                )
    # The asterisk is explained once per form that uses it.
    if 'aria-hidden="true">*</span>' in page:
        assert "Les champs marqués d'un astérisque" in page


def test_it_says_error_in_english_on_english_pages(client):
    response = client.post("/en/comptes/login/", {"login": "", "password": ""})
    page = response.content.decode()
    assert re.search(r"<title>\s*Error: ", page)
    assert "There is a problem" in page
    assert "Fields marked with an asterisk" in page


def test_it_joins_each_field_to_its_error_as_the_language_does(client, db):
    french = client.get("/registre/verifier/?numero=TST-2026-WBMZF").content.decode()
    english = client.get("/en/registre/verifier/?numero=TST-2026-WBMZF").content.decode()

    assert "Numéro du certificat : Ce numéro" in french
    assert "Certificate number: This number" in english


def test_it_drops_the_full_stop_of_a_sentence_label_before_its_error(client, trainee):
    client.force_login(trainee)

    page = html.unescape(
        client.post(reverse("account_delete"), {"password": "pas-le-bon"}).content.decode()
    )

    assert "ne peut pas être annulée : " in page
    assert "annulée. :" not in page


def test_it_leaves_pages_without_errors_alone(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "error-summary" not in page
    assert "Erreur :" not in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "error-summary.js" not in page


def test_it_links_a_form_wide_error_to_the_first_field(client, trainee):
    response = client.post(
        reverse("account_login"), {"login": trainee.email, "password": "mauvais-mot-de-passe"}
    )
    page = html.unescape(response.content.decode())
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    assert '<a href="#id_login">' in summary


def test_it_gives_the_two_factor_page_its_own_title(client, committee_member):
    client.post(
        reverse("account_login"),
        {"login": committee_member.email, "password": "correct-horse-battery-staple"},
    )
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert "Se connecter" not in title
    assert "deux facteurs" in title


def test_each_session_of_a_series_has_its_own_title(client, trainee, trainer):
    from datetime import timedelta

    from tests.supervision.factories import SessionFactory

    first = SessionFactory(trainer=trainer, title="Supervision du mardi")
    second = SessionFactory(
        trainer=trainer,
        title="Supervision du mardi",
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.ends_at + timedelta(days=7),
    )
    client.force_login(trainee)
    titles = {
        re.search(
            r"<title>(.*?)</title>",
            client.get(reverse("supervision:session_detail", args=[s.pk])).content.decode(),
            re.S,
        ).group(1)
        for s in (first, second)
    }
    assert len(titles) == 2
    assert all("Supervision du mardi" in title for title in titles)
