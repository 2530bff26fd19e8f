"""Each effect notifies the people it concerns, and nobody else, by one path (no second e-mail)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services as certification_services
from certification.services import Decision
from institut.models import OutboxEmail
from institut.notifications.models import Channel, Kind, Notification, NotificationPreference
from supervision import services as supervision_services
from supervision.logbook import services as logbook_services
from tests.certification import helpers as certification_helpers
from tests.supervision.factories import SessionFactory
from tests.supervision.logbook.helpers import make_entry, supervised  # noqa: F401

pytestmark = pytest.mark.django_db


def told(kind):
    return [(n.recipient, n.kind) for n in Notification.objects.filter(kind=kind)]


@pytest.mark.usefixtures("supervised")
def test_an_entry_submitted_tells_its_supervisors_only_in_the_digest(trainee, trainer):
    make_entry(trainee, "submitted")
    (notification,) = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (trainer, Kind.ENTRY_SUBMITTED)
    assert trainee.full_name in notification.title
    assert notification.digest_pending
    assert not OutboxEmail.objects.exists()


@pytest.mark.usefixtures("supervised")
def test_an_entry_returned_tells_the_trainee_with_the_comment(trainee, trainer):
    make_entry(trainee, "returned", trainer)
    (notification,) = Notification.objects.filter(kind=Kind.ENTRY_REVIEWED)
    assert notification.recipient == trainee
    assert "À revoir." in notification.text
    (email,) = OutboxEmail.objects.all()
    assert email.to_user == trainee and "À revoir." in email.text


@pytest.mark.usefixtures("supervised")
def test_an_entry_approved_tells_the_trainee_only(trainee, trainer):
    make_entry(trainee, "approved", trainer)
    assert told(Kind.ENTRY_REVIEWED) == [(trainee, Kind.ENTRY_REVIEWED)]
    assert "approuvée" in Notification.objects.get(kind=Kind.ENTRY_REVIEWED).title


@pytest.mark.usefixtures("supervised")
@pytest.mark.parametrize(
    ("status", "ending"), [("approved", " is approved"), ("returned", " is returned to you")]
)
def test_an_entry_reviewed_is_told_in_english_as_an_entry_for_its_date(
    trainee, trainer, status, ending
):
    trainee.preferred_language = "en"
    trainee.save(update_fields=["preferred_language"])
    make_entry(trainee, status, trainer)
    title = Notification.objects.get(kind=Kind.ENTRY_REVIEWED).title
    assert title.startswith("Your entry for ") and title.endswith(ending), title


@pytest.mark.usefixtures("supervised")
def test_a_period_confirmed_tells_the_trainee(trainee, trainer):
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    make_entry(trainee, "approved", trainer, date=start, steps=["contrat"])
    period = logbook_services.period_summary_close(trainee=trainee, start=start, end=end)
    logbook_services.period_summary_confirm(period=period, supervisor=trainer)
    assert told(Kind.PERIOD_CONFIRMED) == [(trainee, Kind.PERIOD_CONFIRMED)]


def test_a_booking_tells_the_trainee_and_sends_one_email(trainee, trainer):
    session = SessionFactory(trainer=trainer)
    supervision_services.booking_create(session=session, trainee=trainee)
    assert told(Kind.BOOKING) == [(trainee, Kind.BOOKING)]
    (email,) = OutboxEmail.objects.all()
    assert (email.kind, email.to_user) == ("booking_confirmed", trainee)
    assert email.attachments  # the calendar invitation, as before


def test_a_booking_sends_no_email_to_who_chose_in_app(trainee, trainer):
    NotificationPreference.objects.create(user=trainee, kind=Kind.BOOKING, channel=Channel.IN_APP)
    supervision_services.booking_create(session=SessionFactory(trainer=trainer), trainee=trainee)
    assert told(Kind.BOOKING) == [(trainee, Kind.BOOKING)]
    assert not OutboxEmail.objects.exists()


def test_a_waitlisted_booking_tells_the_trainee(trainee, other_trainee, trainer):
    session = SessionFactory(trainer=trainer, capacity=1)
    supervision_services.booking_create(session=session, trainee=other_trainee)
    supervision_services.booking_create(session=session, trainee=trainee)
    (notification,) = Notification.objects.filter(recipient=trainee)
    assert "attente" in notification.title


def test_an_application_tells_the_committee_and_asks_the_supervisor(
    eligible, trainer, committee_member, other_trainee
):
    certification_services.application_submit(applicant=eligible, statement="Ma pratique.")
    assert told(Kind.APPLICATION_RECEIVED) == [(committee_member, Kind.APPLICATION_RECEIVED)]
    assert told(Kind.OPINION_REQUEST) == [(trainer, Kind.OPINION_REQUEST)]
    # The committee's in the digest, the supervisor's request by e-mail.
    emails = OutboxEmail.objects.exclude(to_user=eligible)  # (their entries approved before)
    assert [email.to_user for email in emails] == [trainer]
    others = Notification.objects.filter(recipient__in=[eligible, other_trainee])
    assert not others.filter(kind=Kind.APPLICATION_RECEIVED).exists()


def test_a_decision_tells_the_applicant(eligible, trainer, committee_member):
    application = certification_services.application_submit(applicant=eligible, statement="Oui.")
    certification_helpers.favourable_opinion(application, trainer)
    certification_services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    assert told(Kind.APPLICATION_DECIDED) == [(eligible, Kind.APPLICATION_DECIDED)]
    assert {n.recipient for n in Notification.objects.filter(kind=Kind.CERTIFICATE)} == {eligible}
    decided = OutboxEmail.objects.filter(kind="certification_application_decided")
    assert decided.count() == 1


def test_a_completed_application_tells_the_committee_and_the_applicant_once(
    eligible, trainer, committee_member, other_trainee
):
    application = certification_services.application_submit(applicant=eligible, statement="Oui.")
    certification_services.application_decide(
        application=application,
        actor=committee_member,
        decision=Decision.ASK_MORE,
        reason="Joignez un exemple d'intervention.",
    )
    Notification.objects.all().delete()
    certification_services.application_complete(
        application=application, applicant=eligible, statement="Voici un exemple."
    )
    told_now = sorted((n.recipient.pk, n.kind, n.version) for n in Notification.objects.all())
    assert told_now == sorted(
        [
            (committee_member.pk, Kind.APPLICATION_RECEIVED, "completed-1"),
            (eligible.pk, Kind.APPLICATION_RECEIVED, "completed-1"),
        ]
    )
    mine = Notification.objects.get(recipient=committee_member)
    assert eligible.full_name in mine.title
    assert str(application.pk) in mine.url
    assert "commission" in Notification.objects.get(recipient=eligible).title
    assert not Notification.objects.filter(recipient__in=[trainer, other_trainee]).exists()
    # A second round of "more, please" and its completion tells them again, once.
    certification_services.application_decide(
        application=application,
        actor=committee_member,
        decision=Decision.ASK_MORE,
        reason="Et un autre.",
    )
    certification_services.application_complete(
        application=application, applicant=eligible, statement="En voici un autre."
    )
    assert Notification.objects.filter(version="completed-2").count() == 2
