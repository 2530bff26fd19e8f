"""Durations in hours and minutes, the way each language writes them (institut.lib.durations)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from institut.lib.durations import format_duration, minutes_from_hours


@pytest.mark.parametrize(
    ("minutes", "locale", "expected"),
    [
        (1235, "fr", "20 h 35"),
        (1235, "en", "20 h 35 min"),
        (90, "fr", "1 h 30"),
        (65, "en", "1 h 05 min"),
        (120, "fr", "2 h"),
        (120, "en", "2 h"),
        (0, "fr", "0 h"),
        (None, "fr", "0 h"),
    ],
)
def test_it_writes_minutes_as_hours_and_minutes(minutes, locale, expected):
    assert format_duration(minutes, locale=locale) == expected


def test_it_reads_decimal_hours_to_the_nearest_minute():
    assert minutes_from_hours(Decimal("20.58")) == 1235
    assert minutes_from_hours(3.5) == 210
    assert minutes_from_hours(None) == 0


def test_the_template_filters_follow_the_pages_language():
    template = Template("{{ hours|hours_duration }} · {{ minutes|duration }} · {{ bad|duration }}")
    context = {"hours": Decimal("20.58"), "minutes": 45, "bad": "abc"}
    with translation.override("fr"):
        assert template.render(Context(context)) == "20 h 35 · 0 h 45 · "
    with translation.override("en"):
        assert template.render(Context(context)) == "20 h 35 min · 0 h 45 min · "
