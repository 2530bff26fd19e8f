"""The trainer's session page stays within a few queries for a full session; the path to
certification shows the in-session hours the scheme requires."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from certification.models import CertificationScheme
from certification.selectors import eligibility
from courses.training import services
from courses.training.models import Attendance
from courses.training.workspace import trainer_to_close_context
from institut.formats import date_text
from institut.roles import Role
from tests.conftest import analyze
from tests.courses.conftest import build_course
from tests.courses.test_translations import translate_course
from tests.courses.training.conftest import during, make_session, place, slots
from tests.courses.training.helpers import run_half_day, run_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_trainers_session_page_is_bounded_with_30_trainees_and_10_half_days(
    client, course, trainer, django_assert_max_num_queries
):
    session = make_session(course, trainer, days=5, capacity=30)
    placements = [place(session, UserFactory(roles=[Role.TRAINEE]), course) for _index in range(30)]
    half_days = slots(session)
    assert len(half_days) == 10
    for slot in half_days[:4]:
        with time_machine.travel(during(slot), tick=False):
            for placement in placements:
                services.attendance_record(
                    actor=trainer, slot=slot, placement=placement, status="absent"
                )
    analyze(Attendance)
    client.force_login(trainer)
    url = reverse("courses:training_manage", args=[session.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("cell-absent") == 120
    slot_url = reverse("courses:training_slot", args=[session.pk, half_days[0].pk])
    with django_assert_max_num_queries(14):
        assert client.get(slot_url).status_code == 200


@pytest.mark.calendar
def test_the_path_to_certification_shows_the_required_session_hours(
    client, session, course, trainee, trainer
):
    CertificationScheme.objects.create(min_training_hours=21, requires_charter=False)
    camille = place(session, trainee, course)
    before = next(r for r in eligibility(trainee).requirements if r.code == "training")
    assert (before.done, before.needed, before.met) == (0, 21, False)
    run_session(session, trainer, {camille: ("present", 0)})
    after = next(r for r in eligibility(trainee).requirements if r.code == "training")
    assert (after.done, after.met) == (21, True)
    client.force_login(trainee)
    page = client.get(reverse("certification:path")).content.decode()
    assert "Heures de formation en session réalisées" in page


def test_no_training_requirement_when_the_scheme_asks_for_none(trainee):
    CertificationScheme.objects.create(min_training_hours=0)
    assert "training" not in {r.code for r in eligibility(trainee).requirements}


@pytest.mark.calendar
def test_it_words_the_places_taken_and_says_when_full(client, course, trainer, trainee):
    session = make_session(course, trainer, capacity=1)
    place(session, trainee, course)
    client.force_login(trainee)

    page = client.get(reverse("courses:training_session", args=[session.pk])).content.decode()
    client.force_login(trainer)
    managed = client.get(reverse("courses:training_manage", args=[session.pk])).content.decode()

    for html in (page, managed):
        # Under the « Places » heading, the count does not say « places » again.
        assert "<dt>Places</dt><dd>1 prise sur 1 · Complet" in html
        assert "1 / 1" not in html


@pytest.mark.calendar
def test_it_words_the_places_taken_in_english_whatever_the_capacity(
    client, course, trainer, trainee
):
    """The English noun follows the capacity, not the count: never "1 of 1 places"."""
    from django.utils import translation

    session = make_session(course, trainer, capacity=1)
    place(session, trainee, course)
    client.force_login(trainee)
    with translation.override("en"):
        url = reverse("courses:training_session", args=[session.pk])
        managed_url = reverse("courses:training_manage", args=[session.pk])
    page = client.get(url).content.decode()
    client.force_login(trainer)
    managed = client.get(managed_url).content.decode()

    for html in (page, managed):
        assert "<dt>Places</dt><dd>1 of 1 taken · Full" in html
        assert "of 1 places" not in html and "Places taken" not in html


@pytest.mark.parametrize("language", ["", "/en"])
def test_every_page_answers_in_both_languages(
    client, session, course, trainee, trainer, staff, language, django_capture_on_commit_callbacks
):
    camille = place(session, trainee, course)
    with django_capture_on_commit_callbacks(execute=True):
        run_session(session, trainer, {camille: ("late", 10)})
    slot = slots(session)[0]
    certificate = camille.certificate
    survey = camille.satisfaction_requests.get()
    pages = {
        trainer: [
            "/formation/sessions/",
            "/formation/sessions/nouvelle/",
            f"/formation/sessions/{session.pk}/",
            f"/formation/sessions/{session.pk}/demi-journees/{slot.pk}/",
            f"/formation/sessions/{session.pk}/satisfaction/",
            f"/formation/sessions/{session.pk}/satisfaction/formation/",
        ],
        trainee: [
            "/sessions-de-formation/",
            f"/sessions-de-formation/{session.pk}/",
            "/espace/sessions/",
            f"/satisfaction/{survey.token}/",
            f"/certificats-de-realisation/verifier/{certificate.number}/",
        ],
        staff: [
            "/formation/bpf/",
            f"/formation/sessions/{session.pk}/dossier-de-preuves/",
            "/admin/training_satisfaction_questions/",
        ],
    }
    for person, urls in pages.items():
        client.force_login(person)
        for url in urls:
            path = url if url.startswith("/admin/") else language + url
            assert client.get(path).status_code == 200, path
    # The session is closed: its place page sends back to its page (the reason is said there).
    client.force_login(staff)
    place_page = client.get(f"{language}/formation/sessions/{session.pk}/placer/")
    assert place_page["Location"] == f"{language}/formation/sessions/{session.pk}/"
    client.force_login(trainee)
    page = client.get(f"{language}/sessions-de-formation/{session.pk}/").content.decode()
    expected = "Download my certificate of completion" if language else "Télécharger mon certificat"
    assert expected in page


def test_a_half_day_reads_with_each_language_s_colon(client, session, placed, trainee):
    client.force_login(trainee)
    url = reverse("courses:training_session", args=[session.pk])
    french = client.get(url).content.decode().split("<details", 1)[-1]
    english = client.get("/en" + url).content.decode().split("<details", 1)[-1]

    assert "Matin : 09:00" in french
    assert "Morning: 09:00" in english and "Morning : " not in english


@pytest.mark.parametrize(
    ("language", "month_names"),
    [
        (
            "fr",
            "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
        ),
        (
            "en",
            "January|February|March|April|May|June|July|August|September|October|November|December",
        ),
    ],
)
def test_the_trainer_s_session_list_writes_the_months_in_full(
    client, course, trainer, language, month_names
):
    import re

    make_session(course, trainer)
    client.force_login(trainer)
    prefix = "" if language == "fr" else "/en"

    page = client.get(f"{prefix}/formation/sessions/").content.decode()

    day = rf"\d+(er)? ({month_names}) \d{{4}}"
    assert re.search(rf'<td data-label="[^"]+">{day} → {day}</td>', page)


def test_each_sheet_pdf_link_names_its_half_day_in_words(client, course, trainer):
    import re

    session = make_session(course, trainer, days=1)
    client.force_login(trainer)

    page = client.get(reverse("courses:training_manage", args=[session.pk])).content.decode()

    names = re.findall(r'PDF<span class="visually-hidden"> — ([^<]+)</span>', page)
    assert len(names) == 2
    assert all(re.fullmatch(r"Feuille d'émargement \w+ \d+(er)? \w+ \d{4}, \S+", n) for n in names)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", " ".join(names))


def test_the_session_history_names_the_statuses_in_the_page_s_language(
    client, course, trainer, trainee
):
    session = make_session(course, trainer)
    place(session, trainee, course)
    services.session_confirm(actor=trainer, session=session)
    client.force_login(trainer)
    url = reverse("courses:training_manage", args=[session.pk])

    french = client.get(url).content.decode().split("<details", 1)[-1]
    english = client.get("/en" + url).content.decode().split("<details", 1)[-1]

    assert "(programmée → confirmée)" in french
    assert "(∅ → place confirmée)" in french
    assert "(scheduled → confirmed)" in english
    for code in ("(planned", "→ placed)"):
        assert code not in french and code not in english


@pytest.mark.calendar
def test_an_english_reader_sees_the_course_s_english_title(client, course, trainer, trainee):
    translate_course(course)
    session = make_session(course, trainer, title="Session d'hiver")
    place(session, trainee, course)
    client.force_login(trainee)

    listing_url = reverse("courses:training_sessions")
    detail_url = reverse("courses:training_session", args=[session.pk])

    listing = client.get("/en" + listing_url).content.decode()
    detail = client.get("/en" + detail_url)

    assert f"{course.title} (EN)" in listing
    assert f"{course.title} (EN)" in detail.content.decode()


def next_half_day_box(space: str) -> str:
    return space.split('id="next-training-title"', 1)[1].split("</section>", 1)[0]


@pytest.mark.calendar
def test_a_trainee_reads_the_course_in_the_page_s_language(client, course, trainer, trainee):
    """« Mes sessions » and the next half-day on /espace/ name the course as the trainer's pages
    do: in the page's language when the course is translated."""
    english = translate_course(course)
    place(make_session(course, trainer), trainee, course)
    client.force_login(trainee)
    for url, part in (("/espace/sessions/", str), ("/espace/", next_half_day_box)):
        in_english = part(client.get("/en" + url).content.decode())
        in_french = part(client.get(url).content.decode())
        assert english.title in in_english, url
        assert course.title not in in_english.replace(english.title, ""), url
        assert course.title in in_french and english.title not in in_french, url


