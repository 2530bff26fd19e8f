"""Verification of any issued certificate by its number: the public facts, nothing private."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import CertificateStatus
from certification.registry.selectors import normalise_number
from tests.certification.registry.helpers import PRIVATE_REASON, practitioner


def verify_url(number: str) -> str:
    return reverse("certification:verify_number", args=[number])


@pytest.mark.parametrize(
    "typed",
    [
        "TST-2026-7K3M9Q",
        "tst-2026-7k3m9q",
        "TST20267K3M9Q",
        " tst 2026 7k3m9q ",
        "TST\u20132026\u20137K3M9Q",
    ],
)
def test_it_reads_a_number_in_any_case_with_or_without_dashes(typed):
    assert normalise_number(typed) == "TST-2026-7K3M9Q"


@pytest.mark.parametrize("typed", ["", "TST-2026-7K3M9", "TST-2026-0K3M9Q", "ABC-2026-7K3M9Q"])
def test_it_refuses_what_is_not_a_number(typed):
    assert normalise_number(typed) is None


def test_it_verifies_a_valid_certificate_of_an_unlisted_holder(client, scheme):
    certificate, _profile = practitioner("Ingrid Ødegaard", scheme=scheme, listed=False)

    response = client.get(verify_url(certificate.number))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ingrid Ødegaard" in html
    assert "valide" in html
    assert certificate.scheme_name in html
    assert "Ce que cette vérification atteste" in html
    assert certificate.holder.email not in html


@pytest.mark.parametrize(
    ("status", "words", "reason"),
    [
        (CertificateStatus.SUSPENDED, "suspendu", "Supervision insuffisante"),
        (CertificateStatus.REVOKED, "retiré", "Manquement à la charte éthique"),
        (CertificateStatus.EXPIRED, "expiré", "Fin de la période de validité"),
        (CertificateStatus.INACTIVE, "en retrait volontaire", "À la demande du ou de la titulaire"),
    ],
)
def test_it_verifies_an_inactive_certificate_with_its_words_and_public_reason(
    client, scheme, status, words, reason
):
    certificate, _profile = practitioner("Noël Çelik", scheme=scheme, status=status)

    html = client.get(verify_url(certificate.number)).content.decode()

    assert f"il est {words}." in html
    assert reason in html
    assert PRIVATE_REASON not in html
    assert certificate.holder.email not in html


def test_it_reads_an_active_certificate_past_its_end_date_as_expired(client, scheme):
    certificate, _profile = practitioner(
        "Noël Çelik", scheme=scheme, valid_until=timezone.localdate() - timedelta(days=2)
    )

    html = client.get(verify_url(certificate.number)).content.decode()

    assert "il est expiré." in html
    assert "Fin de la période de validité" in html


def test_it_redirects_a_number_typed_loosely_to_its_page(client, scheme):
    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)
    loose = certificate.number.lower().replace("-", "")

    by_path = client.get(verify_url(loose))
    by_form = client.get(reverse("certification:verify"), {"numero": loose})

    assert by_path.status_code == 302 and by_path.url == verify_url(certificate.number)
    assert by_form.status_code == 302 and by_form.url == verify_url(certificate.number)


def test_it_explains_a_malformed_number_in_the_form(client, db):
    response = client.get(reverse("certification:verify"), {"numero": "12345"})

    assert response.status_code == 200
    assert "n&#x27;a pas la forme d&#x27;un numéro de certificat" in response.content.decode()


@pytest.mark.parametrize(
    "number",
    [
        "TST-2026-ZZZZZZ",
        "..",
        "../../etc/passwd",
        "'; DROP TABLE certification_certificate; --",
        '"><script>alert(1)</script>',
        "x" * 500,
        "TST-2026-😀😀😀",
        "😀",
    ],  # a NUL byte (%00) in any address: tests/institut/test_request_limits.py
)
def test_it_answers_a_helpful_404_for_unknown_or_malformed_numbers(client, db, number):
    response = client.get(f"/registre/verifier/{number}/")

    assert response.status_code == 404
    assert "Certificat introuvable" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_it_keeps_the_unknown_number_in_the_form_so_a_typo_can_be_corrected(client, db):
    response = client.get("/registre/verifier/TST-2026-WBMZFX/")

    assert response.status_code == 404
    assert 'value="TST-2026-WBMZFX"' in response.content.decode()


def test_it_links_a_listed_holder_to_their_profile_only(client, scheme):
    listed, profile = practitioner("Hélène Duprè", scheme=scheme)
    unlisted, _none = practitioner("Ingrid Ødegaard", scheme=scheme, listed=False)

    listed_html = client.get(verify_url(listed.number)).content.decode()
    unlisted_html = client.get(verify_url(unlisted.number)).content.decode()

    assert reverse("certification:registry_profile", args=[profile.slug]) in listed_html
    assert "Voir la fiche" not in unlisted_html


def test_it_serves_the_english_verification_page_too(client, scheme):
    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)

    response = client.get(f"/en/registre/verifier/{certificate.number}/")

    assert response.status_code == 200
    assert "Noël Çelik" in response.content.decode()


def test_it_answers_429_to_too_many_verifications(client, scheme, settings):
    settings.REGISTRY_RATE_LIMIT = "2/m"
    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)

    statuses = [client.get(verify_url(certificate.number)).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_it_links_to_the_holder_s_profile_in_words_that_fit_any_name(client, scheme):
    certificate, profile = practitioner("Élodie Aubert", scheme=scheme)

    html = client.get(verify_url(certificate.number)).content.decode()

    link = f'<a href="{reverse("certification:registry_profile", args=[profile.slug])}">'
    assert f"{link}Voir sa fiche dans le registre</a>" in html
    assert "de Élodie" not in html


def test_it_gives_the_institut_s_address_where_it_says_to_write_to_the_institut(client, db):
    from wagtail.models import Site

    from home.models import InstitutSettings

    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.contact_email = "registre@institut.test"
    details.save()

    response = client.get("/registre/verifier/TST-2026-WBMZFX/")

    html = response.content.decode()
    assert response.status_code == 404
    paragraph = html[html.index("vous pouvez écrire à l'Institut") :].split("</p>")[0]
    assert 'href="mailto:registre@institut.test"' in paragraph
