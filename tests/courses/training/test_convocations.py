"""Convocations (with one ICS event per day), their reminder N days before, the à froid
questionnaire N months after: each e-mail sent once, however often the beat runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from icalendar import Calendar

from courses.training import services
from courses.training.models import Convocation, SatisfactionRequest
from courses.training.tasks import send_due_mail
from tests.courses.training.conftest import first_day, half_days, make_session, place, slots
from tests.courses.training.helpers import run_session

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_the_convocation_has_what_a_trainee_needs_and_an_event_per_day(
    session, course, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place(session, trainee, course)
    [message] = mailoutbox
    assert message.to == [trainee.email]
    assert message.subject == f"[Institut Charles Rojzman] Convocation : {session.display_title}"
    body = message.body
    for expected in (
        "09:00\u201312:30",
        "13:30\u201317:00",
        "12 rue de la Roquette",
        "12 rue de la Roquette, 75011 Paris — Salle : Salle Jean Moulin",
    ):
        assert expected in body
    assert "salle Salle" not in body
    assert "Hélène Duprè" in body
    assert "Émargement" in body
    name, content, mimetype = message.attachments[0]
    assert name == "formation.ics"
    assert mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    first = events[0]
    assert first.get("dtstart").params["TZID"] == "Europe/Paris"
    assert first.decoded("dtstart") == slots(session)[0].starts_at
    assert first.decoded("dtend") == slots(session)[1].ends_at
    assert calendar.walk("VTIMEZONE")
    convocation = Convocation.objects.get()
    assert (convocation.kind, convocation.sent_to) == ("confirmation", trainee.email)


def test_the_convocation_is_always_emailed_whatever_the_trainees_choice(
    session, course, trainee, other_trainee
):
    from institut.models import OutboxEmail
    from institut.notifications.models import Channel, Kind, Notification, NotificationPreference

    # A convocation is a document of the training organisation: "in-app only" or "digest"
    # still leaves its e-mail to go now (and once: not again in a digest).
    NotificationPreference.objects.create(
        user=other_trainee, kind=Kind.CONVOCATION, channel=Channel.IN_APP
    )
    NotificationPreference.objects.create(
        user=trainee, kind=Kind.CONVOCATION, channel=Channel.DIGEST
    )
    place(session, trainee, course)
    place(session, other_trainee, course)
    told = Notification.objects.filter(kind=Kind.CONVOCATION)
    assert sorted(n.recipient.pk for n in told) == sorted([trainee.pk, other_trainee.pk])
    assert all(n.recipient.full_name not in n.title for n in told)
    assert not told.filter(digest_pending=True).exists()
    convocations = OutboxEmail.objects.filter(kind__startswith="training.convocation")
    assert sorted(email.to_user.pk for email in convocations) == sorted(
        [trainee.pk, other_trainee.pk]
    )


def test_the_reminder_goes_n_days_before_once_however_often_the_beat_runs(
    settings, course, trainer, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TRAINING_CONVOCATION_REMINDER_DAYS = 7
    session = make_session(course, trainer, days_ahead=20)
    with django_capture_on_commit_callbacks(execute=True):
        place(session, trainee, course)
    first = slots(session)[0]
    early = time_machine.travel(first.starts_at - timedelta(days=8), tick=False)
    with early, django_capture_on_commit_callbacks(execute=True):
        assert send_due_mail.delay().get()["reminders"] == 0
    with time_machine.travel(first.starts_at - timedelta(days=6), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_due_mail.delay().get()["reminders"] == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert send_due_mail.delay().get()["reminders"] == 0
    subjects = [message.subject for message in mailoutbox]
    assert subjects == [
        f"[Institut Charles Rojzman] Convocation : {session.display_title}",
        f"[Institut Charles Rojzman] Rappel de votre convocation : {session.display_title}",
    ]
    assert Convocation.objects.filter(kind="reminder").count() == 1


def test_a_change_of_dates_sends_an_updated_convocation(
    session, course, trainer, trainee, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        place(session, trainee, course)
    data = services.SessionData(
        course=course,
        mode="remote",
        capacity=10,
        half_days=half_days(first_day(10)),
        trainers=[trainer],
        video_url="https://visio.example.org/tst",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(actor=trainer, session=session, data=data)
    assert [m.subject.split("] ")[1].split(" :")[0] for m in mailoutbox] == [
        "Convocation",
        "Convocation modifiée",
    ]
    assert "https://visio.example.org/tst" in mailoutbox[-1].body


def test_the_cold_questionnaire_goes_n_months_after_once(
    settings, session, course, trainee, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TRAINING_COLD_SURVEY_MONTHS = 3
    camille = place(session, trainee, course)
    run_session(session, trainer, {camille: ("present", 0)})
    last = slots(session)[-1]
    mailoutbox.clear()
    early = time_machine.travel(last.ends_at + timedelta(days=60), tick=False)
    with early, django_capture_on_commit_callbacks(execute=True):
        assert send_due_mail.delay().get()["cold_surveys"] == 0
    with time_machine.travel(last.ends_at + timedelta(days=95), tick=False):
        for _run in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                send_due_mail.delay().get()
    assert len(mailoutbox) == 1
    request = SatisfactionRequest.objects.get(kind="cold")
    assert f"/satisfaction/{request.token}/" in mailoutbox[0].body
    assert mailoutbox[0].body.rstrip().endswith("L'équipe de l'Institut Charles Rojzman")


@pytest.fixture
def english_convocation(session, course, trainee, mailoutbox, django_capture_on_commit_callbacks):
    """The convocation of a trainee who reads English."""
    trainee.preferred_language = "en"
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        place(session, trainee, course)
    [message] = mailoutbox
    return message


def test_the_calendar_attachment_is_named_in_the_trainee_s_language(english_convocation):
    assert english_convocation.attachments[0][0] == "training.ics"


def test_the_english_convocation_lists_the_days_without_a_space_before_the_colon(
    english_convocation,
):
    assert ": morning 09:00" in english_convocation.body
    assert " : morning" not in english_convocation.body


@pytest.mark.parametrize(
    ("language", "english_rules", "said"),
    [
        ("fr", "Arrive early.", "Arrivez en avance."),
        ("en", "Arrive early.", "Arrive early."),
        ("en", "", "Arrivez en avance."),  # none written in English: the French ones
    ],
)
def test_the_convocation_recalls_the_rules_in_the_trainee_s_language(
    session,
    course,
    trainee,
    mailoutbox,
    django_capture_on_commit_callbacks,
    language,
    english_rules,
    said,
):
    from wagtail.models import Site

    from home.models import InstitutSettings

    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.training_rules = "Arrivez en avance."
    details.training_rules_en = english_rules
    details.save()
    trainee.preferred_language = language
    trainee.save()
    with django_capture_on_commit_callbacks(execute=True):
        place(session, trainee, course)
    [message] = mailoutbox
    paragraphs = message.body.split("\n\n")
    assert any(paragraph.endswith(f":\n{said}") for paragraph in paragraphs)
