"""Bad input gets a clear French answer, never a server error."""

from __future__ import annotations

import pytest

from courses.models import CompletionRule
from courses.services import enrolment_create
from tests.courses.conftest import build_course, lessons_of, quiz_body, reflection_body

pytestmark = pytest.mark.django_db

GARBAGE = [
    {},
    {"action": ""},
    {"action": "quiz"},
    {"action": "quiz", "q0": ["0", "1"], "q1": "999"},
    {"action": "reflection_save", "text": "x" * 10_001},
    {"action": "reflection_submit"},
    {"action": "complete", "extra": "\x00"},
    {"action": "enrol"},
]


@pytest.fixture
def lessons(catalogue, trainee):
    course = build_course(
        catalogue,
        lessons=3,
        rules=[
            CompletionRule.MARK_DONE,
            CompletionRule.PASS_QUIZ,
            CompletionRule.SUBMIT_REFLECTION,
        ],
        bodies=[[{"type": "paragraph", "value": "<p>Lire.</p>"}], quiz_body(), reflection_body()],
    )
    enrolment_create(user=trainee, course=course)
    return course, lessons_of(course)


@pytest.mark.parametrize("data", GARBAGE)
def test_it_never_fails_with_a_server_error_on_bad_posts(client, trainee, lessons, data):
    course, pages = lessons
    client.force_login(trainee)
    for url in [course.url, *(page.url for page in pages)]:
        response = client.post(url, data, follow=True)
        assert response.status_code in (200, 400), (url, data, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/espace/attestations/ATT-2026-AAAAAA.pdf",
        "/espace/attestations/%00.pdf",
        "/attestations/verifier/<script>/",
        "/attestations/verifier/?numero=%00%01",
        "/formations/?etape=%00&prix=%FF",
    ],
)
def test_it_answers_odd_urls_without_a_server_error(client, trainee, catalogue, path):
    client.force_login(trainee)
    assert client.get(path).status_code in (200, 400, 404)
