"""The registry at scale on PostgreSQL: the name search goes through the trigram index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from certification.models import Certificate
from certification.registry.models import RegistryProfile
from certification.registry.selectors import registry_certificates, registry_near_matches
from institut.lib.text import search_key, search_words
from institut.models import User
from tests.certification.helpers import make_scheme

COUNT = 100_000
FIRST = ["Hélène", "Noël", "Zoé", "Loïc", "Anaïs", "Jérôme", "Maëlle", "Rémi", "Inès", "Côme"]
LAST = ["Duprè", "Lefèvre", "Benali", "Ødegaard", "Martin", "Roux", "Nguyễn", "Łukasik", "Faure"]


def build(count: int) -> None:
    scheme = make_scheme()
    today = timezone.localdate()
    names = [
        f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}-{i}" for i in range(count)
    ]
    names[count // 2] = "Aurélie Çelikkaya"
    users = User.objects.bulk_create(
        [
            User(email=f"p{i}@example.org", full_name=name, password="!")
            for i, name in enumerate(names)
        ],
        batch_size=5000,
    )
    # Written in bulk: a hundred thousand certificates cannot go through the service one by one.
    Certificate.objects.bulk_create(
        [
            Certificate(
                number=f"TST-2026-{i:06d}",
                holder=user,
                holder_name=user.full_name,
                scheme=scheme,
                scheme_name=scheme.name,
                scheme_version=scheme.version,
                first_issued_on=today - timedelta(days=30),
                issued_on=today - timedelta(days=30),
                valid_until=today + timedelta(days=1000),
                status_changed_on=today - timedelta(days=30),
            )
            for i, user in enumerate(users)
        ],
        batch_size=5000,
    )
    RegistryProfile.objects.bulk_create(
        [
            RegistryProfile(
                holder=user,
                slug=f"p-{i}",
                search_key=search_key(user.full_name),
                search_words=search_words(user.full_name),
                listed=i % 3 != 0,
                region="idf",
                show_region=True,
            )
            for i, user in enumerate(users)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.mark.postgres
def test_it_searches_a_hundred_thousand_certificates_through_the_trigram_index(
    client, db, django_assert_max_num_queries
):
    build(COUNT)

    plan = registry_certificates(query="celikk").explain()
    # 8 for the search, 4 for the certification's results (2, and the settings read once).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("certification:registry"), {"q": "çelikk"})
    with django_assert_max_num_queries(10):
        everyone = client.get(reverse("certification:registry"), {"page": 400})

    assert "registry_search_key_trgm" in plan, plan
    assert "Aurélie Çelikkaya" in response.content.decode()
    assert everyone.status_code == 200
    assert everyone.content.decode().count('class="card status-active"') == 50


@pytest.mark.postgres
def test_it_finds_near_matches_among_a_hundred_thousand_through_the_words_index(
    client, db, django_assert_max_num_queries
):
    build(COUNT)

    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT 1 FROM certification_registryprofile WHERE search_words %%> %s",
            ["aurelie celikaia"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    near = registry_near_matches(query="Aurélie Celikaia")
    # The page's 12 (see above), 1 for the near matches, 1 for their threshold, 2 for the
    # savepoint that keeps it.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("certification:registry"), {"q": "Aurelie Celikaia"})
    # Words every name is made of: the most rows a hostile query can make the index return.
    common = " ".join(FIRST + LAST)[:100]
    with django_assert_max_num_queries(16):
        hostile = client.get(reverse("certification:registry"), {"q": common})

    assert "registry_search_words_trgm" in plan, plan
    assert near[0].holder.full_name == "Aurélie Çelikkaya"
    assert "Aurélie Çelikkaya" in response.content.decode()
    assert hostile.status_code == 200
