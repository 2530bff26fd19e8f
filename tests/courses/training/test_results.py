"""The results a course page publishes (Qualiopi indicator 2): satisfaction rate and completion
rate of the sessions ended in the last 12 months, from the answers and the attendance, never
typed; nothing but a notice below the Institut's minimum number of responses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Site

from courses.selectors import course_results
from courses.training.models import Attendance, SatisfactionQuestion
from home.models import InstitutSettings
from institut.lib.rates import year_before
from tests.courses.conftest import english_course
from tests.courses.training.results_data import held_session, respond

pytestmark = pytest.mark.django_db

NOT_ENOUGH = "Pas encore assez de réponses pour publier un taux."


def results(course):
    return course_results(course_key=course.translation_key)


def minimum(value: int) -> None:
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.results_min_responses = value
    details.save()


def headline(text_start: str) -> SatisfactionQuestion:
    question = SatisfactionQuestion.objects.get(kind="hot", text__startswith=text_start)
    question.is_headline = True
    question.save()
    return question


# --- The computation -----------------------------------------------------------------------------


def test_a_course_without_sessions_has_no_rate(course):
    figures = results(course)
    assert (figures.responses, figures.placements) == (0, 0)
    assert figures.satisfaction_rate is None and figures.completion_rate is None
    assert not figures.enough


def test_sessions_not_ended_cancelled_or_never_confirmed_do_not_count(course, trainer):
    held_session(course, trainer, ended_days_ago=-2, scores=[5] * 5, status="confirmed")
    held_session(course, trainer, ended_days_ago=10, scores=[5] * 5, status="cancelled")
    held_session(course, trainer, ended_days_ago=10, scores=[5] * 5, status="planned")
    figures = results(course)
    assert (figures.responses, figures.placements) == (0, 0)


def test_an_ended_session_not_yet_closed_counts(course, trainer):
    held_session(course, trainer, ended_days_ago=1, scores=[5] * 5, status="confirmed")
    assert results(course).responses == 5


def test_below_the_minimum_no_rate_is_published_and_at_the_minimum_it_is(course, trainer):
    held_session(course, trainer, ended_days_ago=30, scores=[5, 5, 4, 2])
    figures = results(course)
    assert (figures.responses, figures.min_responses, figures.enough) == (4, 5, False)
    held_session(course, trainer, ended_days_ago=20, scores=[3])
    figures = results(course)
    assert figures.enough
    assert (figures.responses, figures.satisfied, figures.satisfaction_rate) == (5, 3, 60)


def test_the_minimum_is_the_institut_setting(course, trainer):
    held_session(course, trainer, ended_days_ago=30, scores=[5, 5])
    minimum(2)
    assert results(course).enough


def test_only_sessions_ended_in_the_last_twelve_months_count(course, trainer):
    held_session(course, trainer, ended_days_ago=400, scores=[1] * 5, attended=[False] * 5)
    held_session(course, trainer, ended_days_ago=300, scores=[5] * 5)
    figures = results(course)
    assert (figures.responses, figures.satisfaction_rate) == (5, 100)
    assert (figures.placements, figures.completion_rate) == (5, 100)
    today = timezone.localdate()
    assert figures.until == today
    assert figures.since == year_before(today)
    assert timedelta(days=365) <= today - figures.since <= timedelta(days=366)


def test_without_headline_a_response_is_satisfied_when_its_mean_is_four_or_more(course, trainer):
    held_session(
        course,
        trainer,
        ended_days_ago=5,
        scores=[[5, 4, 3, 4, 4], [3, 4, 4, 3, 4], [5, 5, 5, 5, 5]],  # 4.0, 3.6, 5.0
    )
    figures = results(course)
    assert not figures.by_headline
    assert (figures.responses, figures.satisfied, figures.satisfaction_rate) == (3, 2, 67)


def test_with_a_headline_question_only_its_score_counts(course, trainer):
    headline("Recommanderiez")  # the fifth question
    held_session(
        course,
        trainer,
        ended_days_ago=5,
        scores=[[1, 1, 1, 1, 4], [5, 5, 5, 5, 3], [2, 2, 2, 2, 5], [5, 5, 5, 5]],
    )
    figures = results(course)
    assert figures.by_headline
    # The fourth response did not score the headline question: left out.
    assert (figures.responses, figures.satisfied, figures.satisfaction_rate) == (3, 2, 67)


def test_cold_responses_do_not_count(course, trainer):
    held_session(course, trainer, ended_days_ago=120, scores=[5] * 5, kind="cold")
    assert results(course).responses == 0


def test_completion_counts_trainees_present_or_late_at_every_half_day(course, trainer):
    session = held_session(
        course, trainer, ended_days_ago=3, attended=[True, True, True, False], scores=[5] * 4
    )
    figures = results(course)
    assert (figures.placements, figures.completed, figures.completion_rate) == (4, 3, 75)
    # The trainer corrects the absence: late, 20 minutes.
    absent = Attendance.objects.get(placement__session=session, status="absent")
    Attendance.objects.create(
        slot=absent.slot,
        placement=absent.placement,
        trainee=absent.trainee,
        status="late",
        minutes_late=20,
        method="trainer",
        recorded_by=trainer,
        reason="Arrivée après la pause",
        sheet_hash="1" * 64,
        supersedes=absent,
    )
    figures = results(course)
    assert (figures.completed, figures.completion_rate) == (4, 100)


def test_the_results_take_three_queries_whatever_the_sessions(
    course, trainer, django_assert_max_num_queries
):
    for days in range(10, 70, 10):
        held_session(course, trainer, ended_days_ago=days, scores=[4] * 3, attended=[True, False])
    results(course)  # the Institut's settings are read once, then kept
    with django_assert_max_num_queries(3):
        figures = results(course)
    assert (figures.responses, figures.placements, figures.completed) == (18, 18, 12)


# --- The headline question -----------------------------------------------------------------------


def test_one_headline_question_per_questionnaire(db):
    headline("Recommanderiez")
    cold = SatisfactionQuestion.objects.filter(kind="cold", answer_type="scale").first()
    cold.is_headline = True
    cold.save()  # the other questionnaire has its own
    second = SatisfactionQuestion.objects.get(kind="hot", text__startswith="Le contenu")
    second.is_headline = True
    with pytest.raises(ValidationError, match="déjà une question principale"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_a_free_text_or_retired_question_cannot_be_the_headline(db):
    free = SatisfactionQuestion.objects.filter(kind="cold", answer_type="text").first()
    free.is_headline = True
    with pytest.raises(ValidationError, match="posée et notée de 1 à 5"):
        free.full_clean()
    retired = SatisfactionQuestion.objects.filter(kind="hot").first()
    retired.is_headline, retired.is_active = True, False
    with pytest.raises(IntegrityError), transaction.atomic():
        retired.save()


# --- The course page -----------------------------------------------------------------------------


@pytest.fixture
def rated(course, trainer):
    held_session(course, trainer, ended_days_ago=40, scores=[5, 5, 4, 3, 5], attended=[True] * 4)
    held_session(course, trainer, ended_days_ago=10, scores=[5], attended=[True, True, False])
    return course


def test_the_course_page_publishes_the_results_in_french(client, rated):
    html = client.get(rated.url).content.decode()
    assert '<h2 id="results-title">Résultats</h2>' in html
    assert (
        "83 % de stagiaires satisfait·es (note de 4 ou 5 sur 5), sur 6 stagiaires ayant "
        "répondu au questionnaire de fin de session" in html
    )
    assert (
        "88 % des stagiaires ont suivi toutes les demi-journées de leur session, sur 8 stagiaires"
        in html
    )
    since = year_before(timezone.localdate())
    assert f"Sessions terminées du {since.day} " in html
    assert NOT_ENOUGH not in html


def test_below_the_minimum_the_page_says_only_that_there_are_not_enough(client, course, trainer):
    held_session(course, trainer, ended_days_ago=40, scores=[5, 5, 5, 5])
    html = client.get(course.url).content.decode()
    assert NOT_ENOUGH in html
    assert "Taux de satisfaction" not in html and "%" not in html.split("results-title")[1]


def test_the_translated_course_page_publishes_the_same_results_in_english(client, rated):
    translated = english_course(rated, title="The foundations")
    html = client.get(translated.url).content.decode()
    assert '<h2 id="results-title">Results</h2>' in html
    assert (
        "83% of respondents satisfied (a score of 4 or 5 out of 5), out of 6 trainees who "
        "answered the end-of-session questionnaire" in html
    )
    assert "88% of trainees attended every half-day of their session, out of 8 trainees" in html
    assert "Sessions ended from " in html
    assert "Taux de satisfaction" not in html


def test_the_course_page_queries_stay_bounded_with_many_sessions_and_responses(
    client, trainee, course, trainer, django_assert_max_num_queries
):
    for days in range(5, 300, 15):
        held_session(course, trainer, ended_days_ago=days, scores=[4, 5, 3], attended=[True] * 3)
    client.force_login(trainee)  # signed in: the page is built, not served from the page cache
    client.get(course.url)  # warm caches (site root paths, settings)
    # 7 for the page as before (tests/courses/test_practical_information.py), 3 for the results.
    with django_assert_max_num_queries(10):
        html = client.get(course.url).content.decode()
    assert "sur 60 stagiaires ayant répondu" in html


# --- The anonymous page cache --------------------------------------------------------------------


def test_a_new_response_refreshes_the_cached_anonymous_page(
    client, course, trainer, django_capture_on_commit_callbacks
):
    session = held_session(course, trainer, ended_days_ago=40, scores=[5] * 4, attended=[True] * 5)
    assert NOT_ENOUGH in client.get(course.url).content.decode()  # now cached
    assert NOT_ENOUGH in client.get(course.url).content.decode()
    last = session.placements.filter(satisfaction_requests__isnull=True).get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        respond(last, 2)
    assert callbacks  # bumped again once committed
    html = client.get(course.url).content.decode()
    assert "80 % de stagiaires satisfait·es" in html


def test_an_attendance_correction_of_an_ended_session_refreshes_the_cached_page(
    client, course, trainer, django_capture_on_commit_callbacks
):
    session = held_session(course, trainer, ended_days_ago=3, scores=[5] * 5, attended=[False])
    assert "80 % des stagiaires ont suivi" in client.get(course.url).content.decode()
    absent = Attendance.objects.get(placement__session=session, status="absent")
    with django_capture_on_commit_callbacks(execute=True):
        Attendance.objects.create(
            slot=absent.slot,
            placement=absent.placement,
            trainee=absent.trainee,
            status="present",
            method="trainer",
            recorded_by=trainer,
            reason="Présence constatée en salle",
            sheet_hash="1" * 64,
            supersedes=absent,
        )
    assert "100 % des stagiaires ont suivi" in client.get(course.url).content.decode()


def test_signing_a_half_day_of_a_session_still_running_keeps_the_cached_pages(
    course, trainer, django_capture_on_commit_callbacks
):
    from institut.page_cache import site_pages

    session = held_session(course, trainer, ended_days_ago=-1, attended=[True])
    placement = session.placements.get()
    first = session.slots.order_by("starts_at").first()
    version = site_pages.version()
    with django_capture_on_commit_callbacks(execute=True):
        Attendance.objects.create(
            slot=first,
            placement=placement,
            trainee=placement.trainee,
            status="present",
            method="own_device",
            recorded_by=placement.trainee,
            sheet_hash="2" * 64,
            supersedes=Attendance.objects.get(slot=first, placement=placement),
        )
    assert site_pages.version() == version


# --- The programme PDF ---------------------------------------------------------------------------


def test_the_programme_states_the_results_of_the_course(rated, trainer):
    from courses.training.pdf import render_programme_pdf
    from tests.courses.training.conftest import make_session
    from tests.courses.training.helpers import pdf_text

    text = pdf_text(render_programme_pdf(session=make_session(rated, trainer), course=rated))
    assert (
        "Résultats Satisfaction : 83 % (note de 4 ou 5 sur 5, 6 réponses) ; achèvement : 88 % "
        "des 8 stagiaires ; sessions terminées du" in text
    )


def test_the_programme_says_when_there_are_not_enough_responses(course, trainer):
    from courses.training.pdf import render_programme_pdf
    from tests.courses.training.conftest import make_session
    from tests.courses.training.helpers import pdf_text

    text = pdf_text(render_programme_pdf(session=make_session(course, trainer), course=course))
    assert f"Résultats {NOT_ENOUGH}" in text
