"""A person's time zone, for the dates of their documents and calendars."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from institut.models import User


def test_it_is_the_zone_the_person_chose():
    assert User(time_zone="America/Montreal").zone == ZoneInfo("America/Montreal")


def test_it_falls_back_to_the_sites_zone_when_theirs_is_unknown(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert User(time_zone="Mars/Olympus").zone == ZoneInfo("Europe/Paris")
    assert User(time_zone="").zone == ZoneInfo("Europe/Paris")
