"""Renewal audits: the monthly draw (sized, reproducible from its seed, once), the holder's
evidence, the committee's outcome, the reminder and the suspension proposal, every step audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification import tasks
from certification.audits import services as audits
from certification.models import (
    CertificateEvent,
    RenewalAudit,
    RenewalAuditDraw,
    RenewalAuditEvent,
    SentNotice,
)
from tests.certification.factories import make_certificate
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: dt.date, hour: int = 7):
    """Travel to that day, 07:00 in Paris."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=False)


def renewed_last_month(count: int, scheme) -> list:
    """`count` certificates whose renewal was granted in the middle of last month."""
    today = timezone.localdate()
    middle = audits.previous_month(today) + dt.timedelta(days=14)
    moment = dt.datetime.combine(middle, dt.time(10), tzinfo=timezone.get_current_timezone())
    certificates = []
    for index in range(count):
        holder = UserFactory(full_name=f"Titulaire {index}")
        certificate = make_certificate(holder, scheme=scheme)
        # Written directly: a renewal recorded last month, which no service writes today.
        CertificateEvent.objects.create(
            certificate=certificate,
            from_status="active",
            to_status="active",
            public_reason="renewed",
            reason="Renouvellement.",
            effective_on=middle,
            valid_until=certificate.valid_until,
            at=moment,
        )
        certificates.append(certificate)
    return certificates


@pytest.mark.parametrize(
    ("population", "share", "size"),
    [(25, 10, 3), (10, 10, 1), (9, 10, 1), (0, 10, 0), (7, 0, 0), (3, 100, 3), (40, 25, 10)],
)
def test_it_draws_the_share_rounded_up(population, share, size):
    assert audits.sample_size(population, share) == size
    assert len(audits.draw_sample(list(range(1, population + 1)), share, "graine")) == size


def test_it_draws_the_same_certificates_from_the_same_seed():
    population = list(range(1, 201))
    first = audits.draw_sample(population, 10, "5f1c0ffee")
    assert first == audits.draw_sample(list(reversed(population)), 10, "5f1c0ffee")
    assert first != audits.draw_sample(population, 10, "another seed")
    assert len(set(first)) == 20 and set(first) <= set(population)


def test_it_draws_last_month_once_and_records_how_to_redo_it(scheme, mailoutbox):
    renewed = renewed_last_month(25, scheme)
    renewed_last_month(0, scheme)
    draw = audits.audit_draw(month=audits.previous_month(timezone.localdate()))
    assert draw.population == sorted(c.pk for c in renewed)
    assert draw.share_percent == 10 and len(draw.drawn) == 3
    assert audits.draw_sample(draw.population, draw.share_percent, draw.seed) == draw.drawn
    assert draw.algorithm == "sha256-rank-v1"
    again = audits.audit_draw(month=audits.previous_month(timezone.localdate()))
    assert again.pk == draw.pk
    assert RenewalAudit.objects.count() == 3
    assert sorted(RenewalAudit.objects.values_list("certificate_id", flat=True)) == sorted(
        draw.drawn
    )
    assert all(
        a.deadline == timezone.localdate() + dt.timedelta(days=30)
        for a in RenewalAudit.objects.all()
    )
    assert RenewalAuditEvent.objects.filter(action="drawn").count() == 3
    assert "graine" in RenewalAuditEvent.objects.first().reason


