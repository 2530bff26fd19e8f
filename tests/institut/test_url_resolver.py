"""The language-prefixed addresses are resolved once per address and language (issue 16)."""

from unittest import mock

import pytest
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from django.utils import translation

from institut import url_resolver
from institut.url_resolver import KeptMatchesResolver


def _prefixed() -> KeptMatchesResolver:
    [found] = [p for p in get_resolver().url_patterns if isinstance(p, KeptMatchesResolver)]
    return found


@pytest.fixture(autouse=True)
def _empty():
    _prefixed()._kept.clear()
    yield
    _prefixed()._kept.clear()


def _resolutions():
    return mock.patch.object(URLResolver, "resolve", autospec=True, side_effect=URLResolver.resolve)


def test_it_resolves_a_page_address_once_and_the_same_way():
    with _resolutions() as resolutions:
        first = resolve("/formations/une-formation/une-lecon/")
    tried = {call.args[0] for call in resolutions.call_args_list}
    assert _prefixed() in tried and len(tried) > 6  # every app's patterns, in order
    with _resolutions() as resolutions:
        again = resolve("/formations/une-formation/une-lecon/")
    tried_again = {call.args[0] for call in resolutions.call_args_list}
    assert _prefixed() not in tried_again  # nor any of the apps' patterns under it
    assert len(tried_again) < len(tried)
    assert (again.func, again.args, again.url_name) == (first.func, first.args, first.url_name)
    assert again.url_name == "wagtail_serve"
    assert again.args == ("formations/une-formation/une-lecon/",)


def test_it_hands_out_a_new_match_each_time():
    first = resolve("/espace/")
    first.kwargs["changed"] = True
    assert resolve("/espace/").kwargs == {}
    assert resolve("/espace/") is not resolve("/espace/")


def test_it_resolves_per_language():
    with translation.override("fr"):
        assert resolve("/espace/").url_name == "dashboard"
    with translation.override("en"):
        assert resolve("/en/espace/").url_name == "dashboard"
        with pytest.raises(Resolver404):
            resolve("/espace/")  # in English the address has its prefix


def test_it_keeps_no_address_that_matches_nothing():
    with pytest.raises(Resolver404):
        resolve("/pas une adresse/")
    assert not _prefixed()._kept


def test_it_empties_the_table_when_full(monkeypatch):
    monkeypatch.setattr(url_resolver, "MAX_KEPT", 2)
    for path in ("/espace/", "/formations/a/", "/formations/b/"):
        resolve(path)
    assert len(_prefixed()._kept) == 1
    assert resolve("/espace/").url_name == "dashboard"
