"""The programme of an action states what Qualiopi's indicator 1 asks: prerequisites, teaching
and assessment methods, price and access delay, besides objectives, audience, dates and place."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from courses.training.pdf import render_programme_pdf
from tests.courses.conftest import build_course
from tests.courses.training.conftest import make_session
from tests.courses.training.helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def described(catalogue, course):
    paid = build_course(catalogue, title="Le processus", lessons=1, price_cents=24000)
    paid.prerequisites.set([course])
    paid.prerequisites_text = "Expérience professionnelle auprès de publics."
    paid.teaching_methods = "Apports, études de cas et jeux de rôle."
    paid.assessment_methods = "Mise en situation observée et quiz final."
    paid.access_delay = "Inscription jusqu'à quinze jours avant la session."
    paid.save_revision().publish()
    paid.refresh_from_db()
    return paid


def test_the_programme_states_prerequisites_methods_price_and_access_delay(described, trainer):
    session = make_session(described, trainer)
    text = pdf_text(render_programme_pdf(session=session, course=described))
    assert "Prérequis Expérience professionnelle auprès de publics." in text
    assert "Formations à avoir suivies : Les fondamentaux de la Thérapie Sociale" in text
    assert "Modalités pédagogiques et moyens Apports, études de cas et jeux de rôle." in text
    assert "Modalités d'évaluation Mise en situation observée et quiz final." in text
    assert "Prix : 240,00 €" in text
    assert "Inscription jusqu'à quinze jours avant la session." in text


def test_the_programme_states_the_sessions_own_price(described, trainer):
    session = make_session(described, trainer, price_cents=90000)
    text = pdf_text(render_programme_pdf(session=session, course=described))
    assert "Prix : 900,00 €" in text
    assert "240,00" not in text


def test_the_programme_of_a_free_action_says_so(course, trainer):
    session = make_session(course, trainer)
    text = pdf_text(render_programme_pdf(session=session, course=course))
    assert "Prix : Gratuit" in text
    assert "Modalités d'évaluation" not in text


def test_the_english_programme_lists_the_days_without_a_space_before_the_colon(course, trainer):
    session = make_session(course, trainer)
    with translation.override("en"):
        text = pdf_text(render_programme_pdf(session=session, course=course))
    assert re.search(r"\d{4}: morning \d\d:\d\d", text)
    assert " :" not in text
