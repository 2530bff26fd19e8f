"""The daily renewal run: reminders at 90 and 30 days and on the last valid day, expiry the
day after, run twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from certification import services, tasks
from certification.models import CertificateEvent, CertificationScheme, SentNotice
from tests.certification.factories import make_certificate

pytestmark = pytest.mark.calendar

TODAY = dt.date(2027, 3, 10)


@pytest.fixture
def simple_scheme(db):
    return CertificationScheme.objects.create(renewal_supervision_hours=2)


@pytest.fixture
def certificates(trainee, other_trainee, trainer, simple_scheme):
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        return {
            90: make_certificate(
                trainee, scheme=simple_scheme, valid_until=TODAY + dt.timedelta(days=90)
            ),
            30: make_certificate(
                other_trainee, scheme=simple_scheme, valid_until=TODAY + dt.timedelta(days=30)
            ),
            0: make_certificate(trainer, scheme=simple_scheme, valid_until=TODAY),
            45: make_certificate(
                trainer, scheme=simple_scheme, valid_until=TODAY + dt.timedelta(days=45)
            ),
        }


def run_on(day: dt.date, hour: int = 6):
    with time_machine.travel(
        dt.datetime.combine(day, dt.time(hour, 15), tzinfo=dt.UTC), tick=False
    ):
        return services.renewal_run()


def test_it_reminds_and_expires_once_when_run_twice_on_the_same_day(
    certificates, mailoutbox, django_capture_on_commit_callbacks
):
    run_on(TODAY - dt.timedelta(days=1))  # the platform ran the day before
    mailoutbox.clear()
    runs = []
    for day in (10, 11):  # the last valid day, then the next
        with time_machine.travel(dt.datetime(2027, 3, day, 6, 15, tzinfo=dt.UTC), tick=False):
            for _twice in range(2):
                with django_capture_on_commit_callbacks(execute=True):
                    runs.append(tasks.daily_renewal_run())
    # The last valid day: the reminders, « expires today », and no expiry yet; the next day,
    # the expiry; each once.
    assert runs == [
        {"reminders": 3, "expired": 0},
        {"reminders": 0, "expired": 0},
        {"reminders": 0, "expired": 1},
        {"reminders": 0, "expired": 0},
    ]
    for certificate in certificates.values():
        certificate.refresh_from_db()
    assert certificates[0].status == "expired"
    assert certificates[0].status_changed_on == TODAY + dt.timedelta(days=1)
    assert certificates[30].status == "active"
    (expiry,) = CertificateEvent.objects.filter(to_status="expired")
    # The stored reason writes the date as the language does, not « 10/03/2027 ».
    assert expiry.reason == "La période de validité s'est achevée le 10 mars 2027."
    # three reminders and one status-change e-mail, none twice
    assert len(mailoutbox) == 4
    subjects = sorted(message.subject for message in mailoutbox)
    assert any("90 jours" in subject for subject in subjects)
    assert any("30 jours" in subject for subject in subjects)
    assert any("aujourd'hui" in subject for subject in subjects)


def test_it_sends_on_the_first_run_every_threshold_already_passed(certificates, mailoutbox):
    result = run_on(TODAY - dt.timedelta(days=1))
    # 91 days: none yet; 31 and 46 days: the 90-day one; 1 day: one e-mail for 90 and 30.
    assert result == {"reminders": 3, "expired": 0}
    days = sorted(message.subject.split("expire dans ")[1] for message in mailoutbox)
    assert days == ["1 jour", "31 jours", "46 jours"]
    keys = set(SentNotice.objects.filter(key__startswith="reminder:").values_list("key", flat=True))
    last_day = certificates[0]
    assert (
        services.reminder_key(last_day, 90) in keys and services.reminder_key(last_day, 30) in keys
    )


def test_it_catches_up_a_skipped_day_and_sends_each_reminder_once(
    trainee, simple_scheme, mailoutbox
):
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        certificate = make_certificate(
            trainee, scheme=simple_scheme, valid_until=TODAY + dt.timedelta(days=30)
        )
    assert run_on(TODAY - dt.timedelta(days=1))["reminders"] == 1  # the 90-day one, caught up
    # No run on TODAY, the 30-day threshold: the next day sends it, once.
    assert run_on(TODAY + dt.timedelta(days=1))["reminders"] == 1
    assert run_on(TODAY + dt.timedelta(days=1), hour=18)["reminders"] == 0
    assert run_on(TODAY + dt.timedelta(days=2))["reminders"] == 0
    # The two reminders; the expiry's own notice comes after the day.
    reminders = [m.subject for m in mailoutbox if "expiré" not in m.subject]
    assert len(reminders) == 2
    assert "expire dans 29 jours" in mailoutbox[1].subject
    assert SentNotice.objects.filter(key=services.reminder_key(certificate, 30)).count() == 1


def test_it_sends_the_three_reminders_once_over_a_validity_run_every_day(
    trainee, simple_scheme, mailoutbox
):
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        make_certificate(trainee, scheme=simple_scheme, valid_until=TODAY + dt.timedelta(days=95))
    sent = [run_on(TODAY + dt.timedelta(days=n))["reminders"] for n in range(0, 96)]
    assert sum(sent) == 3
    assert [n for n, count in enumerate(sent) if count] == [5, 65, 95]


def test_it_never_sends_an_earlier_threshold_after_a_later_one(trainee, simple_scheme, mailoutbox):
    with time_machine.travel(dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        make_certificate(trainee, scheme=simple_scheme, valid_until=TODAY + dt.timedelta(days=20))
    mailoutbox.clear()  # the certificate's issue
    assert run_on(TODAY)["reminders"] == 1  # 90 and 30 passed: one e-mail, "20 days"
    assert [run_on(TODAY + dt.timedelta(days=n))["reminders"] for n in range(1, 20)] == [0] * 19
    assert run_on(TODAY + dt.timedelta(days=20))["reminders"] == 1  # the day itself
    # The two reminders; the expiry's own notice comes after the day.
    reminders = [m.subject for m in mailoutbox if "expiré" not in m.subject]
    assert len(reminders) == 2


def test_it_is_scheduled_daily_by_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["certification-daily-renewal-run"]
    assert entry["task"] == "certification.tasks.daily_renewal_run"


def test_it_renews_through_an_application_keeping_the_number(
    trainee, trainer, committee_member, charter, simple_scheme, mailoutbox
):
    from certification import selectors
    from certification.services import Decision
    from tests.certification import helpers

    valid_until = timezone.localdate() + dt.timedelta(days=20)
    certificate = make_certificate(trainee, scheme=simple_scheme, valid_until=valid_until)
    assert not selectors.renewal_eligibility(certificate).met
    helpers.attend_supervision(trainee, trainer, hours=2)
    services.charter_accept(user=trainee, charter=charter)
    assert selectors.renewal_eligibility(certificate).met
    application = services.application_submit(
        applicant=trainee, statement="Je demande le renouvellement.", certificate=certificate
    )
    assert application.kind == "renewal"
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    certificate.refresh_from_db()
    assert certificate.valid_until == services.add_years(
        timezone.localdate() + dt.timedelta(days=20), 3
    )
    assert certificate.events.last().public_reason == "renewed"
