"""Builders of one row of each permanent table, for the trigger and personal-data tests."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from certification import services as certification_services
from certification.models import (
    Application,
    ApplicationEvent,
    CertificateStatus,
    CertificationScheme,
    CharterAcceptance,
    CharterVersion,
)
from courses.models import (
    Invoice,
    InvoiceKind,
    StripeEvent,
    TrainingAttestation,
)
from supervision import services as supervision_services
from supervision.logbook.models import PeriodSummary
from tests.certification.factories import make_certificate, status_actor
from tests.courses.factories import complete, enrol, unpublished_course
from tests.supervision.factories import SessionFactory
from tests.supervision.logbook.helpers import assign, days_ago, make_entry

PDF = b"%PDF-1.4\n% test document\n"


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


def attestation(enrolment, *, pdf="") -> TrainingAttestation:
    """The enrolment's attestation, issued now for 7 hours, with the course as enrolled."""
    now = timezone.now()
    return TrainingAttestation.objects.create(
        number=f"ATT-2026-{uuid.uuid4().hex[:6].upper()}",
        pdf=pdf,
        enrolment=enrolment,
        user=enrolment.user,
        trainee_name=enrolment.user.full_name,
        course_key=enrolment.course_key,
        course_title=enrolment.course_title,
        hours=Decimal("7.0"),
        completed_at=now,
        issued_at=now,
    )


