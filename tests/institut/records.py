"""Builders of one row of each permanent table, for the trigger and personal-data tests."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from certification.models import (
    Application,
    ApplicationEvent,
    CertificationScheme,
    CharterAcceptance,
    CharterVersion,
)
from courses.models import (
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Invoice,
    InvoiceKind,
    StripeEvent,
    TrainingAttestation,
)
from supervision.logbook.models import PeriodSummary
from supervision.models import Booking, SupervisionRecord
from tests.certification.factories import make_certificate
from tests.supervision.factories import SessionFactory
from tests.supervision.logbook.helpers import assign, days_ago, make_entry


def invoice(user, *, enrolment, kind=InvoiceKind.INVOICE, credited=None, amount=12000) -> Invoice:
    sequence = Invoice.objects.count() + 1
    return Invoice.objects.create(
        kind=kind,
        sequence=sequence,
        number=f"F-2026-{sequence:06d}",
        credited_invoice=credited,
        enrolment=enrolment,
        user=user,
        issued_at=timezone.now(),
        course_key=enrolment.course_key,
        course_title=enrolment.course_title,
        trainee_name=user.full_name,
        amount_cents=amount,
        buyer_name=user.full_name,
        buyer_email=user.email,
        buyer_address="12 rue des Lilas, 69001 Lyon",
        seller_name="Institut Charles Rojzman",
    )


def permanent_rows(trainee, trainer) -> dict:
    """One row of each permanent table, all about `trainee` (reviewed by `trainer`)."""
    now = timezone.now()
    enrolment = Enrolment.objects.create(
        user=trainee,
        course_key=uuid.uuid4(),
        course_title="Découvrir la Thérapie Sociale",
        status=EnrolmentStatus.COMPLETED,
        completed_at=now,
    )
    rows = {"enrolment": enrolment}
    rows["invoice"] = invoice(trainee, enrolment=enrolment)
    rows["credit_note"] = invoice(
        trainee, enrolment=enrolment, kind=InvoiceKind.CREDIT_NOTE, credited=rows["invoice"]
    )
    rows["enrolment_event"] = EnrolmentEvent.objects.create(
        enrolment=enrolment, actor=trainee, to_status=EnrolmentStatus.ACTIVE, reason="Inscription"
    )
    rows["stripe_event"] = StripeEvent.objects.create(
        event_id=f"evt_{uuid.uuid4().hex[:12]}",
        type="checkout.session.completed",
        outcome="paid",
        payload={"data": {"object": {"customer_details": {"email": trainee.email}}}},
    )
    rows["attestation"] = TrainingAttestation.objects.create(
        number=f"ATT-2026-{uuid.uuid4().hex[:6].upper()}",
        enrolment=enrolment,
        user=trainee,
        trainee_name=trainee.full_name,
        course_key=enrolment.course_key,
        course_title=enrolment.course_title,
        hours=Decimal("7.0"),
        completed_at=now,
        issued_at=now,
    )
    starts = now - timedelta(days=2)
    session = SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=2))
    booking = Booking.objects.create(
        session=session, trainee=trainee, status=Booking.Status.ATTENDED
    )
    rows["supervision_record"] = SupervisionRecord.objects.create(
        booking=booking,
        session=session,
        trainee=trainee,
        kind=session.kind,
        status=SupervisionRecord.Status.ATTENDED,
        minutes=120,
        recorded_by=trainer,
    )
    assign(trainee, trainer)
    rows["approved_entry"] = make_entry(trainee, "approved", reviewer=trainer)
    rows["confirmed_period"] = PeriodSummary.objects.create(
        trainee=trainee,
        start=days_ago(60),
        end=days_ago(31),
        totals={"minutes": 120},
        status=PeriodSummary.Status.CONFIRMED,
        confirmed_by=trainer,
        confirmed_at=now,
    )
    scheme = CertificationScheme.objects.create()
    rows["decided_application"] = Application.objects.create(
        applicant=trainee,
        scheme=scheme,
        statement="Je pratique la méthode depuis deux ans.",
        status=Application.Status.GRANTED,
        decided_at=now,
        decided_by=trainer,
    )
    rows["committee_decision"] = ApplicationEvent.objects.create(
        application=rows["decided_application"],
        actor=trainer,
        action="granted",
        from_status=Application.Status.SUBMITTED,
        to_status=Application.Status.GRANTED,
        reason="Parcours complet.",
    )
    charter = CharterVersion.objects.create(
        version=CharterVersion.objects.count() + 1, body="Charte éthique."
    )
    rows["charter_acceptance"] = CharterAcceptance.objects.create(user=trainee, charter=charter)
    rows["certificate"] = make_certificate(trainee, scheme=scheme)
    rows["certificate_event"] = rows["certificate"].events.get()
    return rows
