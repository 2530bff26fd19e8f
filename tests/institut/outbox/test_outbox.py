"""The outbox: one e-mail per effect, sent after the commit, retried, resent once after a crash."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from institut.models import User
from institut.outbox import services
from institut.outbox.models import EmailStatus, OutboxEmail
from institut.outbox.services import email_enqueue, emails_send_due
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def owe(to, *, kind="test_notice", about=None, version="", text="Votre séance est réservée."):
    return email_enqueue(
        kind=kind, about=about, to=to, version=version, subject="Séance réservée", text=text
    )


def test_it_owes_one_email_when_the_same_effect_asks_twice(trainee):
    first = owe(trainee, about=trainee)
    second = owe(trainee, about=trainee)

    assert first is not None
    assert second is None
    assert OutboxEmail.objects.count() == 1
    assert OutboxEmail.objects.get().status == EmailStatus.QUEUED


def test_a_new_version_or_recipient_is_another_email(trainee, other_trainee):
    owe(trainee, about=trainee)
    owe(trainee, about=trainee, version=2)
    owe(other_trainee, about=trainee)
    owe("externe@example.org", about=trainee)

    assert OutboxEmail.objects.count() == 4
    # No address is kept in a key (erasure leaves nothing there).
    assert not OutboxEmail.objects.filter(key__contains="@").exists()


def test_it_sends_after_the_commit_with_its_message_id_and_marks_it_sent(
    trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email = owe(trainee, about=trainee)
        assert mail.outbox == []  # nothing leaves before the commit

    (message,) = mail.outbox
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    assert message.to == [trainee.email]
    assert message.extra_headers["Message-ID"] == email.message_id
    assert message.body == "Votre séance est réservée."
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert "Votre séance est réservée." in html


def test_it_owes_nothing_and_sends_nothing_when_the_effect_rolls_back(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        person = UserFactory(email="annulee@example.org")
        owe(person, about=person)
        raise RuntimeError("the effect fails after its e-mail was owed")

    assert not User.objects.filter(email="annulee@example.org").exists()
    assert OutboxEmail.objects.count() == 0
    assert callbacks == []
    assert emails_send_due() == 0
    assert mail.outbox == []


def test_the_task_run_twice_sends_once(trainee):
    from institut.outbox.tasks import send_email

    email = owe(trainee)

    assert send_email.delay(email.pk).get() is True
    assert send_email.delay(email.pk).get() is False
    assert len(mail.outbox) == 1


def test_a_crash_after_the_server_accepted_resends_once_with_the_same_message_id(
    trainee, monkeypatch, settings
):
    settings.OUTBOX_SENDING_TIMEOUT = 600
    email = owe(trainee)

    def crash(_email):
        raise SystemExit("worker killed after the server accepted the message")

    monkeypatch.setattr(services, "mark_sent", crash)
    with pytest.raises(SystemExit):
        services.email_send(email_id=email.pk)
    monkeypatch.undo()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENDING
    assert len(mail.outbox) == 1

    # Another sender meanwhile leaves it alone: it may still be on its way.
    assert emails_send_due() == 0
    later = timezone.now() + timedelta(seconds=601)
    with time_machine.travel(later, tick=False):
        assert emails_send_due() == 1
        assert emails_send_due() == 0

    first, again = mail.outbox
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert again.extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.crash_resends == 1


def test_a_second_crash_marks_it_failed_rather_than_send_a_third_copy(
    trainee, monkeypatch, settings
):
    settings.OUTBOX_ALERT_EMAILS = ["secretariat@example.org"]
    email = owe(trainee)

    def crash(_email):
        raise SystemExit("killed")

    monkeypatch.setattr(services, "mark_sent", crash)
    start = timezone.now()
    for minutes in (0, 11):
        with (
            time_machine.travel(start + timedelta(minutes=minutes), tick=False),
            pytest.raises(SystemExit),
        ):
            services.email_send(email_id=email.pk)
    monkeypatch.undo()
    with time_machine.travel(start + timedelta(minutes=22), tick=False):
        emails_send_due()

    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert [m.to for m in mail.outbox] == [[trainee.email], [trainee.email]]
    assert OutboxEmail.objects.filter(kind=services.ALERT_KIND).count() == 1


def test_it_retries_with_back_off_then_fails_and_alerts_staff(trainee, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_ALERT_EMAILS = ["secretariat@example.org"]
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = owe(trainee)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert services.email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1
    assert email.next_attempt_at == start + timedelta(seconds=60)
    assert "SMTPServerDisconnected" in email.last_error

    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        assert emails_send_due() == 0  # not due yet
    email.refresh_from_db()
    assert email.attempts == 1
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        emails_send_due()
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at == start + timedelta(seconds=60 + 120)  # doubled
    assert not OutboxEmail.objects.filter(kind=services.ALERT_KIND).exists()

    with time_machine.travel(start + timedelta(seconds=180), tick=False):
        emails_send_due()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == 3
    (alert,) = OutboxEmail.objects.filter(kind=services.ALERT_KIND)
    assert alert.to_address == "secretariat@example.org"
    assert f"n° {email.pk}" in alert.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    emails_send_due()
    assert [m.to for m in mail.outbox] == [["secretariat@example.org"]]
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED  # a failed e-mail is left for staff to resend


def test_a_failed_alert_alerts_nobody(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    settings.OUTBOX_ALERT_EMAILS = ["secretariat@example.org"]
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    owe("personne@example.org")
    emails_send_due()
    emails_send_due()

    assert OutboxEmail.objects.filter(kind=services.ALERT_KIND).count() == 1
    assert OutboxEmail.objects.filter(status=EmailStatus.FAILED).count() == 2


def test_without_alert_addresses_the_superusers_are_told(settings):
    settings.OUTBOX_ALERT_EMAILS = []
    UserFactory(email="admin@example.org", is_superuser=True, is_staff=True)
    UserFactory(email="former@example.org", is_superuser=True, is_active=False)

    assert services.alert_addresses() == ["admin@example.org"]


def test_staff_resend_a_failed_email_with_its_message_id(trainee, settings, admin_user):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    email = owe(trainee)
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.email_resend(email=email, actor=admin_user) is True
    assert services.email_resend(email=email, actor=admin_user) is False  # queued already
    emails_send_due()

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    sent = [m for m in mail.outbox if m.to == [trainee.email]]
    assert [m.extra_headers["Message-ID"] for m in sent] == [email.message_id]


def test_a_pdf_attachment_is_sent_as_it_was_owed(trainee):
    email_enqueue(
        kind="test_document",
        to=trainee,
        subject="Votre document",
        text="Ci-joint.",
        attachments=[("doc.pdf", b"%PDF-1.7 contenu", "application/pdf")],
    )
    emails_send_due()

    (message,) = mail.outbox
    assert message.attachments == [("doc.pdf", b"%PDF-1.7 contenu", "application/pdf")]


def test_it_is_sent_every_minute_by_celery_beat(settings):
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "institut.outbox.tasks.retry_due_emails"
    ]
    assert entry["schedule"] == 60


def test_each_kind_of_email_reads_as_words_in_the_staff_s_language():
    from django.utils import translation

    from institut.outbox.kinds import kind_label

    assert kind_label("certification_certificate_event") == "Certificat : statut ou document"
    assert kind_label("payment_staff_paid") == "Paiement (à l'équipe)"
    assert kind_label("payment_paid") == "Paiement"
    assert kind_label("notification_digest") == "Récapitulatif quotidien des notifications"
    assert kind_label("something_new") == "something_new"
    with translation.override("en"):
        assert kind_label("training.convocation.sent") == "Training session convocation"


def test_the_outbox_listing_shows_each_e_mail_s_kind_in_words(client, trainee):
    staff = UserFactory(is_superuser=True, is_staff=True, second_factor=True)
    email_enqueue(
        kind="certification_certificate_event", to=trainee, subject="Statut", text="Corps"
    )
    client.force_login(staff)

    page = client.get("/admin/parametres/emails/").content.decode()

    assert "Certificat : statut ou document" in page
    assert ">certification_certificate_event<" not in page


def test_the_outbox_listing_leaves_the_subject_room_and_shortens_a_long_error(client, trainee):
    staff = UserFactory(is_superuser=True, is_staff=True, second_factor=True)
    email = owe(trainee)
    error = "SMTPRecipientsRefused: " + "the server refused the recipient, " * 10
    OutboxEmail.objects.filter(pk=email.pk).update(status=EmailStatus.FAILED, last_error=error)
    client.force_login(staff)

    page = client.get("/admin/parametres/emails/").content.decode()

    assert "Renvois après incident" not in page
    assert "SMTPRecipientsRefused: the server refused the recipient" in page
    assert error not in page
    assert error in client.get(f"/admin/parametres/emails/inspect/{email.pk}/").content.decode()


def test_nothing_is_owed_to_a_person_whose_data_are_erased(
    trainee, other_trainee, django_capture_on_commit_callbacks
):
    from institut.privacy.erasure import account_erase

    account_erase(user=trainee)
    trainee.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        assert owe(trainee, about=trainee) is None
        assert owe(other_trainee, about=other_trainee) is not None

    assert list(OutboxEmail.objects.values_list("to_user", flat=True)) == [other_trainee.pk]
    assert [message.to for message in mail.outbox] == [[other_trainee.email]]