def permanent_rows(trainee, trainer) -> dict:
    """One row of each permanent table, all about `trainee` (reviewed by `trainer`)."""
    now = timezone.now()
    enrolment = enrol(trainee, unpublished_course("Découvrir la Thérapie Sociale"))
    rows = {"enrolment": enrolment, "enrolment_event": enrolment.events.get()}
    complete(enrolment, actor=trainer, reason=f"Terminée par {trainee.full_name}")
    rows["invoice"] = invoice(trainee, enrolment=enrolment)
    rows["credit_note"] = invoice(
        trainee, enrolment=enrolment, kind=InvoiceKind.CREDIT_NOTE, credited=rows["invoice"]
    )
    rows["stripe_event"] = StripeEvent.objects.create(
        event_id=f"evt_{uuid.uuid4().hex[:12]}",
        type="checkout.session.completed",
        outcome="paid",
        payload={"data": {"object": {"customer_details": {"email": trainee.email}}}},
    )
    rows["attestation"] = attestation(
        enrolment, pdf=default_storage.save("attestations/test.pdf", ContentFile(PDF))
    )
    starts = now - timedelta(days=2)
    session = SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=2))
    booking = supervision_services.booking_record_held(
        session=session, trainee=trainee, actor=trainer
    )
    rows["supervision_event"] = booking.events.order_by("pk").first()
    [rows["supervision_record"]] = supervision_services.attendance_take(
        session=session,
        actor=trainer,
        marks=[supervision_services.AttendanceMark(booking_id=booking.pk, attended=True)],
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
    # Written directly: the services grant only a complete path, which is beside the point here.
    rows["decided_application"] = Application.objects.create(
        applicant=trainee,
        scheme=scheme,
        statement=f"Je suis {trainee.full_name} et je pratique la méthode depuis deux ans.",
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


def person_with_everything(trainee, trainer) -> dict:
    """Every kind of row and file the platform holds about `trainee`, their name in free texts."""
    from allauth.mfa.models import Authenticator
    from wagtail.models import ModelLogEntry

    from certification.models import ApplicationDocument, SupervisorOpinion
    from certification.registry.services import registry_profile_update
    from courses.models import LessonProgress, Payment, QuizAttempt, ReflectionAnswer
    from supervision.models import CalendarFeed

    rows = permanent_rows(trainee, trainer)
    name, email = trainee.full_name, trainee.email
    enrolment = rows["enrolment"]
    lesson_key = uuid.uuid4()
    rows["progress"] = LessonProgress.objects.create(
        user=trainee, lesson_key=lesson_key, course_key=enrolment.course_key, rule="visit"
    )
    rows["quiz"] = QuizAttempt.objects.create(
        user=trainee,
        lesson_key=lesson_key,
        course_key=enrolment.course_key,
        lesson_title="Le conflit constructif",
        number=1,
        answers={"0": [0]},
        score=100,
        pass_mark=50,
        passed=True,
    )
    rows["reflection"] = ReflectionAnswer.objects.create(
        user=trainee,
        lesson_key=lesson_key,
        course_key=enrolment.course_key,
        text=f"Moi, {name}, j'ai vu la peur reculer dans le groupe.",
    )
    rows["payment"] = Payment.objects.create(
        enrolment=enrolment,
        user=trainee,
        course_key=enrolment.course_key,
        course_title=enrolment.course_title,
        attempt=1,
        idempotency_key=f"pay-{uuid.uuid4().hex}",
        status="paid",
        amount_cents=12000,
        stripe_session_id="cs_test_person",
    )
    rows["stripe_event_named"] = StripeEvent.objects.create(
        event_id=f"evt_{uuid.uuid4().hex[:12]}",
        type="checkout.session.completed",
        outcome="paid",
        payload={
            "data": {
                "object": {
                    "id": "cs_test_person",
                    "customer_details": {"email": email, "name": name},
                }
            }
        },
    )
    rows["invoice"].pdf.save("f.pdf", ContentFile(PDF), save=False)
    Invoice.objects.filter(pk=rows["invoice"].pk).update(pdf=rows["invoice"].pdf.name)
    rows["future_booking"] = supervision_services.booking_create(
        session=SessionFactory(trainer=trainer), trainee=trainee
    )
    rows["feed"] = CalendarFeed.objects.create(user=trainee)
    rows["draft_entry"] = make_entry(trainee, reflection=f"Journal de {name}")
    rows["closed_period"] = PeriodSummary.objects.create(
        trainee=trainee, start=days_ago(20), end=days_ago(10)
    )
    application = rows["decided_application"]
    rows["document"] = ApplicationDocument(
        application=application, original_name="parcours.pdf", size=len(PDF)
    )
    rows["document"].file.save("parcours.pdf", ContentFile(PDF))
    ApplicationEvent.objects.create(
        application=application,
        actor=trainee,
        action="completed",
        from_status="more_requested",
        to_status="submitted",
        reason=f"Complément de {name} ({email})",
    )
    SupervisorOpinion.objects.create(
        application=application, supervisor=trainer, verdict="favourable", text=f"{name} est prête."
    )
    certificate = rows["certificate"]
    certificate.pdf.save("c.pdf", ContentFile(PDF), save=False)
    type(certificate).objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    rows["certificate"] = certification_services.certificate_renew(
        certificate=certificate,
        actor=status_actor(certificate, CertificateStatus.ACTIVE),
        scheme=certificate.scheme,
        reason=f"Renouvellement demandé par {name}",
    )
    profile = registry_profile_update(
        holder=trainee,
        changes={
            "listed": True,
            "city": "Lyon",
            "bio": f"{name}, intervenante à Lyon.",
            "show_city": True,
            "show_bio": True,
        },
    )
    profile.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff"))
    rows["profile"] = profile
    Authenticator.objects.create(user=trainee, type="totp", data={"secret": "JBSWY3DP"})
    ModelLogEntry.objects.log_action(instance=trainee, action="wagtail.edit", user=trainer)
    rows.update(added_permanent_rows(trainee, trainer, rows))
    rows.update(open_rows(trainee, trainer, rows))
    return rows


def open_rows(trainee, trainer, rows: dict) -> dict:
    """What is still under way: a place in a session to come, a co-signing link not used yet."""
    from courses.training.models import SessionPlacement
    from supervision.logbook.models import PeriodCosignRequest

    session, _slot = training_session(rows["enrolment"], trainer, days=10, status="confirmed")
    # Written directly: placement_create adds a convocation and a history row, and the export
    # tests count exactly one of each (those of the half-day already held).
    future = SessionPlacement.objects.create(
        session=session,
        trainee=trainee,
        enrolment=rows["enrolment"],
        status="placed",
        employer_name=f"Cabinet {trainee.full_name}",
        placed_at=timezone.now(),
    )
    link = PeriodCosignRequest.objects.create(
        period=rows["closed_period"],
        supervisor_name="Paul Vidal",
        supervisor_email=f"paul.vidal-{trainee.pk}@exemple.org",
        requested_by=trainee,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return {"future_placement": future, "unused_link": link}


def training_session(enrolment, trainer, *, days: int, status: str):
    """A session of the enrolment's course led by `trainer`, with one morning `days` from now."""
    from courses.training.models import TrainingSession, TrainingSlot

    session = TrainingSession.objects.create(
        course_key=enrolment.course_key,
        course_title=enrolment.course_title,
        capacity=8,
        address="8 rue du Général Renault, 75011 Paris",
        status=status,
        created_by=trainer,
    )
    session.trainers.add(trainer)
    starts = timezone.now() + timedelta(days=days)
    slot = TrainingSlot.objects.create(
        session=session,
        date=timezone.localtime(starts).date(),
        period="morning",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    return session, slot


def training_rows(trainee, trainer, *, enrolment) -> dict:
    """A closed half-day of training for `trainee`: placement, signed sheet, certificat de
    réalisation, answered satisfaction, and the session's trail."""
    from courses.training.models import (
        Attendance,
        CompletionCertificate,
        Convocation,
        SatisfactionAnswer,
        SatisfactionQuestion,
        SatisfactionRequest,
        SatisfactionResponse,
        SessionEvent,
        SessionPlacement,
        TrainerSignature,
    )
    from courses.training.services import certificate_number

    name = trainee.full_name
    session, slot = training_session(enrolment, trainer, days=-3, status="closed")
    # Written directly, like the rest of this half-day: the services place, sign and certify
    # only in the present, and this one was held three days ago.
    placement = SessionPlacement.objects.create(
        session=session,
        trainee=trainee,
        enrolment=enrolment,
        status="placed",
        employer_name="Association Quartiers Solidaires",
        placed_at=slot.starts_at - timedelta(days=20),
    )
    rows = {"training_session": session, "placement": placement}
    rows["session_event"] = SessionEvent.objects.create(
        session=session,
        placement=placement,
        actor=trainer,
        action="placed",
        to_status="placed",
        reason=f"Place confirmée pour {name}",
    )
    rows["convocation"] = Convocation.objects.create(
        placement=placement,
        kind="confirmation",
        sent_to=trainee.email,
        subject="Votre convocation",
        body=f"Bonjour {name}, vous êtes attendu·e le premier jour à 9 h.",
    )
    rows["attendance"] = Attendance.objects.create(
        slot=slot,
        placement=placement,
        trainee=trainee,
        status="late",
        method="own_device",
        minutes_late=10,
        reason="Train retardé.",
        recorded_by=trainee,
        ip_address="192.0.2.10",
        user_agent="Mozilla/5.0 (Android 14; Mobile)",
        sheet_hash="a" * 64,
    )
    rows["trainer_signature"] = TrainerSignature.objects.create(
        slot=slot,
        trainer=trainer,
        ip_address="192.0.2.20",
        user_agent="Mozilla/5.0 (X11; Linux x86_64)",
        sheet_hash="a" * 64,
    )
    certificate = CompletionCertificate.objects.create(
        number=certificate_number(timezone.localdate().year),
        placement=placement,
        session=session,
        trainee=trainee,
        trainee_name=name,
        employer_name="Association Quartiers Solidaires",
        action_title=enrolment.course_title,
        first_day=slot.date,
        last_day=slot.date,
        hours_planned=Decimal("3.5"),
        hours_done=Decimal("3.33"),
        organisation_name="Institut Charles Rojzman",
        issued_at=timezone.now(),
    )
    certificate.pdf.save("cr.pdf", ContentFile(PDF), save=False)
    certificate.save(update_fields=["pdf"])
    rows["completion_certificate"] = certificate
    request = SatisfactionRequest.objects.create(
        placement=placement, kind="hot", token=uuid.uuid4().hex
    )
    rows["satisfaction_response"] = SatisfactionResponse.objects.create(
        request=request, session=session, kind="hot", comment=f"{name} : très riche."
    )
    question = SatisfactionQuestion.objects.filter(answer_type="text").first()
    rows["satisfaction_answer"] = SatisfactionAnswer.objects.create(
        response=rows["satisfaction_response"],
        question=question,
        question_text=question.text,
        text=f"Moi, {name}, je recommande.",
    )
    return rows


def credential_rows(certificate) -> dict:
    """The certificate's bits in the status lists, and the key that signs its credentials."""
    from certification.credentials.models import IssuerKey
    from certification.credentials.services import status_entries_ensure

    entry = status_entries_ensure(certificate=certificate)[0]
    return {
        "status_entry": entry,
        "status_list": entry.status_list,
        "issuer_key": IssuerKey.objects.create(public_key_multibase=f"z6Mk{uuid.uuid4().hex}"),
    }


def audit_rows(certificate, committee_member, *, outcome="passed") -> dict:
    """A renewal audit of the certificate drawn last month: evidence uploaded, outcome given."""
    from certification.models import (
        RenewalAudit,
        RenewalAuditDraw,
        RenewalAuditEvent,
        RenewalAuditEvidence,
    )

    holder = certificate.holder
    month = timezone.localdate().replace(day=1) - timedelta(
        days=1 + RenewalAuditDraw.objects.count() * 31
    )
    draw = RenewalAuditDraw.objects.create(
        month=month.replace(day=1),
        share_percent=10,
        seed=uuid.uuid4().hex,
        population=[certificate.pk],
        drawn=[certificate.pk],
    )
    audit = RenewalAudit.objects.create(
        draw=draw,
        certificate=certificate,
        status=outcome,
        deadline=timezone.localdate(),
        submitted_at=timezone.now(),
        decided_at=timezone.now() if outcome in ("passed", "failed") else None,
        decided_by=committee_member if outcome in ("passed", "failed") else None,
        outcome_reason=f"Les justificatifs de {holder.full_name} sont complets.",
    )
    evidence = RenewalAuditEvidence(
        audit=audit,
        category="practice",
        original_name=f"heures-{holder.full_name}.pdf",
        size=len(PDF),
        note=f"Relevé signé par {holder.full_name}",
    )
    evidence.file.save("preuve.pdf", ContentFile(PDF), save=False)
    evidence.save()
    return {
        "audit_draw": draw,
        "audit": audit,
        "audit_evidence": evidence,
        "audit_event": RenewalAuditEvent.objects.create(
            audit=audit,
            actor=committee_member,
            action=outcome,
            from_status="submitted",
            to_status=outcome,
            reason=f"Vu avec {holder.full_name}.",
        ),
    }


def cosign_rows(trainee) -> dict:
    """A period of the logbook confirmed through the link e-mailed to an outside supervisor."""
    from supervision.logbook.models import PeriodCosignRequest, PeriodExternalConfirmation

    now = timezone.now()
    period = PeriodSummary.objects.create(
        trainee=trainee,
        start=days_ago(120),
        end=days_ago(91),
        totals={"minutes": 90},
        status=PeriodSummary.Status.CONFIRMED,
        confirmed_externally=True,
        confirmed_at=now,
    )
    request = PeriodCosignRequest.objects.create(
        period=period,
        supervisor_name="Martine Garnier",
        supervisor_email=f"superviseure-{trainee.pk}@exemple.org",
        requested_by=trainee,
        expires_at=now + timedelta(days=14),
        used_at=now,
    )
    return {
        "cosigned_period": period,
        "cosign_request": request,
        "cosign_confirmation": PeriodExternalConfirmation.objects.create(
            period=period,
            request=request,
            signer_name="Martine Garnier",
            signer_email=f"superviseure-{trainee.pk}@exemple.org",
            ip_address="192.0.2.30",
            user_agent="Mozilla/5.0 (Macintosh)",
        ),
    }


def added_permanent_rows(trainee, trainer, rows: dict) -> dict:
    """One row of each permanent table added by training, credentials, audits and co-signing."""
    return {
        **training_rows(trainee, trainer, enrolment=rows["enrolment"]),
        **credential_rows(rows["certificate"]),
        **audit_rows(rows["certificate"], trainer),
        **cosign_rows(trainee),
    }
