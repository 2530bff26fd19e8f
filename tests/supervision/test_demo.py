"""The supervision demo step: complete, and idempotent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from institut import demo as institut_demo
from supervision import demo, selectors
from supervision.models import Booking, SupervisionRecord, SupervisionSession

pytestmark = pytest.mark.django_db


def test_it_seeds_sessions_waitlists_and_hours_once():
    cast = institut_demo.create_accounts()
    demo.create_supervision(cast)
    counts = (
        SupervisionSession.objects.count(),
        Booking.objects.count(),
        SupervisionRecord.objects.count(),
    )
    demo.create_supervision(cast)

    assert counts == (
        SupervisionSession.objects.count(),
        Booking.objects.count(),
        SupervisionRecord.objects.count(),
    )
    assert SupervisionSession.objects.values("trainer").distinct().count() == 2
    assert Booking.objects.filter(status="waitlisted").exists()
    assert SupervisionSession.objects.filter(series__isnull=False).count() == 6
    assert list(selectors.supervisors_of(cast["trainee"])) == [cast["trainer"]]
    assert selectors.supervision_minutes(cast["trainee"])["total"] > 0


@time_machine.travel(datetime(2026, 12, 6, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=False)
def test_the_tuesday_evening_series_meets_on_tuesday_evenings():
    demo.create_supervision(institut_demo.create_accounts())

    series = SupervisionSession.objects.filter(title="Supervision du mardi soir")
    starts = [session.starts_at.astimezone(ZoneInfo("Europe/Paris")) for session in series]

    assert len(starts) == 6
    assert {(start.weekday(), start.hour) for start in starts} == {(1, 19)}
