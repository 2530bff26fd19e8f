"""The supervisor's opinions page: the applications awaiting a decision, those still waiting for
their opinion first; the decided ones apart, the latest decided first."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import Application, SupervisorOpinion
from tests.factories import UserFactory
from tests.supervision.logbook.helpers import assign

pytestmark = pytest.mark.django_db

OPINIONS_PAGE_QUERIES = 5  # each list and its trainer's opinions, and the roles
URL = reverse("certification:opinions")


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def supervised_application(trainer, scheme, name, *, status, days_ago, opinion=None):
    """An application of a trainee the trainer supervises, written as its services leave it."""
    applicant = UserFactory(full_name=name)
    assign(applicant, trainer)
    now = timezone.now()
    decided = status in (Application.Status.GRANTED, Application.Status.REFUSED)
    application = Application.objects.create(
        applicant=applicant,
        scheme=scheme,
        statement="Je pratique la Thérapie Sociale depuis deux ans.",
        status=status,
        submitted_at=now - timedelta(days=days_ago),
        decided_at=now - timedelta(days=days_ago - 5) if decided else None,
    )
    if opinion:
        SupervisorOpinion.objects.create(
            application=application, supervisor=trainer, verdict=opinion, text="Solide."
        )
    return application


@pytest.fixture
def applications(trainer, other_trainer, scheme):
    made = {
        "open_given": supervised_application(
            trainer, scheme, "Alice Ouverte", status="submitted", days_ago=30, opinion="favourable"
        ),
        "open_recent": supervised_application(
            trainer, scheme, "Bruno Recent", status="submitted", days_ago=2
        ),
        "open_old": supervised_application(
            trainer, scheme, "Chloé Ancienne", status="more_requested", days_ago=20
        ),
        "granted": supervised_application(
            trainer, scheme, "Denis Accordé", status="granted", days_ago=60, opinion="favourable"
        ),
        "refused": supervised_application(
            trainer, scheme, "Emma Refusée", status="refused", days_ago=40
        ),
    }
    # Someone else's trainee: on neither list.
    supervised_application(other_trainer, scheme, "Farid Ailleurs", status="submitted", days_ago=1)
    return made


def names_in_order(content: str, names: list[str]) -> list[int]:
    return [content.index(name) for name in names]


def test_it_lists_the_applications_awaiting_a_decision_those_without_an_opinion_first(
    client, trainer, applications
):
    client.force_login(trainer)
    content = text(client.get(URL))
    awaiting, _decided = content.split("Candidatures décidées")
    assert "En attente de décision" in awaiting
    # Without the opinion, the longest waiting first; then the one with it.
    positions = names_in_order(awaiting, ["Chloé Ancienne", "Bruno Recent", "Alice Ouverte"])
    assert positions == sorted(positions)
    assert awaiting.count("avis attendu") == 2
    for name in ("Denis Accordé", "Emma Refusée", "Farid Ailleurs"):
        assert name not in awaiting


def test_it_lists_the_decided_applications_apart_the_latest_decided_first(
    client, trainer, applications
):
    client.force_login(trainer)
    decided = text(client.get(URL)).split("Candidatures décidées")[1]
    assert names_in_order(decided, ["Emma Refusée", "Denis Accordé"]) == sorted(
        names_in_order(decided, ["Emma Refusée", "Denis Accordé"])
    )
    assert "refusée le" in decided and "pas d'avis" in decided
    assert "accordée le" in decided and "votre avis : favorable" in decided
    for name in ("Alice Ouverte", "Bruno Recent", "Chloé Ancienne", "Farid Ailleurs"):
        assert name not in decided
    english = text(client.get("/en" + URL))
    assert "Awaiting a decision" in english and "Decided applications" in english
    assert "refused on" in english


def test_without_applications_it_says_none_awaits_a_decision_and_shows_no_history(client, trainer):
    client.force_login(trainer)
    content = text(client.get(URL))
    assert "Aucune candidature n'attend de décision." in content
    assert "Candidatures décidées" not in content


def test_the_page_reads_a_bounded_number_of_queries(
    client, trainer, scheme, applications, django_assert_max_num_queries
):
    for index in range(8):  # enough rows on both lists that an N+1 would show
        supervised_application(
            trainer, scheme, f"Ouverte {index}", status="submitted", days_ago=3 + index
        )
        supervised_application(
            trainer,
            scheme,
            f"Décidée {index}",
            status="granted",
            days_ago=90 + index,
            opinion="reserved",
        )
    client.force_login(trainer)
    client.get(URL)  # warm the caches
    with django_assert_max_num_queries(OPINIONS_PAGE_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200


def test_it_answers_404_to_a_trainee(client, trainee, applications):
    client.force_login(trainee)
    assert client.get(URL).status_code == 404
