"""Helpers of the practice-logbook tests: assignments, entries in any state, posted forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from supervision.logbook import services
from supervision.logbook.models import PracticeEntry
from supervision.models import SupervisorAssignment

DESCRIPTION = "Atelier en sous-groupes mêlés avec des habitants et des agents du bailleur."


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def recent_day() -> date:
    """The default date of a test entry: a few days back, but never before the first of the
    month, so that an entry made "now" never falls into last month's confirmed period (on the 1st
    it is dated today)."""
    today = timezone.localdate()
    return max(today - timedelta(days=3), today.replace(day=1))


def assign(trainee, supervisor) -> SupervisorAssignment:
    return SupervisorAssignment.objects.get_or_create(trainee=trainee, supervisor=supervisor)[0]


def entry_data(**overrides) -> dict:
    data = {
        "date": recent_day(),
        "duration_minutes": 120,
        "setting": PracticeEntry.Setting.NEIGHBOURHOOD,
        "role": PracticeEntry.Role.LEAD,
        "group_size": 12,
        "steps": ["confiance", "sous_groupes"],
        "description": DESCRIPTION,
        "reflection": "",
    }
    data.update(overrides)
    return data


def make_entry(trainee, status: str = "draft", reviewer=None, **overrides) -> PracticeEntry:
    """An entry brought to `status` through the services (so with its audit rows)."""
    entry = services.practice_entry_create(trainee=trainee, **entry_data(**overrides))
    if status == "draft":
        return entry
    entry = services.practice_entry_submit(entry=entry, actor=trainee)
    if status == "submitted":
        return entry
    if status == "returned":
        return services.practice_entry_return(entry=entry, reviewer=reviewer, comment="À revoir.")
    if status == "approved":
        return services.practice_entry_approve(entry=entry, reviewer=reviewer)
    raise ValueError(status)


def form_post(**overrides) -> dict:
    """What the entry form posts."""
    data = {
        "date": recent_day().isoformat(),
        "hours": "2",
        "minutes": "0",
        "setting": "neighbourhood",
        "role": "lead",
        "group_size": "12",
        "steps": ["confiance", "sous_groupes"],
        "description": DESCRIPTION,
        "reflection": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def supervised(trainee, trainer, other_trainee, other_trainer):
    """trainer supervises trainee; other_trainer supervises other_trainee."""
    assign(trainee, trainer)
    assign(other_trainee, other_trainer)
