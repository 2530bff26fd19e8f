"""Certificates: numbers, the status transitions table, permanent events, e-mails to holders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from certification import links, services
from certification.models import Certificate, CertificateEvent, CertificationScheme
from tests.certification.factories import make_certificate

pytestmark = pytest.mark.calendar


@pytest.fixture
def simple_scheme(db):
    return CertificationScheme.objects.create()


@pytest.fixture
def certificate(trainee, simple_scheme):
    return make_certificate(trainee, scheme=simple_scheme)


def change(certificate, to_status, actor, **overrides):
    kwargs = {
        "certificate": certificate,
        "to_status": to_status,
        "actor": actor,
        "reason": "Examen du dossier par la commission.",
        "public_reason": "administrative",
        "effective_on": timezone.localdate(),
        **overrides,
    }
    return services.certificate_change_status(**kwargs)


def test_it_draws_numbers_from_the_unambiguous_alphabet():
    number = links.new_certificate_number(year=2026)
    assert re.fullmatch(r"TST-2026-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", number)


def test_it_draws_again_when_a_number_is_taken(certificate, monkeypatch):
    drawn = iter([certificate.number, "TST-2026-ABCDEF"])
    monkeypatch.setattr(services, "new_certificate_number", lambda year: next(drawn))
    assert services.unique_certificate_number(2026) == "TST-2026-ABCDEF"


def test_it_can_reinstate_a_suspended_certificate(certificate, committee_member):
    change(certificate, "suspended", committee_member, public_reason="supervision")
    change(certificate, "active", committee_member, public_reason="reinstated")
    certificate.refresh_from_db()
    assert certificate.status == "active"
    assert list(certificate.events.values_list("from_status", "to_status")) == [
        ("", "active"),
        ("active", "suspended"),
        ("suspended", "active"),
    ]


def test_it_never_reactivates_a_revoked_certificate(certificate, committee_member):
    change(certificate, "revoked", committee_member, public_reason="ethics")
    for status in ("active", "suspended", "inactive"):
        with pytest.raises(services.TransitionError):
            change(certificate, status, committee_member)
    with pytest.raises(services.TransitionError):
        services.check_certificate_transition("revoked", "active", renewal=True)
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.events.count() == 2


def test_it_renews_an_expired_certificate_but_does_not_simply_reactivate_it(
    certificate, committee_member, simple_scheme
):
    change(certificate, "expired", None, public_reason="expired")
    with pytest.raises(services.TransitionError):
        change(certificate, "active", committee_member)
    renewed = services.certificate_renew(
        certificate=certificate, actor=committee_member, scheme=simple_scheme
    )
    assert renewed.status == "active"
    assert renewed.number == certificate.number
    assert renewed.valid_until == services.add_years(timezone.localdate(), 3)
    assert renewed.events.last().public_reason == "renewed"


def test_it_requires_a_reason_a_public_reason_and_a_date(certificate, committee_member):
    with pytest.raises(ValidationError) as error:
        change(certificate, "suspended", committee_member, reason="", public_reason="x")
    assert set(error.value.message_dict) == {"reason", "public_reason"}
    with pytest.raises(ValidationError):
        change(certificate, "suspended", committee_member, effective_on=None)
    certificate.refresh_from_db()
    assert certificate.status == "active"
    assert certificate.events.count() == 1


def test_it_lets_only_the_committee_suspend(certificate, trainer, committee_member_without_mfa):
    for person in (certificate.holder, trainer, committee_member_without_mfa):
        with pytest.raises(PermissionDenied):
            change(certificate, "suspended", person)


def test_it_lets_the_holder_become_voluntarily_inactive(certificate):
    change(certificate, "inactive", certificate.holder, public_reason="holder_request")
    certificate.refresh_from_db()
    assert certificate.status == "inactive"


def test_it_keeps_certificates_and_events_permanent(certificate):
    event = certificate.events.get()
    with pytest.raises(ProtectedError):
        certificate.delete()
    with pytest.raises(ProtectedError):
        event.delete()
    event.reason = "changed"
    with pytest.raises(ProtectedError):
        event.save()


def test_it_emails_the_holder_of_every_change_in_their_language(
    certificate, committee_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change(certificate, "suspended", committee_member, public_reason="supervision")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [certificate.holder.email]
    assert certificate.number in message.subject
    assert "Examen du dossier par la commission." in message.body
    assert links.verification_url(certificate.number) in message.body

    certificate.holder.preferred_language = "en"
    certificate.holder.save()
    with django_capture_on_commit_callbacks(execute=True):
        change(certificate, "active", committee_member, public_reason="reinstated")
    assert len(mailoutbox) == 2


def test_it_sends_each_event_e_mail_once(certificate, committee_member, mailoutbox):
    from certification import tasks

    event = CertificateEvent.objects.filter(certificate=certificate).get()
    assert tasks.notify_certificate_event(event.pk) is True
    assert tasks.notify_certificate_event(event.pk) is False
    assert len(mailoutbox) == 1


def test_it_builds_the_linkedin_link_from_the_certificate(certificate):
    url = links.linkedin_add_url(certificate)
    assert url.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME")
    assert f"certId={certificate.number}" in url
    assert f"expirationYear={certificate.valid_until.year}" in url
    assert "organizationName=Institut+Charles+Rojzman" in url


def test_it_keeps_issued_certificates_when_the_scheme_changes(certificate, simple_scheme):
    before = certificate.scheme_snapshot["min_practice_hours"]
    simple_scheme.min_practice_hours = before + 50
    simple_scheme.save()
    certificate.refresh_from_db()
    simple_scheme.refresh_from_db()
    assert simple_scheme.version == 2
    assert certificate.scheme_version == 1
    assert certificate.scheme_snapshot["min_practice_hours"] == before
    assert Certificate.objects.get().scheme_snapshot == certificate.scheme_snapshot


CATALOGUE = Path(__file__).resolve().parents[2] / "certification/locale/en/LC_MESSAGES/django.mo"


@pytest.mark.skipif(
    not CATALOGUE.exists(),
    reason="English catalogue not compiled: pybabel compile -d certification/locale -D django",
)
def test_it_writes_to_english_speaking_holders_in_english(
    certificate, committee_member, mailoutbox, django_capture_on_commit_callbacks
):
    certificate.holder.preferred_language = "en"
    certificate.holder.save()
    with django_capture_on_commit_callbacks(execute=True):
        change(certificate, "suspended", committee_member, public_reason="supervision")
    message = mailoutbox[0]
    expected = f"[Institut Charles Rojzman] Certificate {certificate.number}: suspended"
    assert message.subject == expected
    assert message.body.startswith(f"Hello {certificate.holder.full_name},")
    assert "/en/certification/" in message.body


def test_an_english_holder_is_sent_the_english_verification_page(
    settings, certificate, committee_member, mailoutbox, django_capture_on_commit_callbacks
):
    certificate.holder.preferred_language = "en"
    certificate.holder.save()
    with django_capture_on_commit_callbacks(execute=True):
        change(certificate, "suspended", committee_member, public_reason="supervision")
    (message,) = mailoutbox
    page = f"{settings.SITE_URL}/en/registre/verifier/{certificate.number}/"
    assert f"Public status of the certificate:\n{page}\n" in message.body
