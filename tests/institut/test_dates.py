"""Dates as each language writes them: « 1er décembre » in French, no d/m/Y in English."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from institut.formats import date_text

FIRST = date(2026, 12, 1)
SECOND = date(2026, 12, 2)


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "format_string", "expected"),
    [
        (FIRST, "j F Y", "1er décembre 2026"),
        (FIRST, "l j F Y", "mardi 1er décembre 2026"),
        (FIRST, "DATE_FORMAT", "1er décembre 2026"),
        (FIRST, None, "1er décembre 2026"),
        (SECOND, "j F Y", "2 décembre 2026"),
        (FIRST, "d/m/Y", "01/12/2026"),
        (date(2026, 11, 21), "j F Y", "21 novembre 2026"),
        (datetime(2026, 12, 1, 9, 30), "DATETIME_FORMAT", "1er décembre 2026 à\u00a009:30"),
        (datetime(2026, 12, 7, 8, 26), "DATETIME_FORMAT", "7 décembre 2026 à\u00a008:26"),
    ],
)
def test_it_writes_the_first_of_the_month_as_an_ordinal_in_french(value, format_string, expected):
    with translation.override("fr"):
        assert date_text(value, format_string) == expected


@pytest.mark.parametrize(
    ("format_string", "expected"),
    [
        ("d/m/Y", "1 Dec 2026"),
        ("j/m/Y H:i", "1 Dec 2026, 09:30"),
        ("j F Y", "1 December 2026"),
        ("m/Y", "Dec 2026"),
        # The named formats as the rest of the English pages write dates: not « Dec. 1, 2026 »,
        # nor « 9:30 a.m. ».
        ("DATE_FORMAT", "1 December 2026"),
        ("DATETIME_FORMAT", "1 December 2026, 09:30"),
        ("j F Y à H:i", "1 December 2026, 09:30"),
        ("j F Y à\u00a0H:i", "1 December 2026, 09:30"),
        (None, "1 December 2026"),
    ],
)
def test_it_writes_no_day_first_numeric_date_in_english(format_string, expected):
    moment = datetime(2026, 12, 1, 9, 30)
    with translation.override("en"):
        assert date_text(moment, format_string) == expected


def test_every_template_s_date_filter_follows_the_language():
    moment = datetime(2026, 12, 1, 8, 30, tzinfo=ZoneInfo("UTC"))  # 9:30 in Paris
    source = '{{ moment|date:"j F Y H:i" }} · {{ moment|date:"d/m/Y" }} · {{ empty|date }}'

    with translation.override("fr"):
        french = render(source, moment=moment, empty=None)
    with translation.override("en"):
        english = render(source, moment=moment, empty=None)

    assert french == "1er décembre 2026 09:30 · 01/12/2026 · "
    assert english == "1 December 2026 09:30 · 1 Dec 2026 · "


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "7 décembre 2026 à\u00a008:26"), ("en", "7 December 2026, 08:26")],
)
def test_a_date_and_its_time_are_joined_by_a_in_french_and_a_comma_in_english(language, expected):
    moment = datetime(2026, 12, 7, 7, 26, tzinfo=ZoneInfo("UTC"))  # 8:26 in Paris
    source = '{{ moment|date:"DATETIME_FORMAT" }} · {{ moment }}'

    with translation.override(language):
        assert render(source, moment=moment) == f"{expected} · {expected}"
