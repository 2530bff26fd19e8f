"""The certification demo: certificates in every status, a trainee one requirement short, an
application awaiting decision; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from certification import selectors
from certification.models import Application, Certificate, CertificateEvent, CertificationScheme
from institut.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for the module (it is slow), in a transaction rolled back afterwards."""
    from django.db import transaction
    from django.test.utils import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_it_creates_certificates_in_every_status(seeded):
    statuses = set(Certificate.objects.values_list("status", flat=True))
    assert statuses >= {"active", "expired", "suspended", "revoked"}
    assert Certificate.objects.filter(status="active", valid_until__lte=_in_days(90)).exists()
    for certificate in Certificate.objects.exclude(status="active"):
        assert certificate.events.exclude(to_status="active").exists()


def test_it_leaves_the_candidate_one_requirement_short(seeded):
    candidate = User.objects.get(email="stagiaire2@demo.institut.test")
    result = selectors.eligibility(candidate)
    assert [r.code for r in result.unmet] == ["charter"]


def test_it_creates_an_application_awaiting_decision_with_an_opinion(seeded):
    application = Application.objects.get(applicant__email="stagiaire3@demo.institut.test")
    assert application.status == "submitted"
    assert application.opinions.count() == 1
    assert selectors.eligibility(application.applicant).met


def test_it_publishes_a_first_certification_rate_and_the_renewals_notice(seeded):
    results = selectors.certification_results()
    # Seven first certifications decided in the past year: five granted, a refusal, and a grant
    # refused at decision time; Léa's application awaits the committee and is not counted.
    assert (results.decided, results.granted, results.success_rate) == (7, 5, 71)
    assert results.enough and not results.renewals_enough
    granted = Application.objects.filter(
        applicant__email__startswith="candidature.", status="granted"
    )
    assert all(application.issued.status == "active" for application in granted)


def test_it_changes_nothing_when_run_again(seeded):
    counts = (
        CertificationScheme.objects.count(),
        Certificate.objects.count(),
        CertificateEvent.objects.count(),
        Application.objects.count(),
    )
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (
        CertificationScheme.objects.count(),
        Certificate.objects.count(),
        CertificateEvent.objects.count(),
        Application.objects.count(),
    )


def _in_days(days: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)
