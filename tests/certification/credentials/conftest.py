"""Fixtures of the credentials tests: a certificate granted through the committee's decision."""

from __future__ import annotations

import pytest

from tests.certification.credentials.helpers import grant


@pytest.fixture
def certificate(eligible, committee_member, trainer):
    return grant(eligible, committee_member, trainer)
