"""Every e-mail the site sends starts with the Institut's prefix, exactly once, whoever wrote its
subject: the outbox adds OUTBOX_SUBJECT_PREFIX as it sends, and no sender adds its own."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.mail import EmailMessage, mail_admins
from django.urls import reverse

from institut.notifications import services as notifications
from institut.notifications.models import Kind
from institut.outbox.models import OutboxEmail
from institut.outbox.services import email_enqueue

pytestmark = pytest.mark.django_db

PREFIX = "[Institut Charles Rojzman] "


def test_the_prefix_is_the_institut_s_name():
    assert f"{settings.OUTBOX_SUBJECT_PREFIX} " == PREFIX


def test_emails_of_every_kind_carry_the_prefix_exactly_once(client, trainee, mailoutbox, settings):
    settings.ADMINS = [("Équipe", "equipe@exemple.org")]
    email_enqueue(kind="test", to=trainee, subject="Séance réservée", text="Bonjour")
    notifications.notify(
        recipient=trainee, kind=Kind.CONVOCATION, about=trainee, title="Votre convocation"
    )
    EmailMessage("À relire", "Une page attend", to=[trainee.email]).send()  # a library's
    mail_admins("Erreur sur /echec/", "Trace")
    client.post(reverse("account_reset_password"), {"email": trainee.email})  # allauth's

    subjects = [message.subject for message in mailoutbox]

    assert len(subjects) == 5, subjects
    assert all(s.startswith(PREFIX) and s.count("[Institut") == 1 for s in subjects), subjects
    assert subjects[0] == PREFIX + "Séance réservée"


def test_a_row_owed_with_the_prefix_already_is_sent_with_it_once(trainee, mailoutbox):
    email_enqueue(kind="test", to=trainee, subject=PREFIX + "Rappel", text="Demain")

    (message,) = mailoutbox

    assert message.subject == PREFIX + "Rappel"


def test_the_stored_subject_is_the_sender_s_and_the_html_title_the_sent_one(trainee):
    email = email_enqueue(kind="test", to=trainee, subject="Rappel", text="Demain")

    assert email.subject == "Rappel"  # the outbox listing shows what differs from one to another
    assert f"<title>{PREFIX}Rappel</title>" in OutboxEmail.objects.get().html


def test_a_site_without_prefix_sends_the_subject_as_written(trainee, mailoutbox, settings):
    settings.OUTBOX_SUBJECT_PREFIX = ""
    email_enqueue(kind="test", to=trainee, subject="Rappel", text="Demain")

    assert [message.subject for message in mailoutbox] == ["Rappel"]
