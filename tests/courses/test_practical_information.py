"""The practical information Qualiopi (indicator 1) asks a course's public page to state:
prerequisites, teaching and assessment methods, access delay and price, in French and English."""

from __future__ import annotations

import pytest

from tests.courses.conftest import build_course, english_course

pytestmark = pytest.mark.django_db

FRENCH = {
    "prerequisites_text": "Expérience professionnelle auprès de publics.",
    "teaching_methods": "Apports, études de cas et jeux de rôle.",
    "assessment_methods": "Mise en situation observée et quiz final.",
    "access_delay": "Inscription jusqu'à quinze jours avant la session.",
}
ENGLISH = {
    "prerequisites_text": "Professional experience with the public.",
    "teaching_methods": "Input, case studies and role plays.",
    "assessment_methods": "An observed role play and a final quiz.",
    "access_delay": "Registration until fifteen days before the session.",
}


@pytest.fixture
def course(catalogue):
    first = build_course(catalogue, title="Découvrir la méthode", lessons=1)
    course = build_course(
        catalogue, title="Le processus", lessons=1, price_cents=24000, prerequisites=[first]
    )
    for name, value in FRENCH.items():
        setattr(course, name, value)
    course.save_revision().publish()
    course.refresh_from_db()
    return course


def test_the_course_page_states_its_practical_information_in_french(
    client, trainee, course, django_assert_max_num_queries
):
    client.force_login(trainee)  # signed in: the page is built, not served from the page cache
    client.get(course.url)  # warm caches (site root paths, settings)
    # 7, the practical information included: it is read with the page, and the prerequisite
    # courses the enrolment box lists already; 3 more for the results of the course's sessions
    # (courses.training.selectors.course_results), whatever their number.
    with django_assert_max_num_queries(10):
        html = client.get(course.url).content.decode()
    assert "Informations pratiques" in html
    for label in (
        "Prérequis",
        "Modalités pédagogiques et moyens",
        "Modalités d'évaluation",
        "Délais d'accès",
    ):
        assert f"<dt>{label}</dt>" in html
    for value in FRENCH.values():
        assert value.replace("'", "&#x27;") in html
    assert "Formations à avoir suivies :" in html
    assert ">Découvrir la méthode</a>" in html
    assert "240,00\xa0€" in html


def test_a_course_without_practical_information_shows_no_empty_section(client, catalogue):
    course = build_course(catalogue, lessons=1)
    html = client.get(course.url).content.decode()
    assert "Informations pratiques" not in html


def test_the_translated_course_page_states_it_in_english(client, course):
    translated = english_course(course, title="The process", **ENGLISH)
    html = client.get(translated.url).content.decode()
    assert "Practical information" in html
    for label in (
        "Prerequisites",
        "Teaching methods and tools",
        "Assessment methods",
        "Access delay",
    ):
        assert f"<dt>{label}</dt>" in html
    assert "Courses to have taken:" in html
    for value in ENGLISH.values():
        assert value in html
    for value in FRENCH.values():
        assert value.replace("'", "&#x27;") not in html
    assert "€240.00" in html
