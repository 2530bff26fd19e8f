"""Fixtures of the site-wide tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files written by tests (documents, PDFs, photos) go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
