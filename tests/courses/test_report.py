"""The editors' per-course report in the Wagtail admin, and its CSV export."""

from __future__ import annotations

import csv
import io

import pytest

from courses.models import CompletionRule
from courses.services import enrolment_create, lesson_mark_done, quiz_submit
from tests.courses.conftest import HALF, RIGHT, build_course, lessons_of, quiz_body

pytestmark = pytest.mark.django_db

URL = "/admin/formations/rapport/"


@pytest.fixture
def activity(catalogue, trainee, other_trainee, django_capture_on_commit_callbacks):
    course = build_course(
        catalogue,
        title="Conflits constructifs",
        lessons=2,
        rules=[CompletionRule.MARK_DONE, CompletionRule.PASS_QUIZ],
        bodies=[[{"type": "paragraph", "value": "<p>Lire.</p>"}], quiz_body(pass_mark=100)],
    )
    first, second = lessons_of(course)
    enrolment_create(user=trainee, course=course)
    enrolment_create(user=other_trainee, course=course)
    lesson_mark_done(user=trainee, lesson=first)
    quiz_submit(user=trainee, lesson=second, answers=HALF)
    with django_capture_on_commit_callbacks(execute=False):
        quiz_submit(user=trainee, lesson=second, answers=RIGHT)  # completes the course
    quiz_submit(user=other_trainee, lesson=second, answers=HALF)
    return course


def test_it_shows_enrolment_progress_and_quiz_pass_rate(client, editor, activity):
    client.force_login(editor)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Conflits constructifs" in html
    # 2 enrolled, 1 in progress, 1 completed, average (100 + 0) / 2, 1 of 2 trainees passed.
    assert "<td>2</td>\n          <td>1</td>\n          <td>1</td>\n          <td>50 %</td>" in html
    assert "50 % (2 stagiaires)" in html


def test_it_exports_the_report_as_csv(client, editor, activity):
    client.force_login(editor)
    response = client.get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Formation"
    assert rows[1] == ["Conflits constructifs", "2", "1", "1", "50", "2", "50"]


def test_the_csv_is_named_in_the_editor_s_admin_language(client, editor, activity):
    from django.utils import timezone
    from wagtail.users.models import UserProfile

    client.force_login(editor)
    today = timezone.localdate().isoformat()
    french = client.get(URL, {"format": "csv"})["Content-Disposition"]
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    english = client.get(URL, {"format": "csv"})["Content-Disposition"]

    assert f'filename="rapport-formations-{today}.csv"' in french
    assert f'filename="course-report-{today}.csv"' in english


def test_it_hides_the_report_from_people_who_are_not_editors(client, trainee, activity):
    client.force_login(trainee)
    assert client.get(URL).status_code in (403, 404)  # the admin is for the Institut's team


def test_the_export_button_shows_its_download_icon(client, editor):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    button = html[html.index('class="button bicolor button--icon"') :]
    assert "#icon-download" in button[: button.index("</a>")]
