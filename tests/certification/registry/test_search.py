"""The public registry's search: who appears, how names are found, what each result shows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from certification.models import CertificateStatus
from institut.lib.text import search_key
from tests.certification.registry.helpers import practitioner

URL = reverse("certification:registry")


def names(response) -> str:
    return response.content.decode()


def test_it_folds_accents_case_and_letters_without_decomposition():
    assert search_key("  Hélène  DUPRÈ ") == "helenedupre"
    assert search_key("Ødegaard Çelik Noël") == "odegaardceliknoel"


def test_it_asks_for_two_letters_when_the_query_is_only_punctuation(client, scheme):
    practitioner("Anne-Sophie d'Aubigné", scheme=scheme)

    response = client.get(URL, {"q": "- '"})

    assert response.status_code == 400
    assert "Anne-Sophie" not in names(response)
    assert "au moins 2 lettres du nom" in names(response)


def test_the_migration_recomputes_the_stored_search_keys(scheme):
    from importlib import import_module

    from django.apps import apps

    from certification.registry.models import RegistryProfile

    migration = import_module("certification.migrations.0007_registry_search_key_compact")
    _certificate, profile = practitioner("Anne-Sophie d'Aubigné", scheme=scheme)
    RegistryProfile.objects.filter(pk=profile.pk).update(search_key="anne-sophie d'aubigne")

    migration.recompute_search_keys(apps, None)

    profile.refresh_from_db()
    assert profile.search_key == "annesophiedaubigne"


@pytest.mark.parametrize("query", ["helene", "HELENE", "Hél", "hél", "dupre", "Duprè", "lène du"])
def test_it_finds_a_name_whatever_its_accents_case_or_part(client, scheme, query):
    assert_finds(client, scheme, "Hélène Duprè", query)


@pytest.mark.parametrize(
    "query",
    [
        "anne sophie",
        "annesophie",
        "Anne-Sophie",
        "daubigne",
        "d aubigné",
        "D\u2019Aubigné",
        "ie-d'",
    ],
)
def test_it_finds_a_name_whatever_its_punctuation_or_spacing(client, scheme, query):
    assert_finds(client, scheme, "Anne-Sophie d'Aubigné", query)


def assert_finds(client, scheme, name: str, query: str) -> None:
    practitioner(name, scheme=scheme)
    practitioner("Marc Olivier", scheme=scheme)

    response = client.get(URL, {"q": query})

    assert response.status_code == 200
    assert escape(name) in names(response)
    assert "Marc Olivier" not in names(response)


def test_it_lists_only_holders_who_opted_in(client, scheme):
    practitioner("Noël Çelik", scheme=scheme)
    practitioner("Ingrid Ødegaard", scheme=scheme, listed=False)
    practitioner("Paul Sans Fiche", scheme=scheme, listed=False)

    response = client.get(URL)

    assert "Noël Çelik" in names(response)
    assert "Ingrid Ødegaard" not in names(response)
    assert "Paul Sans Fiche" not in names(response)
    assert "Ingrid Ødegaard" not in names(client.get(URL, {"q": "odegaard"}))


@pytest.mark.parametrize(
    "status",
    [
        CertificateStatus.SUSPENDED,
        CertificateStatus.REVOKED,
        CertificateStatus.EXPIRED,
        CertificateStatus.INACTIVE,
    ],
)
def test_it_leaves_out_listed_holders_whose_certificate_is_not_active(client, scheme, status):
    practitioner("Hélène Duprè", scheme=scheme, status=status)

    assert "Hélène Duprè" not in names(client.get(URL, {"q": "helene"}))


def test_it_leaves_out_an_active_certificate_past_its_end_date(client, scheme):
    from datetime import timedelta

    from django.utils import timezone

    practitioner(
        "Hélène Duprè", scheme=scheme, valid_until=timezone.localdate() - timedelta(days=1)
    )

    assert "Hélène Duprè" not in names(client.get(URL))


def test_it_asks_for_at_least_two_characters(client, scheme):
    practitioner("Hélène Duprè", scheme=scheme)

    response = client.get(URL, {"q": "h"})

    assert response.status_code == 400
    assert "Saisissez au moins 2 lettres du nom." in names(response)
    assert "Hélène Duprè" not in names(response)


def test_it_tells_an_invalid_search_in_the_summary_and_by_its_field_only(client, scheme):
    from html import unescape

    response = client.get(URL, {"q": "h"})

    page = unescape(names(response))
    assert response.status_code == 400
    assert page.count("Il y a un problème") == 1
    # Once in the page's error summary, once next to the field: not a third time below the form.
    assert page.count("Saisissez au moins 2 lettres du nom.") == 2


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"region": "atlantide"}, "Cette région n'existe pas : choisissez-en une dans la liste."),
        ({"domaine": "x", "q": "hel"}, "Ce champ d'intervention n'existe pas"),
    ],
)
def test_it_says_that_an_invalid_filter_is_invalid(client, scheme, filters, message):
    from html import unescape

    practitioner("Hélène Duprè", scheme=scheme)

    response = client.get(URL, filters)

    page = unescape(names(response))
    assert response.status_code == 400
    assert "Il y a un problème" in page
    assert message in page
    assert "Hélène Duprè" not in page
    assert "trouvé" not in page


def test_it_filters_by_region_and_field_of_practice(client, scheme):
    practitioner("Hélène Duprè", scheme=scheme, region="bre", practice_fields=" sante ")
    practitioner("Noël Çelik", scheme=scheme, region="idf", practice_fields=" quartiers ")

    by_region = names(client.get(URL, {"region": "bre"}))
    by_field = names(client.get(URL, {"domaine": "quartiers"}))

    assert "Hélène Duprè" in by_region and "Noël Çelik" not in by_region
    assert "Noël Çelik" in by_field and "Hélène Duprè" not in by_field


def test_it_does_not_reveal_a_private_region_through_the_filter(client, scheme):
    practitioner("Hélène Duprè", scheme=scheme, region="bre", show_region=False)

    response = client.get(URL, {"region": "bre"})

    assert "Hélène Duprè" not in names(response)
    results = names(client.get(URL)).split('<ul class="results">', 1)[1]
    assert "Hélène Duprè" in results
    assert "Bretagne" not in results


def test_it_shows_each_result_with_its_public_facts(client, scheme):
    certificate, profile = practitioner("Hélène Duprè", scheme=scheme, city="Rennes")

    html = names(client.get(URL))

    assert "Rennes" in html and "Auvergne-Rhône-Alpes" in html
    assert "Quartiers et politique de la ville" in html
    assert "valide" in html
    assert reverse("certification:registry_profile", args=[profile.slug]) in html
    assert certificate.holder.email not in html


def test_it_pages_by_fifty_with_a_bounded_number_of_queries(
    client, scheme, django_assert_max_num_queries
):
    for index in range(60):
        practitioner(f"Praticienne {index:02d}", scheme=scheme)

    # 8 for the page, 2 for the certification's results, 2 for the Institut's settings that
    # give their minimum (read once, then kept).
    with django_assert_max_num_queries(12):
        first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert names(first).count('class="card status-active"') == 50
    assert names(second).count('class="card status-active"') == 10


def test_it_finds_a_holder_under_a_new_name_at_once(client, scheme):
    certificate, _profile = practitioner("Hélène Duprè", scheme=scheme)
    assert "Hélène" in names(client.get(URL, {"q": "helene"}))

    holder = certificate.holder
    holder.full_name = "Hélène Noël"
    holder.save()

    assert "Hélène Noël" in names(client.get(URL, {"q": "noel"}))
    assert "Hélène Duprè" not in names(client.get(URL, {"q": "dupre"}))


def test_it_answers_429_over_the_rate_limit(client, scheme, settings):
    settings.REGISTRY_RATE_LIMIT = "3/m"

    statuses = [client.get(URL, {"q": f"nom{i}"}).status_code for i in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert "Trop de tentatives" in client.get(URL).content.decode()


def test_it_says_that_no_practitioner_was_found_in_words(client, scheme):
    practitioner("Hélène Duprè", scheme=scheme)

    french = names(client.get(URL, {"q": "zzz"}))
    english = names(client.get(f"/en{URL}", {"q": "zzz"}))

    assert "Aucun·e intervenant·e trouvé·e." in french
    assert "0 intervenant" not in french
    assert "No practitioner found." in english
    assert "1 intervenant·e trouvé·e." in names(client.get(URL, {"q": "helene"}))


def test_its_pages_keep_the_search_in_their_links(client, scheme, monkeypatch):
    from certification.registry import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for name in ("Anne Aubry", "Anne Bertin", "Anne Carrel"):
        practitioner(name, scheme=scheme)

    first = names(client.get(URL, {"q": "anne", "region": "ara"}))
    second = names(client.get(URL, {"q": "anne", "region": "ara", "page": "2"}))

    assert 'aria-label="Pages de résultats"' in first
    assert 'href="?q=anne&amp;region=ara&amp;page=2" rel="next"' in first
    assert "Page 1 sur 2" in first
    assert 'href="?q=anne&amp;region=ara&amp;page=1" rel="prev"' in second
    assert 'rel="next"' not in second
