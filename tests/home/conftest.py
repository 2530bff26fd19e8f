"""Fixtures of the home pages' tests."""

from tests.courses import conftest as courses_conftest

# The site's home pages, built once per module (tests/courses/conftest.py).
_module_site = courses_conftest._module_site
home = courses_conftest.home
