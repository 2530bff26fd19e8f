"""Helpers for the tests of whole signed-in pages kept per person (institut/personal_pages.py)."""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

from institut import personal_pages


@contextmanager
def served() -> list[bool]:
    """Inside the block, the list says for each personal page looked up whether it came from
    the cache (True) or was made (False)."""
    found: list[bool] = []
    lookup = personal_pages._lookup

    def spy(request, visits):
        result = lookup(request, visits)
        found.append(result[0] is not None)
        return result

    with mock.patch.object(personal_pages, "_lookup", spy):
        yield found


def kept(client, url: str) -> str:
    """The page, once it is kept: the first visit gets the CSRF cookie, the second keeps the
    page, the third is served from the cache (asserted). Returns its HTML."""
    client.get(url)
    client.get(url)
    with served() as found:
        response = client.get(url)
    assert response.status_code == 200
    assert found == [True], "the page was not served from the cache"
    return response.content.decode()


def made(client, url: str) -> str:
    """The page, asserting it was made again (not served from the cache). Returns its HTML."""
    with served() as found:
        response = client.get(url)
    assert response.status_code == 200
    assert found == [False], "the page came from the cache"
    return response.content.decode()
