"""Every paged list pages the same way (templates/includes/pagination.html): « Page 1 sur 2 »,
« Page suivante », links that keep the list's search or filter, a navigation named after what
is paged, in French and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from certification.models import Application, CertificationScheme
from institut.models import User
from institut.roles import Role
from supervision import services as supervision_services
from supervision.logbook.models import PracticeEntry
from supervision.models import SupervisorAssignment
from tests.certification.factories import make_certificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def pager(html: str) -> str:
    """The list's page navigation, alone."""
    start = html.index('<ul class="pagination">')
    return html[html.rindex("<nav", 0, start) : html.index("</nav>", start)]


def assert_two_pages(
    client, assert_max_queries, name: str, *, query: str, label: str, label_en: str, queries: int
) -> str:
    """The list `name` (its address + `?query`) on two pages, paged alike in French and in
    English, its second page read in at most `queries` queries; that page's HTML."""
    kept = f"{query}&amp;" if query else ""
    french = pager(client.get(f"{reverse(name)}?{query}").content.decode())
    with translation.override("en"):
        english = pager(client.get(f"{reverse(name)}?{query}").content.decode())
    assert f'aria-label="{label}"' in french
    assert "Page 1 sur 2" in french
    assert f'<a href="?{kept}page=2" rel="next">Page suivante</a>' in french
    assert "Précédente" not in french and " / " not in french
    assert f'aria-label="{label_en}"' in english
    assert "Page 1 of 2" in english
    assert f'<a href="?{kept}page=2" rel="next">Next page</a>' in english

    with assert_max_queries(queries):
        second = client.get(f"{reverse(name)}?{kept.replace('&amp;', '&')}page=2")
    html = second.content.decode()
    assert "Page 2 sur 2" in pager(html)
    assert f'<a href="?{kept}page=1" rel="prev">Page précédente</a>' in pager(html)
    assert 'rel="next"' not in pager(html)
    return html


def test_the_committee_pages_its_applications_keeping_the_status_filter(
    client, committee_member, django_assert_max_num_queries
):
    scheme = CertificationScheme.objects.create()
    people = User.objects.bulk_create(
        User(email=f"candidat{n}@example.org", full_name=f"Candidat {n}") for n in range(51)
    )
    Application.objects.bulk_create(
        Application(applicant=person, scheme=scheme, statement="Je pratique depuis deux ans.")
        for person in people
    )
    client.force_login(committee_member)

    assert_two_pages(
        client,
        django_assert_max_num_queries,
        "certification:committee",
        query="statut=submitted",
        label="Pages des candidatures",
        label_en="Pages of applications",
        queries=20,
    )


def test_the_committee_pages_the_certificates_issued(
    client, committee_member, django_assert_max_num_queries
):
    scheme = CertificationScheme.objects.create()
    for n in range(51):
        make_certificate(UserFactory(full_name=f"Titulaire {n}"), scheme=scheme)
    client.force_login(committee_member)

    assert_two_pages(
        client,
        django_assert_max_num_queries,
        "certification:committee_certificates",
        query="",
        label="Pages des certificats",
        label_en="Pages of certificates",
        queries=12,
    )


@pytest.mark.calendar
def test_the_trainer_pages_the_trainees_found_keeping_the_search(
    client, trainer, django_assert_max_num_queries
):
    for n in range(26):
        supervision_services.supervisor_assign(
            trainee=UserFactory(full_name=f"Stagiaire {n:02}", roles=[Role.TRAINEE]),
            supervisor=trainer,
            assigned_by=None,
        )
    client.force_login(trainer)

    second = assert_two_pages(
        client,
        django_assert_max_num_queries,
        "supervision:trainer_home",
        query="q=stagiaire",
        label="Pages de stagiaires",
        label_en="Pages of trainees",
        queries=20,
    )
    assert "Stagiaire 25" in second


def test_the_supervisor_pages_the_entries_to_review(
    client, trainer, trainee, django_assert_max_num_queries
):
    SupervisorAssignment.objects.create(trainee=trainee, supervisor=trainer)
    now = timezone.now()
    PracticeEntry.objects.bulk_create(
        PracticeEntry(
            trainee=trainee,
            date=timezone.localdate() - timedelta(days=2),
            duration_minutes=90,
            setting=PracticeEntry.Setting.NEIGHBOURHOOD,
            role=PracticeEntry.Role.LEAD,
            group_size=10,
            description="Médiation entre habitants et gardiens d'immeuble.",
            status="submitted",
            submitted_at=now - timedelta(minutes=n),
        )
        for n in range(51)
    )
    client.force_login(trainer)

    assert_two_pages(
        client,
        django_assert_max_num_queries,
        "supervision:logbook_queue",
        query="",
        label="Pages des entrées à relire",
        label_en="Pages of entries to review",
        queries=8,
    )