@pytest.mark.calendar
def test_my_sessions_queries_do_not_grow_with_the_courses(client, catalogue, trainer, trainee):
    def queries_for(count: int) -> int:
        for index in range(count):
            course = build_course(catalogue, title=f"Formation {len(made) + 1}", lessons=1)
            translate_course(course)
            made.append(place(make_session(course, trainer, days_ahead=3 + index), trainee, course))
        client.get("/en/espace/sessions/")  # the first request of a login reads a few things once
        with CaptureQueriesContext(connection) as seen:
            content = client.get("/en/espace/sessions/").content.decode()
        assert all(f"Formation {n} (EN)" in content for n in range(1, len(made) + 1))
        return len(seen)

    made = []
    client.force_login(trainee)
    assert queries_for(1) == queries_for(3)


@pytest.mark.calendar
def test_a_trainer_reads_the_course_in_the_page_s_language(client, course, trainer):
    """The trainer's pages name the course as its live page does in the page's language; the
    session form still offers the French (source) page that the session belongs to."""
    english = translate_course(course)
    named = make_session(course, trainer, title="Session d'hiver")
    untitled = make_session(course, trainer, days_ahead=10)
    create_url = reverse("courses:training_manage_create")
    edit_url = reverse("courses:training_manage_edit", args=[named.pk])
    client.force_login(trainer)
    pages = [
        reverse("courses:training_manage_list"),
        reverse("courses:training_manage", args=[named.pk]),
        reverse("courses:training_manage", args=[untitled.pk]),
        reverse("courses:training_place", args=[untitled.pk]),
        reverse("courses:training_satisfaction_results", args=[untitled.pk]),
        reverse("courses:training_course_satisfaction", args=[named.pk]),
    ]
    for url in pages:
        in_english = client.get("/en" + url).content.decode()
        in_french = client.get(url).content.decode()
        assert english.title in in_english, url
        assert course.title not in in_english.replace(english.title, ""), url
        assert course.title in in_french and english.title not in in_french, url

    form = client.get("/en" + create_url).content.decode()
    assert f'<option value="{course.pk}">{english.title}</option>' in form
    edit = client.get("/en" + edit_url).content.decode()
    assert f'<option value="{course.pk}" selected>{english.title}</option>' in edit
    french_form = client.get(create_url).content.decode()
    assert f'<option value="{course.pk}">{course.title}</option>' in french_form


