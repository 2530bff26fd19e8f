"""Fixtures of the registry tests: a scheme with no course to complete (holders are made whole)."""

from __future__ import annotations

import pytest

from tests.certification.helpers import make_scheme


@pytest.fixture
def scheme(db):
    return make_scheme()
