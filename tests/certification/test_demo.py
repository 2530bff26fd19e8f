"""The certification demo: certificates in every status, a trainee one requirement short, an
application awaiting decision, renewal audits at each step; idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from certification import demo as certification_demo
from certification import selectors
from certification.audits.demo import DRAW_SEED, OVERDUE, OVERDUE_DAYS, OVERDUE_DRAW_SEED
from certification.models import (
    Application,
    Certificate,
    CertificateEvent,
    CertificationScheme,
    RenewalAudit,
    RenewalAuditDraw,
    RenewalAuditEvent,
    RenewalAuditEvidence,
)
from institut import demo as institut_demo
from institut.models import User
from tests.certification.factories import make_certificate
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


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


AUDITS = {
    "Sandrine Morel": ("requested", 0),
    "Bruno Caron": ("requested", 1),
    "Fatou Sy": ("submitted", 2),
    "Olivier Brun": ("passed", 3),
}


def test_it_draws_this_months_renewals_for_audits_at_each_step(seeded):
    from django.utils import timezone

    draw = RenewalAuditDraw.objects.get(seed=DRAW_SEED)
    assert draw.month == timezone.localdate().replace(day=1)
    assert sorted(draw.drawn) == sorted(draw.population) and len(draw.drawn) == 4
    audits = {
        audit.certificate.holder_name: (audit.status, audit.evidence.count())
        for audit in draw.audits.select_related("certificate")
    }
    assert audits == AUDITS
    for audit in draw.audits.select_related("certificate"):
        assert audit.deadline > timezone.localdate()
        assert audit.certificate.events.filter(public_reason="renewed").count() == 1
    passed = RenewalAudit.objects.get(status="passed")
    assert passed.decided_by.email == "commission@demo.institut.test"
    assert list(passed.events.values_list("action", flat=True)) == [
        "drawn",
        "evidence_added",
        "evidence_added",
        "evidence_added",
        "submitted",
        "passed",
    ]
    # Each document passed the service's PDF check when it was joined.
    assert RenewalAuditEvidence.objects.filter(size__gt=500).count() == 6


def test_it_shows_an_overdue_audit_reminded_by_the_daily_run(seeded):
    from django.utils import timezone

    today = timezone.localdate()
    audit = RenewalAudit.objects.select_related("draw").get(certificate__holder__email=OVERDUE[0])
    assert audit.status == "requested" and not audit.evidence.exists()
    assert audit.deadline == today - timedelta(days=OVERDUE_DAYS)
    assert audit.reminded_at is not None and audit.suspension_proposed_at is None
    assert list(audit.events.order_by("pk").values_list("action", flat=True)) == [
        "drawn",
        "reminded",
    ]
    # Drawn by its own month's draw, among that month's renewals: his, granted that month.
    assert audit.draw.seed == OVERDUE_DRAW_SEED and audit.draw.drawn == [audit.certificate_id]
    (renewal,) = audit.certificate.events.filter(public_reason="renewed")
    assert renewal.effective_on.replace(day=1) == audit.draw.month < today.replace(day=1)


def test_the_demo_holder_can_sign_in_to_answer_her_audit(seeded, client):
    holder = User.objects.get(email="certifiee@demo.institut.test")
    from institut.roles import requires_mfa

    # The demo password alone signs her in (README's demo accounts).
    assert holder.has_usable_password() and not requires_mfa(holder)
    assert holder.charter_acceptances.exists()  # accepted when she renewed
    client.force_login(holder)
    audit = RenewalAudit.objects.get(certificate__holder=holder)
    assert "Audit de renouvellement : justificatifs à déposer avant le" in _text(
        client.get("/certification/")
    )
    page = client.get(f"/certification/audits/{audit.pk}/")
    assert page.status_code == 200 and "Ce qui est demandé" in _text(page)


def test_the_committee_sees_the_demo_audits(seeded, client):
    client.force_login(User.objects.get(email="commission@demo.institut.test"))
    page = client.get("/certification/commission/audits/")
    assert page.status_code == 200
    for name in AUDITS:
        assert name in _text(page)
    assert f"{OVERDUE[1]}" in _text(page) and "rappel envoyé" in _text(page)
    submitted = RenewalAudit.objects.get(status="submitted")
    page = client.get(f"/certification/commission/audits/{submitted.pk}/")
    assert page.status_code == 200 and "Fatou Sy" in _text(page)
    assert "attestation-supervision-fatou-sy.pdf" in _text(page)


def test_it_changes_nothing_when_run_again(seeded):
    models = (
        CertificationScheme,
        Certificate,
        CertificateEvent,
        Application,
        RenewalAuditDraw,
        RenewalAudit,
        RenewalAuditEvidence,
        RenewalAuditEvent,
    )
    counts = [model.objects.count() for model in models]
    statuses = list(RenewalAudit.objects.order_by("pk").values_list("status", flat=True))
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == [model.objects.count() for model in models]
    assert statuses == list(RenewalAudit.objects.order_by("pk").values_list("status", flat=True))


def _text(response) -> str:
    import html

    return " ".join(html.unescape(response.content.decode()).split())


def _in_days(days: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


def test_its_expired_certificate_expires_alone_through_the_service(db, settings, tmp_path):
    """The demo records its own expiry, not every expiry due (the daily run's work)."""
    settings.MEDIA_ROOT = tmp_path
    cast = institut_demo.create_accounts()
    scheme = certification_demo.ensure_scheme()
    someone_else = make_certificate(
        UserFactory(), scheme=scheme, valid_until=timezone.localdate() - timedelta(days=3)
    )

    certification_demo.ensure_practitioners(cast, scheme)

    someone_else.refresh_from_db()
    assert someone_else.status == "active"  # left to the daily run
    expired = Certificate.objects.filter(status="expired")
    assert expired.exists()
    for certificate in expired:
        event = certificate.events.get(to_status="expired")
        assert (event.reason_code, event.actor_id) == ("expired", None)
        assert event.effective_on == certificate.valid_until + timedelta(days=1)


def test_each_past_grant_had_the_supervisor_opinion_the_scheme_requires(seeded):
    granted = Application.objects.filter(
        applicant__email__startswith="candidature.", status="granted"
    )
    assert CertificationScheme.objects.current().requires_supervisor_opinion
    assert granted.count() == 5
    for application in granted:
        (opinion,) = application.opinions.all()
        assert opinion.verdict == "favourable"
        assert application.submitted_at < opinion.given_at < application.decided_at
        assert list(application.events.values_list("action", flat=True)) == [
            "submitted",
            "opinion_favourable",
            "granted",
        ]


def test_the_past_grant_refused_reads_in_the_reader_s_language_the_refusal_as_typed(seeded):
    from django.utils import translation

    refused = Application.objects.get(
        applicant__email="candidature.elodie.perrin@demo.institut.test"
    ).events.get(action="grant_refused")
    typed = Application.objects.get(
        applicant__email="candidature.sophie.marchand@demo.institut.test"
    ).events.get(action="refused")

    assert refused.reason_code == "grant_refused"
    assert refused.reason_params["missing"][0]["code"] == "supervision"
    with translation.override("en"):
        assert refused.reason_text.startswith(
            "Requirements not met at the time of the decision: Supervision hours attended: 3 h"
        )
        assert typed.reason_code == "" and typed.reason_text.startswith("Le carnet de pratique")
