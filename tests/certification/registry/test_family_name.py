"""The registry sorted by family name: proposed from the name, corrected by the holder."""

from __future__ import annotations

import html
import io
import json
import zipfile
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from certification.registry import services as registry_services
from certification.registry.models import RegistryProfile
from tests.certification.registry.helpers import practitioner
from tests.factories import UserFactory

REGISTRY = reverse("certification:registry")
MY_PROFILE = reverse("certification:registry_my_profile")


def listed_names(client) -> list[str]:
    response = client.get(REGISTRY)
    assert response.status_code == 200
    return [c.holder.full_name for c in response.context["page"].object_list]


def form_data(**overrides) -> dict:
    return {"listed": "on", "region": "ara", "family_name": "", **overrides}


def test_it_lists_practitioners_by_family_name(client, scheme):
    for name in ("Anne Martin", "Zoé Aubert", "Camille Dupont"):
        practitioner(name, scheme=scheme)

    assert listed_names(client) == ["Zoé Aubert", "Camille Dupont", "Anne Martin"]


def test_it_sorts_accented_family_names_among_the_others_then_by_whole_name(client, scheme):
    for name in ("Émile Martin", "Jean Faure", "Élodie Martin", "Luc Émery", "Paul Dupont"):
        practitioner(name, scheme=scheme)

    assert listed_names(client) == [
        "Paul Dupont",
        "Luc Émery",
        "Jean Faure",
        "Élodie Martin",
        "Émile Martin",
    ]


def test_a_new_profile_proposes_the_last_word_of_the_name(scheme):
    holder = UserFactory(full_name="Anne-Sophie  d'Aubigné")

    profile = registry_services.registry_profile_get_or_create(holder=holder)

    assert profile.family_name == "d'Aubigné"
    assert profile.sort_key == "daubigne"


def test_the_migration_proposes_a_family_name_for_existing_profiles(scheme):
    migration = import_module("certification.migrations.0011_registry_family_name")
    _certificate, profile = practitioner("Loïc Le Bihan", scheme=scheme)
    RegistryProfile.objects.filter(pk=profile.pk).update(family_name="", sort_key="")

    migration.propose_family_names(apps, None)

    profile.refresh_from_db()
    assert (profile.family_name, profile.sort_key) == ("Bihan", "bihan")


def test_the_holder_corrects_their_family_name_and_the_registry_follows(client, scheme):
    certificate, _profile = practitioner("Loïc Le Bihan", scheme=scheme)
    practitioner("Anne Jourdain", scheme=scheme)
    assert listed_names(client) == ["Loïc Le Bihan", "Anne Jourdain"]  # "bihan" < "jourdain"
    client.force_login(certificate.holder)

    page = client.get(MY_PROFILE).content.decode()
    response = client.post(MY_PROFILE, form_data(family_name="  le   Bihan "))
    client.logout()

    assert 'name="family_name"' in page and 'value="Bihan"' in page
    assert response.status_code == 302
    profile = RegistryProfile.objects.get(holder=certificate.holder)
    assert (profile.family_name, profile.sort_key) == ("le Bihan", "lebihan")
    assert listed_names(client) == ["Anne Jourdain", "Loïc Le Bihan"]


def test_an_empty_family_name_sorts_by_the_last_word_of_the_name(client, scheme):
    certificate, _profile = practitioner("Loïc Le Bihan", scheme=scheme)
    client.force_login(certificate.holder)

    client.post(MY_PROFILE, form_data(family_name=""))

    profile = RegistryProfile.objects.get(holder=certificate.holder)
    assert (profile.family_name, profile.sort_key) == ("", "bihan")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("B" * 101, "au plus 100 caractères"),
        ("Dupont", "Le nom de famille doit faire partie de votre nom, « Loïc Le Bihan »"),
        ("--", "Le nom de famille doit faire partie de votre nom"),
    ],
)
def test_it_refuses_a_family_name_that_is_not_the_holders_in_words(client, scheme, typed, message):
    certificate, _profile = practitioner("Loïc Le Bihan", scheme=scheme)
    client.force_login(certificate.holder)

    response = client.post(MY_PROFILE, form_data(family_name=typed))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert RegistryProfile.objects.get(holder=certificate.holder).sort_key == "bihan"


def test_it_labels_the_family_name_in_english(client, scheme):
    certificate, _profile = practitioner("Loïc Le Bihan", scheme=scheme)
    client.force_login(certificate.holder)

    with translation.override("en"):
        url = reverse("certification:registry_my_profile")
    page = client.get(url).content.decode()
    response = client.post(url, form_data(family_name="Dupont"))

    assert "Family name (for sorting)" in page
    assert "The family name must be part of your name, “Loïc Le Bihan”" in html.unescape(
        response.content.decode()
    )


def test_a_renamed_holder_is_sorted_under_their_new_name(client, scheme):
    certificate, _profile = practitioner("Hélène Duprè", scheme=scheme)
    practitioner("Anne Jourdain", scheme=scheme)
    holder = certificate.holder

    holder.full_name = "Hélène Noël"
    holder.save()

    profile = RegistryProfile.objects.get(holder=holder)
    assert (profile.family_name, profile.sort_key) == ("Noël", "noel")
    assert listed_names(client) == ["Anne Jourdain", "Hélène Noël"]


def test_a_renamed_holder_keeps_a_family_name_still_part_of_their_name(scheme):
    certificate, _profile = practitioner("Loïc Le Bihan", scheme=scheme, family_name="Le Bihan")
    holder = certificate.holder

    holder.full_name = "Loïc Le Bihan-Morvan"
    holder.save()

    profile = RegistryProfile.objects.get(holder=holder)
    assert (profile.family_name, profile.sort_key) == ("Le Bihan", "lebihan")


def test_the_family_name_is_in_the_holders_personal_data(client, scheme):
    certificate, _profile = practitioner("Loïc Le Bihan", scheme=scheme, family_name="Le Bihan")
    client.force_login(certificate.holder)

    response = client.get(reverse("personal_data_download"))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    document = json.loads(archive.read("donnees.json"))
    [row] = document["sections"]["registre"]["tables"]["fiche"]["rows"]
    assert row["family_name"] == "Le Bihan"