def test_it_tells_each_drawn_holder_what_to_upload_once(
    scheme, mailoutbox, django_capture_on_commit_callbacks
):
    renewed_last_month(10, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.daily_audit_run()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.daily_audit_run()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    audit = RenewalAudit.objects.get()
    assert message.to == [audit.certificate.holder.email]
    assert "justificatifs à déposer" in message.subject
    for words in ("heures de pratique", "supervision suivie", "formation continue"):
        assert words in message.body
    assert f"/certification/audits/{audit.pk}/" in message.body


def test_it_notifies_only_the_drawn_holder_of_the_audit(scheme):
    from institut.notifications.models import Kind, Notification

    renewed_last_month(10, scheme)
    tasks.daily_audit_run()
    tasks.daily_audit_run()
    audit = RenewalAudit.objects.get()
    (notification,) = Notification.objects.filter(kind=Kind.AUDIT)
    assert notification.recipient == audit.certificate.holder
    assert notification.url == f"/certification/audits/{audit.pk}/"


def test_it_makes_up_a_draw_missed_on_the_first_of_the_month(scheme):
    renewed_last_month(10, scheme)
    second = audits.month_start(timezone.localdate()) + dt.timedelta(days=1)
    with at(max(second, timezone.localdate())):
        result = audits.audits_run()
    assert result["drawn"] == 1
    assert RenewalAuditDraw.objects.get().month == audits.previous_month(timezone.localdate())


def test_it_shows_the_scheme_setting_in_the_draw(scheme):
    scheme.renewal_audit_percent = 50
    scheme.save()
    renewed_last_month(5, scheme)
    draw = audits.audit_draw(month=audits.previous_month(timezone.localdate()))
    assert draw.share_percent == 50 and len(draw.drawn) == 3


def test_it_draws_a_share_given_instead_of_the_schemes(scheme):
    renewed_last_month(5, scheme)
    draw = audits.audit_draw(month=audits.previous_month(timezone.localdate()), share_percent=100)
    assert draw.share_percent == 100 and len(draw.drawn) == 5
    assert audits.draw_sample(draw.population, draw.share_percent, draw.seed) == draw.drawn


def pdf(name="attestation.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_holder_uploads_evidence_then_submits_it(audit):
    holder = audit.certificate.holder
    audits.audit_evidence_add(audit=audit, holder=holder, category="practice", upload=pdf())
    audits.audit_evidence_add(
        audit=audit, holder=holder, category="supervision", upload=pdf("sup.pdf"), note="20 h"
    )
    audit = audits.audit_submit(audit=audit, holder=holder)
    assert audit.status == "submitted" and audit.submitted_at
    with pytest.raises(ValidationError):
        audits.audit_evidence_add(audit=audit, holder=holder, category="training", upload=pdf())
    assert list(audit.events.values_list("action", flat=True)) == [
        "drawn",
        "evidence_added",
        "evidence_added",
        "submitted",
    ]


def test_it_refuses_evidence_from_another_person_or_not_a_pdf(audit, other_trainee):
    with pytest.raises(PermissionDenied):
        audits.audit_evidence_add(
            audit=audit, holder=other_trainee, category="practice", upload=pdf()
        )
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        audits.audit_evidence_add(
            audit=audit, holder=audit.certificate.holder, category="practice", upload=fake
        )
    with pytest.raises(ValidationError):
        audits.audit_submit(audit=audit, holder=audit.certificate.holder)  # nothing to send


def test_the_committee_records_the_outcome_and_the_holder_is_told(
    audit, committee_member, mailoutbox, django_capture_on_commit_callbacks
):
    holder = audit.certificate.holder
    audits.audit_evidence_add(audit=audit, holder=holder, category="practice", upload=pdf())
    audits.audit_submit(audit=audit, holder=holder)
    with pytest.raises(ValidationError):
        audits.audit_decide(audit=audit, actor=committee_member, passed=False, reason="  ")
    with pytest.raises(PermissionDenied):
        audits.audit_decide(audit=audit, actor=holder, passed=True, reason="")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        audit = audits.audit_decide(
            audit=audit, actor=committee_member, passed=False, reason="Heures non justifiées."
        )
    assert audit.status == "failed" and audit.decided_by == committee_member
    event = audit.events.last()
    assert (event.action, event.actor, event.reason) == (
        "failed",
        committee_member,
        "Heures non justifiées.",
    )
    assert "Heures non justifiées." in mailoutbox[0].body
    with pytest.raises(ValidationError):
        audits.audit_decide(audit=audit, actor=committee_member, passed=True, reason="")


def test_a_missed_deadline_brings_a_reminder_then_a_suspension_proposal_once_each(
    audit, committee_member, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = audit.deadline
    mailoutbox.clear()

    def run(day):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            return audits.audits_run()

    assert run(deadline)["reminded"] == 0  # the last day is still in time
    assert run(deadline + dt.timedelta(days=1))["reminded"] == 1
    assert run(deadline + dt.timedelta(days=1))["reminded"] == 0
    assert [m.to for m in mailoutbox] == [[audit.certificate.holder.email]]
    assert "Rappel" in mailoutbox[0].subject
    assert run(deadline + dt.timedelta(days=14))["suspension_proposed"] == 0
    assert run(deadline + dt.timedelta(days=15))["suspension_proposed"] == 1
    assert run(deadline + dt.timedelta(days=16))["suspension_proposed"] == 0
    proposals = [m for m in mailoutbox if "suspension proposée" in m.subject]
    assert [m.to for m in proposals] == [[committee_member.email]]
    assert f"/certification/commission/audits/{audit.pk}/" in proposals[0].body
    audit.refresh_from_db()
    assert audit.reminded_at and audit.suspension_proposed_at and audit.status == "requested"
    assert list(audit.events.values_list("action", flat=True)) == [
        "drawn",
        "reminded",
        "suspension_proposed",
    ]
    assert SentNotice.objects.filter(key__startswith=f"audit-proposal:{audit.pk}:").count() == 1


def test_no_reminder_once_the_evidence_is_sent(audit, mailoutbox):
    holder = audit.certificate.holder
    audits.audit_evidence_add(audit=audit, holder=holder, category="training", upload=pdf())
    audits.audit_submit(audit=audit, holder=holder)
    with at(audit.deadline + dt.timedelta(days=30)):
        assert audits.audits_run()["reminded"] == 0


def test_it_is_scheduled_daily_by_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["certification-daily-audit-run"]
    assert entry["task"] == "certification.tasks.daily_audit_run"
