"""Satisfaction à chaud: the trainee's own link, one answer each, results without names."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.training import services
from courses.training.models import SatisfactionQuestion, SatisfactionResponse
from courses.training.services import TrainingRefused
from tests.courses.conftest import build_course
from tests.courses.training.conftest import make_session, place
from tests.courses.training.helpers import run_session

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def answer_post(kind="hot", score=4) -> dict:
    data = {}
    for question in SatisfactionQuestion.objects.filter(kind=kind, is_active=True):
        data[f"q_{question.pk}"] = str(score) if question.answer_type == "scale" else "Oui"
    return data


def answer_hot_then_read_as(client, session, trainee, reader) -> None:
    """`trainee` answers the hot questionnaire (4 out of 5 everywhere); `reader` logs in."""
    request = session.placements.get(trainee=trainee).satisfaction_requests.get(kind="hot")
    client.force_login(trainee)
    client.post(reverse("courses:training_satisfaction", args=[request.token]), answer_post())
    client.force_login(reader)


@pytest.fixture
def closed(session, course, trainee, other_trainee, trainer):
    camille = place(session, trainee, course)
    yanis = place(session, other_trainee, course)
    run_session(session, trainer, {camille: ("present", 0), yanis: ("present", 0)})
    return session


def test_each_trainee_answers_their_own_questionnaire_once(client, closed, trainee, other_trainee):
    request = closed.placements.get(trainee=trainee).satisfaction_requests.get(kind="hot")
    url = reverse("courses:training_satisfaction", args=[request.token])
    client.force_login(other_trainee)
    assert client.get(url).status_code == 404
    client.force_login(trainee)
    assert "Questionnaire de satisfaction à chaud" in client.get(url).content.decode()
    client.post(url, {**answer_post(score=5), "comment": "Une formation qui change le regard."})
    again = client.post(url, answer_post(score=1), follow=True)
    assert "déjà répondu" in again.content.decode()
    response = SatisfactionResponse.objects.get()
    assert {a.score for a in response.answers.all()} == {5}
    with pytest.raises(TrainingRefused):
        services.satisfaction_submit(user=trainee, request=request, answers={})


def test_a_missing_note_gets_a_clear_message_and_writes_nothing(client, closed, trainee):
    request = closed.placements.get(trainee=trainee).satisfaction_requests.get(kind="hot")
    client.force_login(trainee)
    response = client.post(reverse("courses:training_satisfaction", args=[request.token]), {})
    assert response.status_code == 400
    assert "Choisissez une note de 1 à 5." in response.content.decode()
    assert not SatisfactionResponse.objects.exists()


def test_the_trainer_reads_rates_scores_and_comments_without_names(
    client, closed, trainee, other_trainee, trainer
):
    for person, score, comment in ((trainee, 5, "Merci Hélène"), (other_trainee, 3, "Trop dense")):
        request = closed.placements.get(trainee=person).satisfaction_requests.get(kind="hot")
        client.force_login(person)
        client.post(
            reverse("courses:training_satisfaction", args=[request.token]),
            {**answer_post(score=score), "comment": comment},
        )
    client.force_login(trainer)
    page = client.get(reverse("courses:training_satisfaction_results", args=[closed.pk]))
    text = page.content.decode()
    assert "Réponses : 2 sur 2 questionnaires envoyés" in text
    assert "taux de réponse 100 %" in text
    assert "Merci Hélène" in text and "Trop dense" in text
    assert "4" in text  # the average of 5 and 3
    assert "Camille Martin" not in text and "Yanis Benali" not in text
    assert trainee.email not in text
    csv = client.get(
        reverse("courses:training_satisfaction_results", args=[closed.pk]) + "?format=csv"
    ).content.decode()
    assert "Trop dense" in csv and "Camille" not in csv and "Yanis" not in csv
    course_wide = client.get(reverse("courses:training_course_satisfaction", args=[closed.pk]))
    assert "Merci Hélène" in course_wide.content.decode()


def test_the_english_results_count_answers_without_brackets_and_stick_the_percent_sign(
    client, closed, trainee, trainer
):
    answer_hot_then_read_as(client, closed, trainee, trainer)

    text = client.get(f"/en/formation/sessions/{closed.pk}/satisfaction/").content.decode()

    assert "Answers: 1 of 2 questionnaires sent — response rate 50%" in text
    assert "(s)" not in text


def test_the_results_say_when_no_questionnaire_went_out_yet_instead_of_0_of_0(
    client, closed, trainer, settings
):
    settings.TRAINING_COLD_SURVEY_MONTHS = 3
    client.force_login(trainer)
    url = f"/formation/sessions/{closed.pk}/satisfaction/?questionnaire=cold"

    french = client.get(url).content.decode()
    english = client.get(f"/en{url}").content.decode()

    assert "0 sur 0" not in french and "0 of 0" not in english
    assert "Aucun questionnaire envoyé pour l'instant." in french
    assert "part 3 mois après le dernier jour de la session" in french
    assert "No questionnaire sent yet." in english
    assert "goes out 3 months after the session's last day" in english


def test_the_results_csv_writes_every_average_with_two_decimals(client, closed, trainee, trainer):
    answer_hot_then_read_as(client, closed, trainee, trainer)
    url = reverse("courses:training_satisfaction_results", args=[closed.pk]) + "?format=csv"

    french = client.get(url).content.decode()
    english = client.get(f"/en{url}").content.decode()

    assert ";1;4,00;" in french and ";4,0;" not in french
    assert ";1;4.00;" in english


def test_a_comment_cannot_become_a_spreadsheet_formula(client, closed, trainee, trainer):
    request = closed.placements.get(trainee=trainee).satisfaction_requests.get(kind="hot")
    client.force_login(trainee)
    client.post(
        reverse("courses:training_satisfaction", args=[request.token]),
        {**answer_post(), "comment": '=HYPERLINK("http://evil")'},
    )
    client.force_login(trainer)
    csv = client.get(
        reverse("courses:training_satisfaction_results", args=[closed.pk]) + "?format=csv"
    ).content.decode()
    assert "'=HYPERLINK" in csv


def test_course_wide_results_read_the_trainer_s_sessions_of_that_course_in_bounded_queries(
    client, closed, course, catalogue, trainer, other_trainer
):
    make_session(course, other_trainer, days_ahead=20)  # another trainer's: not theirs to read
    other_course = build_course(catalogue, title="Prévenir la violence", lessons=1)
    make_session(other_course, trainer, days_ahead=20)  # their own, of another course
    url = reverse("courses:training_course_satisfaction", args=[closed.pk])
    client.force_login(trainer)

    def read():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return response.context["session_count"], len(queries)

    read()  # the first visit also fills what later ones read from the cache
    count, queries = read()
    assert count == 1
    for days_ahead in (30, 40, 50):
        make_session(course, trainer, days_ahead=days_ahead)
    assert read() == (4, queries)


def test_the_results_csv_is_named_in_the_page_s_language(client, closed, trainer):
    client.force_login(trainer)
    url = reverse("courses:training_satisfaction_results", args=[closed.pk])
    course_wide = reverse("courses:training_course_satisfaction", args=[closed.pk])

    french = client.get(url + "?format=csv&questionnaire=cold")["Content-Disposition"]
    english = client.get(f"/en{url}?format=csv")["Content-Disposition"]
    english_course = client.get(f"/en{course_wide}?format=csv")["Content-Disposition"]

    assert f'filename="satisfaction-a-froid-session-{closed.pk}.csv"' in french
    assert f'filename="satisfaction-hot-session-{closed.pk}.csv"' in english
    assert 'filename="satisfaction-hot-course.csv"' in english_course


def test_the_results_csv_says_when_no_questionnaire_went_out_yet(client, closed, trainer, settings):
    # An auditor opening the cold questionnaire's file before it went out reads why it is
    # empty, as the page says it, not a header over nothing and a blank response rate.
    settings.TRAINING_COLD_SURVEY_MONTHS = 3
    client.force_login(trainer)
    url = reverse("courses:training_satisfaction_results", args=[closed.pk])

    french = client.get(url + "?format=csv&questionnaire=cold").content.decode("utf-8-sig")
    english = client.get(f"/en{url}?format=csv&questionnaire=cold").content.decode("utf-8-sig")

    assert (
        "Aucun questionnaire envoyé pour l'instant. Le questionnaire à froid part 3 mois après "
        "le dernier jour de la session." in french
    )
    assert "No questionnaire sent yet. The later questionnaire goes out 3 months" in english
    assert "\r\nTaux de réponse (%);\r\n" not in french
    assert "Taux de réponse (%);—" in french


def test_the_results_page_writes_every_average_with_two_decimals(client, closed, trainee, trainer):
    # One column of averages read « 4,67 · 4,33 · 4 »: every one now has its two decimals,
    # as in the CSV.
    answer_hot_then_read_as(client, closed, trainee, trainer)
    url = reverse("courses:training_satisfaction_results", args=[closed.pk])

    french = client.get(url).content.decode()
    english = client.get(f"/en{url}").content.decode()

    # (each cell carries its column's name, read on a phone: `<td data-label="…">4,00</td>`)
    assert '">4,00</td>' in french and '">4</td>' not in french
    assert '">4.00</td>' in english


def test_the_english_course_wide_results_mark_an_untranslated_course_french(
    client, closed, course, trainer
):
    url = reverse("courses:training_course_satisfaction", args=[closed.pk])
    client.force_login(trainer)

    heading = client.get("/en" + url).content.decode().split("<h1>", 1)[1].split("</h1>", 1)[0]

    assert heading.startswith(f'Satisfaction — <span lang="fr">{course.title}</span> (')


def test_the_english_results_ask_each_question_in_english(client, closed, trainee, trainer):
    """The answers keep the French question as it was asked; the English page reads the
    question's English while its French is unchanged, and marks French a question since reworded."""
    answer_hot_then_read_as(client, closed, trainee, trainer)
    reworded = SatisfactionQuestion.objects.get(kind="hot", position=2)
    reworded.text = "Le contenu a-t-il répondu à vos attentes ?"
    reworded.save()
    url = reverse("courses:training_satisfaction_results", args=[closed.pk])

    english = client.get(f"/en{url}").content.decode()
    french = client.get(url).content.decode()

    assert "Were the objectives of the course met?" in english
    assert "Les objectifs de la formation ont-ils été atteints" not in english
    assert '<span lang="fr">Le contenu correspondait-il à vos attentes ?</span>' in english
    assert "Les objectifs de la formation ont-ils été atteints ?" in french
    assert 'lang="fr"' not in french.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_results_table_stacks_on_a_phone_each_figure_named(client, closed, trainee, trainer):
    answer_hot_then_read_as(client, closed, trainee, trainer)
    url = reverse("courses:training_satisfaction_results", args=[closed.pk])

    english = client.get(f"/en{url}").content.decode()

    assert '<table class="satisfaction-results table-stack">' in english
    assert '<td data-label="Average out of 5">' in english
    assert '<td data-label="Distribution (1 to 5)">' in english