@pytest.mark.calendar
def test_the_session_list_gives_the_whole_address(client, course, trainer, trainee):
    address = "Maison des associations, 8 rue du Général Renault, 75011 Paris"
    make_session(course, trainer, address=address)
    client.force_login(trainee)

    listing = client.get(reverse("courses:training_sessions")).content.decode()

    assert address in listing


def trainer_box(space: str, title_id: str) -> str:
    return space.split(f'id="{title_id}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.calendar
def test_a_trainer_s_space_names_the_course_in_the_page_s_language(client, course, trainer):
    """The half-days of the day and the sessions to close on the trainer's /espace/ name the
    course as the trainee's box does: in the page's language when the course is translated."""
    english = translate_course(course)
    session = make_session(course, trainer)
    client.force_login(trainer)
    with time_machine.travel(during(slots(session)[0]), tick=False):
        in_english = trainer_box(client.get("/en/espace/").content.decode(), "trainer-slots-title")
        in_french = trainer_box(client.get("/espace/").content.decode(), "trainer-slots-title")
    assert english.title in in_english
    assert course.title not in in_english.replace(english.title, "")
    assert course.title in in_french and english.title not in in_french
    with time_machine.travel(slots(session)[-1].ends_at + timedelta(hours=1), tick=False):
        for language, title in (("en", english.title), ("fr", course.title)):
            with translation.override(language):
                (to_close,) = trainer_to_close_context(trainer)["sessions_to_close"]
                assert to_close.display_title == title


def test_the_session_history_names_a_signed_half_day_as_the_sheet_does_in_the_page_s_language(
    client, course, trainer, trainee
):
    # The event keeps the half-day as written when the French trainer signed it (« 2026-…
    # après-midi »); readers see « lundi 2 novembre 2026, après-midi », "Monday … afternoon".
    session = make_session(course, trainer)
    placement = place(session, trainee, course)
    services.session_confirm(actor=trainer, session=session)
    slot = slots(session)[1]
    with translation.override("fr"):
        run_half_day(slot, trainer, [(placement, "present", 0)])
    client.force_login(trainer)
    url = reverse("courses:training_manage", args=[session.pk])

    french = client.get(url).content.decode().split("<details", 1)[-1]
    english = client.get("/en" + url).content.decode().split("<details", 1)[-1]

    with translation.override("fr"):
        day = date_text(slot.date, "l j F Y")
    with translation.override("en"):
        english_day = date_text(slot.date, "l j F Y")
    assert f"feuille signée — {day}, après-midi" in french
    assert f"sheet signed — {english_day}, afternoon" in english
    assert not re.search(r"\d{4}-\d{2}-\d{2}", french + english)
    assert "après-midi" not in english


@pytest.mark.calendar
def test_french_titles_on_a_trainee_s_english_pages_are_marked_french(
    client, course, trainer, trainee
):
    """A session's title is typed in French, and the course has no English version yet: on
    the English space, « Mes sessions » and the list of sessions they read lang="fr"."""
    titled = make_session(course, trainer, title="Session hivernale", days_ahead=3)
    untitled = make_session(course, trainer, days_ahead=10)
    place(titled, trainee, course)
    place(untitled, trainee, course)
    client.force_login(trainee)
    title = '<span lang="fr">Session hivernale</span>'
    course_name = f'<span lang="fr">{course.title}</span>'

    box = next_half_day_box(client.get("/en/espace/").content.decode())
    mine = client.get("/en/espace/sessions/").content.decode()
    listing = client.get("/en/sessions-de-formation/").content.decode()

    assert title in box
    assert title in mine and course_name in mine
    assert title in listing and f'<p class="meta">{course_name}</p>' in listing
    for url in ("/espace/", "/espace/sessions/", "/sessions-de-formation/"):
        assert 'lang="fr">' not in client.get(url).content.decode().split("<body", 1)[1], url


@pytest.mark.calendar
def test_a_translated_course_names_an_untitled_session_in_english_unmarked(
    client, course, trainer, trainee
):
    english = translate_course(course)
    place(make_session(course, trainer), trainee, course)
    client.force_login(trainee)

    for url in ("/en/espace/", "/en/espace/sessions/", "/en/sessions-de-formation/"):
        content = client.get(url).content.decode()
        assert english.title in content, url
        assert f'<span lang="fr">{english.title}' not in content, url
        assert course.title not in content.replace(english.title, ""), url


@pytest.mark.calendar
def test_a_french_session_title_is_marked_french_on_the_session_and_trainer_pages(
    client, course, trainer
):
    """The session's page, the trainer's list and page of a session read its title (typed in
    French) and its untranslated course lang="fr" on English pages, as the lists do."""
    session = make_session(course, trainer, title="Session hivernale")
    title = '<span lang="fr">Session hivernale</span>'
    course_name = f'<span lang="fr">{course.title}</span>'
    client.force_login(trainer)

    for url in (
        reverse("courses:training_session", args=[session.pk]),
        reverse("courses:training_manage", args=[session.pk]),
    ):
        english = client.get("/en" + url).content.decode()
        assert f"<h1>{title}</h1>" in english and course_name in english, url
        assert "<h1>Session hivernale</h1>" in client.get(url).content.decode(), url
    assert title in client.get("/en" + reverse("courses:training_manage_list")).content.decode()
