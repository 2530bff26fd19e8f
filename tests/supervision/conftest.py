"""Fixtures of the supervision tests: sessions in the near future and in the past."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.supervision.factories import SessionFactory


@pytest.fixture
def session(trainer):
    return SessionFactory(trainer=trainer)


@pytest.fixture
def past_session(trainer):
    starts = timezone.now() - timedelta(days=2)
    return SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=2))
