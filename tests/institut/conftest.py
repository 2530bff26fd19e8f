"""Fixtures of the site-wide tests."""

from __future__ import annotations

import pytest

from tests.courses import conftest as courses_conftest
from tests.courses.conftest import build_catalogue
from tests.courses.payments.stripe_standin import running_standin

# The site's home pages, built once per module (tests/courses/conftest.py).
_module_site = courses_conftest._module_site
home = courses_conftest.home


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files written by tests (documents, PDFs, photos) go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(home):
    return build_catalogue(home)


@pytest.fixture
def stripe_api(settings):
    """The local stand-in of Stripe's API, with test keys (see tests/courses/payments)."""
    yield from running_standin(settings)
