"""Fixtures of the certification tests: a course, the scheme, the charter, an eligible trainee."""

from __future__ import annotations

import pytest

from tests.certification import helpers
from tests.courses import conftest as courses_conftest
from tests.courses.conftest import build_catalogue, build_course

# The site's home pages, built once per module (tests/courses/conftest.py).
_module_site = courses_conftest._module_site
home = courses_conftest.home


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def signing_key(settings):
    """Credentials are signed with a test key of their own (never a key file of the machine)."""
    settings.CREDENTIALS_SIGNING_KEY = helpers.secret_key_for("current")
    settings.CREDENTIALS_SIGNING_KEY_FILE = ""
    settings.CREDENTIALS_PUBLISHED_KEYS = []
    return settings.CREDENTIALS_SIGNING_KEY


@pytest.fixture
def course(home):
    return build_course(build_catalogue(home), title="Découvrir la Thérapie Sociale", lessons=2)


@pytest.fixture
def charter(db):
    return helpers.make_charter()


@pytest.fixture
def scheme(course, charter):
    return helpers.make_scheme(course_keys=[course.translation_key])


@pytest.fixture
def eligible(trainee, trainer, course, charter, scheme):
    """The trainee meets every requirement; the trainer supervises them."""
    helpers.make_eligible(trainee, trainer, course=course, charter=charter)
    return trainee
