"""The holder's own pause and resume: a change refused by the certification's rules (dated before
the last event of the history) is said on the form; nothing is written, never a 500."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from certification.models import CertificateEvent, CertificationScheme, PublicReason
from institut.formats import date_text
from tests.certification.factories import make_certificate

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def with_a_later_event(certificate, days: int = 3):
    """The history's last event dated after today (a renewal recorded ahead of its day)."""
    CertificateEvent.objects.create(
        certificate=certificate,
        from_status=certificate.status,
        to_status=certificate.status,
        public_reason=PublicReason.RENEWED,
        reason="Renouvellement.",
        effective_on=timezone.localdate() + timedelta(days=days),
        valid_until=certificate.valid_until,
    )
    return timezone.localdate() + timedelta(days=days)


@pytest.mark.parametrize("status", ["active", "inactive"])
def test_a_change_dated_before_the_last_event_is_refused_on_the_form(client, trainee, status):
    certificate = make_certificate(
        trainee, scheme=CertificationScheme.objects.create(), status=status
    )
    later = with_a_later_event(certificate)
    events = certificate.events.count()
    client.force_login(trainee)
    url = reverse("certification:certificate_status", args=[certificate.number])
    response = client.post(url, {"reason": "Congé parental."})
    assert response.status_code == 400
    with translation.override("fr"):
        day = date_text(later)
    content = text(response)
    assert f"La date d'effet ne peut pas précéder le {day}" in content
    assert 'class="error-summary"' in content
    assert "Le statut de votre certificat est modifié." not in content
    certificate.refresh_from_db()
    assert certificate.status == status and certificate.events.count() == events
    english = client.post("/en" + url, {"reason": "Parental leave."})
    assert english.status_code == 400
    assert "The effective date cannot be earlier than" in text(english)
