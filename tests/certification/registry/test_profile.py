"""The holder's own registry page: opt-in, public fields, immediate opt-out even when cached."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certification.models import CertificateEvent, CertificateStatus, PublicReason
from certification.registry.models import RegistryProfile
from tests.certification.registry.helpers import practitioner
from tests.factories import PASSWORD, UserFactory

MY_PROFILE = reverse("certification:registry_my_profile")
REGISTRY = reverse("certification:registry")
LOC_MEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _real_cache(settings):
    settings.CACHES = LOC_MEM
    settings.REGISTRY_CACHE_SECONDS = 600


def form_data(**overrides) -> dict:
    return {
        "listed": "on",
        "city": "Roubaix",
        "show_city": "on",
        "region": "hdf",
        "show_region": "on",
        "languages": "français, turc",
        "practice_fields": ["quartiers", "education"],
        "show_practice_fields": "on",
        "bio": "Intervenante en quartiers.",
        **overrides,
    }


def test_it_creates_an_unlisted_profile_with_everything_private(client, scheme):
    certificate, _none = practitioner("Noël Çelik", scheme=scheme, listed=False)
    client.force_login(certificate.holder)

    response = client.get(MY_PROFILE)

    profile = RegistryProfile.objects.get(holder=certificate.holder)
    assert response.status_code == 200
    assert profile.listed is False
    assert not any(getattr(profile, name) for name in ("show_city", "show_bio", "contact_enabled"))
    assert profile.search_key == "noelcelik"


def test_it_lists_the_holder_with_only_the_fields_they_made_public(client, scheme):
    certificate, _none = practitioner("Noël Çelik", scheme=scheme, listed=False)
    client.force_login(certificate.holder)

    response = client.post(MY_PROFILE, form_data())
    client.logout()

    assert response.status_code == 302
    profile = RegistryProfile.objects.get(holder=certificate.holder)
    assert profile.practice_fields == " quartiers education "
    page = client.get(reverse("certification:registry_profile", args=[profile.slug]))
    html = page.content.decode()
    assert "Roubaix" in html and "Hauts-de-France" in html
    assert "Quartiers et politique de la ville" in html
    assert "français, turc" not in html  # languages not made public
    assert "Intervenante en quartiers." not in html  # bio not made public
    assert certificate.number in html
    assert reverse("certification:verify_number", args=[certificate.number]) in html


def test_it_removes_an_opted_out_holder_at_once_even_from_cached_pages(client, scheme):
    certificate, profile = practitioner("Noël Çelik", scheme=scheme, listed=False)
    holder_client = client.__class__()
    holder_client.force_login(certificate.holder)
    holder_client.post(MY_PROFILE, form_data())
    profile = RegistryProfile.objects.get(holder=certificate.holder)
    profile_url = reverse("certification:registry_profile", args=[profile.slug])
    assert "Noël Çelik" in client.get(REGISTRY, {"q": "noel"}).content.decode()
    assert client.get(profile_url).status_code == 200  # both pages are now cached

    holder_client.post(MY_PROFILE, form_data(listed=""))

    assert "Noël Çelik" not in client.get(REGISTRY, {"q": "noel"}).content.decode()
    assert client.get(profile_url).status_code == 404


def test_it_serves_anonymous_visitors_from_the_cache(client, scheme, django_assert_num_queries):
    practitioner("Noël Çelik", scheme=scheme)
    client.get(REGISTRY)

    with django_assert_num_queries(0):
        response = client.get(REGISTRY)

    assert "Noël Çelik" in response.content.decode()


def test_it_shows_a_change_of_status_at_once_on_cached_pages(client, scheme):
    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)
    verify_url = reverse("certification:verify_number", args=[certificate.number])
    assert "valide" in client.get(verify_url).content.decode()
    assert "Noël Çelik" in client.get(REGISTRY).content.decode()

    from certification.models import Certificate

    certificate = Certificate.objects.get(pk=certificate.pk)
    # Written directly: the cache follows any write, not only the service's (tested below).
    # As the status service does it: the event first, then the certificate (PostgreSQL refuses
    # a change of status that no event of the same transaction announces).
    CertificateEvent.objects.create(
        certificate=certificate,
        from_status=CertificateStatus.ACTIVE,
        to_status=CertificateStatus.SUSPENDED,
        public_reason=PublicReason.SUPERVISION,
        reason="Pas de supervision depuis un an.",
        effective_on=certificate.issued_on,
        valid_until=certificate.valid_until,
    )
    certificate.status = CertificateStatus.SUSPENDED
    certificate.save()

    assert "il est suspendu." in client.get(verify_url).content.decode()
    assert "Noël Çelik" not in client.get(REGISTRY).content.decode()


def test_it_escapes_html_in_a_bio(client, scheme):
    _certificate, profile = practitioner(
        "Noël Çelik", scheme=scheme, bio='<script>alert("x")</script><b>gras</b>'
    )

    html = client.get(reverse("certification:registry_profile", args=[profile.slug])).content

    assert b'<script>alert("x")</script>' not in html
    assert b"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in html


def test_it_answers_404_to_someone_without_a_certificate(client, db):
    client.force_login(UserFactory())

    response = client.get(MY_PROFILE)

    assert response.status_code == 404
    # The registry links here for everyone: the page says why there is nothing to edit.
    assert "Vous ne détenez pas de certificat TST®" in response.content.decode()
    assert reverse("certification:path") not in response.content.decode()


def test_it_points_a_trainee_without_a_certificate_to_their_path(client, trainee):
    client.force_login(trainee)

    html = client.get("/en" + MY_PROFILE).content.decode()

    assert "You do not hold a TST® certificate" in html
    assert 'href="/en/certification/"' in html
    assert 'href="/en/registre/"' in html


def test_it_asks_a_visitor_to_sign_in(client, db):
    response = client.get(MY_PROFILE)

    assert response.status_code == 302
    assert "login" in response.url


def test_it_keeps_an_unlisted_profile_page_private(client, scheme):
    _certificate, profile = practitioner("Noël Çelik", scheme=scheme, listed=False, city="Lille")

    response = client.get(reverse("certification:registry_profile", args=[profile.slug]))

    assert response.status_code == 404


def test_it_lets_the_holder_sign_in_and_edit(client, scheme):
    certificate, _none = practitioner("Noël Çelik", scheme=scheme, listed=False)

    assert client.login(email=certificate.holder.email, password=PASSWORD)
    assert client.get(MY_PROFILE).status_code == 200


def test_it_shows_a_suspension_by_the_committee_at_once(client, scheme, committee_member):
    from django.utils import timezone

    from certification import services

    certificate, _profile = practitioner("Noël Çelik", scheme=scheme)
    verify_url = reverse("certification:verify_number", args=[certificate.number])
    assert "Noël Çelik" in client.get(REGISTRY).content.decode()
    assert "valide" in client.get(verify_url).content.decode()

    services.certificate_change_status(
        certificate=certificate,
        to_status=CertificateStatus.SUSPENDED,
        actor=committee_member,
        reason="Aucune supervision depuis quatorze mois.",
        public_reason=PublicReason.SUPERVISION,
        effective_on=timezone.localdate(),
    )

    assert "Noël Çelik" not in client.get(REGISTRY).content.decode()
    html = client.get(verify_url).content.decode()
    assert "il est suspendu." in html
    assert "Supervision insuffisante" in html
    assert "quatorze mois" not in html
