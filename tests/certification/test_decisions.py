"""Applications, supervisors' opinions and the committee's decisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certification import services
from certification.models import (
    Application,
    ApplicationEvent,
    Certificate,
    CertificateEvent,
    SupervisorOpinion,
)
from certification.services import Decision
from institut.formats import date_text
from supervision import services as supervision_services
from supervision.models import SupervisionRecord
from tests.certification import helpers

STATEMENT = "J'interviens depuis deux ans dans des quartiers où la coopération était bloquée."


@pytest.fixture
def application(eligible):
    return services.application_submit(applicant=eligible, statement=STATEMENT)


def test_it_submits_an_application_with_a_snapshot_and_an_audit_row(application, eligible):
    assert application.status == Application.Status.SUBMITTED
    assert application.eligibility_snapshot["met"] is True
    event = ApplicationEvent.objects.get(application=application)
    assert (event.actor, event.from_status, event.to_status) == (eligible, "", "submitted")


def test_it_refuses_an_application_while_a_requirement_is_missing(trainee, scheme):
    with pytest.raises(ValidationError, match="conditions"):
        services.application_submit(applicant=trainee, statement=STATEMENT)
    assert not Application.objects.exists()


def test_it_refuses_a_second_open_application(application, eligible):
    with pytest.raises(ValidationError):
        services.application_submit(applicant=eligible, statement=STATEMENT)
    assert Application.objects.count() == 1


def test_it_lets_the_assigned_supervisor_give_one_opinion(application, trainer):
    services.opinion_give(
        application=application, supervisor=trainer, verdict="favourable", text="Pratique solide."
    )
    assert SupervisorOpinion.objects.get().verdict == "favourable"
    with pytest.raises(ValidationError):
        services.opinion_give(
            application=application, supervisor=trainer, verdict="reserved", text="Encore."
        )


def test_it_refuses_an_opinion_from_a_trainer_who_does_not_supervise(application, other_trainer):
    with pytest.raises(PermissionDenied):
        services.opinion_give(
            application=application, supervisor=other_trainer, verdict="favourable", text="Oui."
        )


def test_it_grants_and_issues_a_certificate(application, committee_member, scheme, trainer):
    helpers.favourable_opinion(application, trainer)
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    application.refresh_from_db()
    assert application.status == Application.Status.GRANTED
    assert application.decided_by == committee_member
    certificate = Certificate.objects.get()
    assert certificate.holder == application.applicant
    assert certificate.status == "active"
    assert certificate.scheme_version == scheme.version
    assert certificate.scheme_snapshot["min_practice_hours"] == scheme.min_practice_hours
    assert (certificate.valid_until.year - certificate.issued_on.year) == 3
    event = CertificateEvent.objects.get()
    assert (event.to_status, event.public_reason, event.actor) == (
        "active",
        "issued",
        committee_member,
    )


def test_it_refuses_the_grant_when_a_requirement_fell_after_the_application(
    application, committee_member, trainer
):
    record = SupervisionRecord.objects.get(trainee=application.applicant)
    supervision_services.supervision_record_correct(
        record=record, actor=trainer, attended=False, minutes=None, reason="Absence constatée."
    )
    helpers.favourable_opinion(application, trainer)
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    assert not Certificate.objects.exists()
    event = application.events.last()
    assert event.action == "grant_refused"
    assert "supervision" in event.reason


def test_it_requires_a_reason_to_refuse(application, committee_member):
    with pytest.raises(ValidationError):
        services.application_decide(
            application=application, actor=committee_member, decision=Decision.REFUSE, reason=" "
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.events.count() == 1


def test_it_asks_for_more_with_a_comment_and_takes_the_completed_application_back(
    application, committee_member, eligible
):
    with pytest.raises(ValidationError):
        services.application_decide(
            application=application, actor=committee_member, decision=Decision.ASK_MORE
        )
    services.application_decide(
        application=application,
        actor=committee_member,
        decision=Decision.ASK_MORE,
        reason="Joignez un exemple d'intervention.",
    )
    application.refresh_from_db()
    assert application.status == Application.Status.MORE_REQUESTED
    services.application_complete(
        application=application, applicant=eligible, statement="Voici un exemple."
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert "Voici un exemple." in application.statement
    today = timezone.localdate()
    assert f"— {date_text(today)} —" in application.statement
    assert f"{today:%d/%m/%Y}" not in application.statement


def test_it_refuses_decisions_from_a_trainee_a_trainer_or_a_member_without_mfa(
    application, trainer, committee_member_without_mfa
):
    for person in (application.applicant, trainer, committee_member_without_mfa):
        with pytest.raises(PermissionDenied):
            services.application_decide(
                application=application, actor=person, decision=Decision.GRANT
            )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_it_refuses_a_first_grant_without_the_supervisor_opinion(application, committee_member):
    assert application.scheme.requires_supervisor_opinion  # the default
    with pytest.raises(ValidationError) as error:
        services.application_decide(
            application=application, actor=committee_member, decision=Decision.GRANT
        )
    assert "sans l'avis d'un·e superviseur·e" in str(error.value)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED  # waits; nothing written
    assert not Certificate.objects.exists()
    assert not application.events.filter(action__in=["granted", "grant_refused"]).exists()


def test_it_grants_without_an_opinion_when_the_scheme_does_not_ask_for_one(
    application, committee_member, scheme
):
    scheme.requires_supervisor_opinion = False
    scheme.save()
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    application.refresh_from_db()
    assert application.status == Application.Status.GRANTED


def test_it_never_decides_twice(application, committee_member):
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.REFUSE, reason="Non."
    )
    with pytest.raises(services.TransitionError):
        services.application_decide(
            application=application, actor=committee_member, decision=Decision.GRANT
        )
    assert not Certificate.objects.exists()


def test_it_tells_the_applicant_the_decision_with_its_reason(
    application, committee_member, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()  # the supervisors' requests for an opinion
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application,
            actor=committee_member,
            decision=Decision.REFUSE,
            reason="La pratique décrite ne couvre pas encore la médiation de groupe.",
        )
    assert [m.to for m in mailoutbox] == [[application.applicant.email]]
    message = mailoutbox[0]
    assert "Décision sur votre candidature" in message.subject
    assert "ne couvre pas encore la médiation de groupe" in message.body


def test_it_emails_the_new_holder_the_grant_and_the_pdf(
    application, committee_member, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    helpers.favourable_opinion(application, trainer)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application, actor=committee_member, decision=Decision.GRANT
        )
    certificate = Certificate.objects.get()
    subjects = [m.subject for m in mailoutbox]
    assert any("acceptée" in s for s in subjects)
    assert any(f"Certification TST® accordée : {certificate.number}" in s for s in subjects)
    with_pdf = [m for m in mailoutbox if m.attachments]
    assert len(with_pdf) == 1
    assert with_pdf[0].attachments[0][0] == f"certificat-{certificate.number}.pdf"
