"""The scheme's name and the charter in English on English pages; French, marked lang="fr", while
they have no English wording; a certificate keeps the name it was issued under."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from certification.models import CertificationScheme, CharterVersion
from tests.certification.factories import make_certificate
from tests.certification.registry.helpers import practitioner, practitioner_of_a_translated_scheme

pytestmark = pytest.mark.django_db


def page(client, path: str) -> str:
    """The page's main content (the language switcher's own lang="fr" left out)."""
    return html.unescape(client.get(path).content.decode()).split("<main", 1)[1]


@pytest.fixture(autouse=True)
def _french_after():
    yield
    translation.activate("fr")


def test_it_shows_the_scheme_and_the_charter_in_english_on_the_english_path(
    client, trainee, scheme, charter
):
    CertificationScheme.objects.filter(pk=scheme.pk).update(
        name="Intervenant·e TST®", name_en="TST® practitioner"
    )
    CharterVersion.objects.filter(pk=charter.pk).update(
        title_en="Code of ethics", body_en="I serve every party and keep what is said private."
    )
    client.force_login(trainee)

    english = page(client, "/en/certification/")
    french = page(client, "/certification/")

    assert '<p class="lead">TST® practitioner</p>' in english
    assert "I serve every party and keep what is said private." in english
    assert "Je me place au service" not in english
    assert '<p class="lead">Intervenant·e TST®</p>' in french
    assert "Je me place au service de toutes les parties" in french
    assert 'lang="fr"' not in english


def test_it_marks_the_french_wording_on_the_english_path_until_it_is_translated(
    client, trainee, scheme, charter
):
    CertificationScheme.objects.filter(pk=scheme.pk).update(name="Intervenant·e TST®")
    client.force_login(trainee)

    english = page(client, "/en/certification/")

    assert '<p class="lead" lang="fr">Intervenant·e TST®</p>' in english
    assert '<div class="charter-body" lang="fr">' in english
    french = page(client, "/certification/")
    assert 'lang="fr"' not in french


def test_it_names_the_scheme_in_english_in_the_english_registry(client, scheme):
    certificate, profile = practitioner_of_a_translated_scheme("Noël Çelik", scheme=scheme)

    verification = page(client, f"/en/registre/verifier/{certificate.number}/")
    listed = page(client, f"/en/registre/{profile.slug}/")

    assert "<dd>TST® practitioner</dd>" in verification
    assert "TST® practitioner, valid certificate." in listed
    assert "Intervenant·e TST®" in page(client, f"/registre/verifier/{certificate.number}/")


def test_it_keeps_the_name_a_certificate_was_issued_under_marked_as_french(client, scheme):
    CertificationScheme.objects.filter(pk=scheme.pk).update(name="Nouveau nom", name_en="New name")
    certificate, profile = practitioner("Noël Çelik", scheme=scheme)
    certificate.__class__.objects.filter(pk=certificate.pk).update(scheme_name="Ancien nom")

    verification = page(client, f"/en/registre/verifier/{certificate.number}/")
    listed = page(client, f"/en/registre/{profile.slug}/")

    assert '<dd lang="fr">Ancien nom</dd>' in verification
    assert '<span lang="fr">Ancien nom</span>, valid certificate.' in listed


def test_it_names_the_scheme_in_english_on_the_committees_english_certificate_page(
    client, trainee, committee_member, scheme
):
    CertificationScheme.objects.filter(pk=scheme.pk).update(
        name="Intervenant·e TST®", name_en="TST® practitioner"
    )
    scheme.refresh_from_db()
    certificate = make_certificate(trainee, scheme=scheme)
    client.force_login(committee_member)
    with translation.override("en"):
        path = reverse("certification:committee_certificate", args=[certificate.pk])

    english = page(client, path)

    assert "<dd>TST® practitioner (v" in english
    assert "Intervenant·e TST®" not in english
    certificate.refresh_from_db()
    assert certificate.scheme_name == "Intervenant·e TST®"  # the issued name stays as it was
