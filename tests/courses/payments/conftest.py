"""Fixtures of the payments tests: a paid course, and the local stand-in of Stripe's API."""

from __future__ import annotations

import pytest

from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import running_standin


@pytest.fixture
def paid_course(catalogue):
    return build_course(catalogue, title="Conflits constructifs", lessons=2, price_cents=12000)


@pytest.fixture
def stripe_api(settings):
    yield from running_standin(settings)
