"""The contact form relays a message to a listed holder and never reveals their address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.certification.registry.helpers import practitioner

HOLDER_EMAIL = "noel.celik.prive@example.org"


@pytest.fixture
def listed(scheme):
    return practitioner("Noël Çelik", scheme=scheme, email=HOLDER_EMAIL)


def message(**overrides) -> dict:
    return {
        "name": "Mairie de Vaulx",
        "email": "politique.ville@mairie.example",
        "message": "Bonjour, nous cherchons une intervenante pour un quartier.",
        "website": "",
        **overrides,
    }


def test_it_relays_the_message_to_the_holder_with_the_sender_in_reply_to(
    client, listed, mailoutbox
):
    certificate, profile = listed
    url = reverse("certification:registry_contact", args=[profile.slug])

    responses = [
        client.get(reverse("certification:registry")),
        client.get(reverse("certification:registry_profile", args=[profile.slug])),
        client.get(reverse("certification:verify_number", args=[certificate.number])),
        client.get(url),
        client.post(url, message()),
        client.post(url, message(email="pas-une-adresse")),
        client.get(f"/api/v1/certificates/{certificate.number}"),
    ]
    sent_page = client.get(responses[4].url)

    assert responses[4].status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [HOLDER_EMAIL]
    assert mailoutbox[0].reply_to == ["politique.ville@mairie.example"]
    assert "nous cherchons une intervenante" in mailoutbox[0].body
    for response in [*responses, sent_page]:
        assert HOLDER_EMAIL.encode() not in response.content


def test_it_sends_nothing_when_the_honeypot_is_filled(client, listed, mailoutbox):
    _certificate, profile = listed
    url = reverse("certification:registry_contact", args=[profile.slug])

    response = client.post(url, message(website="http://spam.example"))

    assert response.status_code == 302  # the robot is told it worked
    assert mailoutbox == []


def test_it_answers_404_when_the_holder_turned_contact_off(client, scheme):
    _certificate, profile = practitioner("Noël Çelik", scheme=scheme, contact_enabled=False)

    response = client.get(reverse("certification:registry_contact", args=[profile.slug]))

    assert response.status_code == 404


def test_it_limits_the_messages_per_address(client, listed, settings, mailoutbox):
    settings.REGISTRY_CONTACT_RATE_LIMIT = "2/h"
    _certificate, profile = listed
    url = reverse("certification:registry_contact", args=[profile.slug])

    statuses = [client.post(url, message()).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert len(mailoutbox) == 2


def test_the_relayed_message_is_signed_and_links_the_holder_s_profile_in_their_language(
    settings, client, listed, mailoutbox
):
    _certificate, profile = listed
    profile.holder.preferred_language = "en"
    profile.holder.save()
    client.post(reverse("certification:registry_contact", args=[profile.slug]), message())
    (sent,) = mailoutbox
    assert f"{settings.SITE_URL}/en/registre/mon-profil/" in sent.body
    assert sent.body.rstrip().endswith("The Institut Charles Rojzman team")
