"""A trainee's half-days on a session's page are named the way each language writes a short
date: « lun 28/12 · matin » in French (no capitalised month in the middle of a sentence),
"Mon 28 Dec · morning" in English, as on the trainer's attendance grid."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from tests.courses.training.conftest import slots

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def row_headers(content: str) -> list[str]:
    table = content.split('class="attendance-table"', 1)[1].split("</table>", 1)[0]
    return [
        re.sub(r"\s+", " ", cell).strip()
        for cell in re.findall(r'<th scope="row">(.*?)</th>', table)
    ]


def test_it_names_a_half_day_by_its_day_and_month_in_figures_in_french(
    client, session, placed, trainee
):
    client.force_login(trainee)
    content = client.get(reverse("courses:training_session", args=[session.pk])).content.decode()
    first = slots(session)[0].starts_at.astimezone(PARIS)
    headers = row_headers(content)
    assert len(headers) == len(slots(session))
    assert headers[0].endswith(f" {first.day}/{first.month:02d} · matin"), headers[0]
    assert not any(re.search(r"\b[A-ZÉ][a-zéû]{2}\b", h.split(" ", 1)[1]) for h in headers), headers


def test_it_names_a_half_day_by_the_month_s_short_name_in_english(client, session, placed, trainee):
    client.force_login(trainee)
    with translation.override("en"):
        url = reverse("courses:training_session", args=[session.pk])
    content = client.get(url).content.decode()
    first = slots(session)[0].starts_at.astimezone(PARIS)
    assert row_headers(content)[0] == f"{first:%a} {first.day} {first:%b} · morning"
