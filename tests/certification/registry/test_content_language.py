"""What a practitioner wrote (in French) is marked lang="fr" on the registry's English pages, so
that screen readers read it with French pronunciation; the interface's own words are not."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.certification.registry.helpers import practitioner

LOC_MEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _real_cache(settings):
    settings.CACHES = LOC_MEM


def page(client, language: str, name: str, *args) -> str:
    with translation.override(language):
        url = reverse(f"certification:{name}", args=args)
    response = client.get(url, {"q": "Celik"} if name == "registry" else {})
    assert response.status_code == 200
    return response.content.decode()


def test_it_marks_the_practitioners_own_words_french_on_the_english_profile(client, scheme):
    _certificate, profile = practitioner("Noël Çelik", scheme=scheme, languages="français, turc")

    html = page(client, "en", "registry_profile", profile.slug)

    assert '<dd lang="fr">Lyon</dd>' in html
    assert '<dd lang="fr">français, turc</dd>' in html
    assert '<p lang="fr">J&#x27;accompagne des équipes de quartier.</p>' in html
    # Fields of practice are chosen from a list: their labels are the interface's, in English.
    assert "<dd>Neighbourhoods and urban policy, " in html


def test_it_leaves_them_unmarked_on_the_french_profile(client, scheme):
    _certificate, profile = practitioner("Noël Çelik", scheme=scheme)

    html = page(client, "fr", "registry_profile", profile.slug)

    assert "<dd>Lyon</dd>" in html
    assert "<p>J&#x27;accompagne des équipes de quartier.</p>" in html


def test_it_marks_the_city_french_in_the_english_search_results(client, scheme):
    practitioner("Noël Çelik", scheme=scheme)

    english = page(client, "en", "registry")
    french = page(client, "fr", "registry")

    assert '<span lang="fr">Lyon</span>' in english
    assert 'lang="fr">Lyon' not in french
