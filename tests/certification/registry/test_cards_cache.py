"""The registry's result cards are made once per registry version (issue 16): a change of a
profile, a certificate or a holder's name shows at the next search, cards never mix people."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification import services
from tests.certification.registry.helpers import practitioner

pytestmark = pytest.mark.django_db

REGISTRY = reverse("certification:registry")


@pytest.fixture
def visitor(client, trainee):
    """A signed-in visitor: the whole page is made each time, only the cards come from the cache."""
    client.force_login(trainee)
    return client


def _search(client, **params) -> str:
    response = client.get(REGISTRY, params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_profile_change_at_the_next_search(visitor, scheme):
    _certificate, profile = practitioner(
        "Hélène Lefèvre", scheme=scheme, region="bre", city="Brest"
    )
    assert "Brest" in _search(visitor, region="bre")
    profile.city = "Quimper"
    profile.save()
    html = _search(visitor, region="bre")
    assert "Quimper" in html and "Brest" not in html


def test_it_shows_a_holder_renamed_and_drops_a_suspended_certificate(
    visitor, scheme, committee_member
):
    certificate, _profile = practitioner("Noël Guérin", scheme=scheme, region="bre")
    other, _ = practitioner("Zoé Martin", scheme=scheme, region="bre")
    assert "Noël Guérin" in _search(visitor, region="bre")
    holder = certificate.holder
    holder.full_name = "Noël Guérin-Abadie"
    holder.save()
    assert "Noël Guérin-Abadie" in _search(visitor, region="bre")
    assert "Zoé Martin" in _search(visitor, region="bre")
    services.certificate_change_status(
        certificate=other,
        to_status="suspended",
        actor=committee_member,
        reason="Enquête en cours.",
        public_reason="supervision",
        effective_on=timezone.localdate(),
    )
    assert "Zoé Martin" not in _search(visitor, region="bre")


def test_it_gives_each_result_its_own_card(visitor, scheme):
    for name in ("Hélène Lefèvre", "Noël Guérin", "Zoé Martin"):
        practitioner(name, scheme=scheme, region="bre", city=f"Ville de {name}")
    _search(visitor, region="bre")
    html = _search(visitor, region="bre")
    for name in ("Hélène Lefèvre", "Noël Guérin", "Zoé Martin"):
        assert html.count(f"Ville de {name}") == 1
        assert html.count(f">{name}</a>") == 1


def test_it_makes_no_card_again_when_nothing_changed(visitor, scheme):
    for n in range(5):
        practitioner(f"Praticienne {n}", scheme=scheme, region="bre")
    _search(visitor, region="bre")
    with CaptureQueriesContext(connection) as queries:
        html = _search(visitor, region="bre")
    assert html.count('class="card status-active"') == 5
    # The page of results and its count (the cards from the cache), the certification's results.
    assert len(queries) <= 5
