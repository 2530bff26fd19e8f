"""Near matches: a name typed with a typo, or its words the other way round, still finds the
practitioner (trigram word similarity on PostgreSQL), after saying that nothing matched exactly."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django.utils.html import escape

from certification.models import CertificateStatus
from certification.registry.selectors import registry_near_matches
from tests.certification.registry.helpers import practitioner

pytestmark = pytest.mark.postgres

URL = reverse("certification:registry")
NEAR = "Aucun résultat exact pour « {} ». Intervenant·es aux noms proches :"
CAST = [
    "Claude Morel",
    "Pierre Moreau",
    "Pierre Morel",
    "Hélène Dupont",
    "Hugo Fontaine",
    "Anne Martin",
    "Marc Morin",
    "Loïc Le Bihan",
    "Aurélie Çelikkaya",
]


@pytest.fixture
def cast(scheme):
    for name in CAST:
        practitioner(name, scheme=scheme)


def page(client, query: str, prefix: str = "", **filters) -> str:
    response = client.get(f"{prefix}{URL}", {"q": query, **filters})
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str) -> list[str]:
    """The names of the cast shown on the page, in their order."""
    found = [(html.find(escape(name)), name) for name in CAST if escape(name) in html]
    return [name for _position, name in sorted(found)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("morell", "Claude Morel"),
        ("moreua", "Pierre Moreau"),
        ("Moreau Piere", "Pierre Moreau"),
        ("Moreua Pierre", "Pierre Moreau"),
        ("Moreau Pierre", "Pierre Moreau"),
        ("dupond", "Hélène Dupont"),
        ("Fontane", "Hugo Fontaine"),
        ("martn", "Anne Martin"),
        ("le bihen", "Loïc Le Bihan"),
        ("celikaya", "Aurélie Çelikkaya"),
    ],
)
def test_it_finds_a_name_typed_with_a_typo_after_saying_nothing_matched_exactly(
    client, cast, query, expected
):
    html = page(client, query)

    assert escape(NEAR.format(query)) in html
    assert shown(html)[0] == expected


def test_it_shows_only_names_close_to_the_query(client, cast):
    # The closest first: the right family name before the one that only looks like it.
    assert shown(page(client, "morell")) == ["Claude Morel", "Pierre Morel", "Pierre Moreau"]
    assert shown(page(client, "Moreau Piere")) == ["Pierre Moreau", "Pierre Morel"]
    assert shown(page(client, "dupomt")) == ["Hélène Dupont"]


@pytest.mark.parametrize("query", ["xyzabc", "Qwerty Uiop", "zz"])
def test_it_says_nothing_was_found_when_no_name_is_close(client, cast, query):
    html = page(client, query)

    assert shown(html) == []
    assert "Aucun·e intervenant·e trouvé·e." in html
    assert "Aucun résultat exact" not in html


def test_an_exact_match_is_shown_without_near_matches(client, cast):
    html = page(client, "morel")

    assert shown(html) == ["Claude Morel", "Pierre Morel"]
    assert "2 intervenant·es trouvé·es." in html
    assert "Aucun résultat exact" not in html


def test_it_says_so_in_english(client, cast):
    html = page(client, "morell", prefix="/en")

    assert escape("No exact match for “morell”. Practitioners with similar names:") in html
    assert shown(html)[:2] == ["Claude Morel", "Pierre Morel"]


def test_near_matches_keep_the_filters_and_leave_out_who_is_not_listed(client, scheme):
    practitioner("Claude Morel", scheme=scheme, region="bre")
    practitioner("Claire Morel", scheme=scheme, listed=False)
    practitioner("Camille Morel", scheme=scheme, status=CertificateStatus.SUSPENDED)

    assert "Claude Morel" in page(client, "morell")
    assert "Claude Morel" not in page(client, "morell", region="ara")
    assert [c.holder.full_name for c in registry_near_matches(query="morell")] == ["Claude Morel"]


def test_near_matches_keep_a_renamed_holder_findable_by_the_new_name(client, scheme):
    certificate, _profile = practitioner("Claude Morel", scheme=scheme)
    holder = certificate.holder
    holder.full_name = "Claude Moreno"
    holder.save()

    from certification.registry import services

    services.registry_profile_rename(holder=holder)

    assert "Claude Moreno" in page(client, "moreni")


def test_near_matches_make_a_bounded_number_of_queries(
    client, scheme, django_assert_max_num_queries
):
    for index in range(30):
        practitioner(f"Claude Morel{'e' * (index % 3)} {index:02d}", scheme=scheme)

    # The page's 12 (see test_search), 1 for the near matches and 1 for their threshold, in a
    # savepoint here (2 more; a transaction of its own in production).
    with django_assert_max_num_queries(16):
        html = page(client, "Klaude Morell")

    assert html.count('class="card status-active"') == 20


HOSTILE = [
    "%%",
    "__",
    "a%b_c",
    "mor%",
    'o\'brien "morel"',
    "\\\\morel",
    "Ωμέγα Ἀθῆναι",
    "ǅǆ ﬁ ß",
    "🙂🙂 morel",
    "z\u0301" * 40,
    "morell " * 14,
    "x" * 100,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_quickly_and_never_with_an_error(client, cast, query):
    started = time.monotonic()
    response = client.get(URL, {"q": query})

    assert response.status_code in (200, 400)
    assert time.monotonic() - started < 2
