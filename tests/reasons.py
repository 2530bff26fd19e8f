"""Helpers of the tests of fixed reasons (institut.reasons): a reason read in a language, a
page's text, and the language put back to French after a test that switched it."""

from __future__ import annotations

import html

import pytest
from django.utils import translation

from institut.reasons import Reason, Reasons


@pytest.fixture
def french_after():
    yield
    translation.activate("fr")


def page_text(response) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def read(reasons: Reasons, reason: Reason, language: str) -> str:
    with translation.override(language):
        return reasons.text(reason.code, reason.params, reason.stored)


def assert_reads_in_both_languages(reasons: Reasons, code: str, params: dict) -> None:
    """The code reads in French and in English, and its row keeps the French words."""
    reason = reasons.reason(code, **params)
    french, english = read(reasons, reason, "fr"), read(reasons, reason, "en")
    assert french and english and french != english
    assert reason.stored == french
