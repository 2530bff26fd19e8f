"""E-mails are multipart, signed with the Institut's name from the site settings, never the host."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from wagtail.models import Site

from home.models import InstitutSettings
from institut.outbox.models import OutboxEmail
from institut.outbox.services import email_enqueue, emails_send_due
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def institut_name():
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.organisation_name = "Institut Charles Rojzman (Lyon)"
    details.contact_email = "contact@institut.example.org"
    details.save()
    return details.organisation_name


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_html_part_carries_the_institut_name_and_not_the_host(institut_name, trainee, settings):
    settings.SITE_URL = "https://formation.institut.example"
    email_enqueue(kind="test", to=trainee, subject="Bienvenue", text="Voir https://x.example/a")
    emails_send_due()

    (message,) = mail.outbox
    html = html_of(message)
    assert institut_name in html
    assert "contact@institut.example.org" in html
    assert '<a href="https://x.example/a"' in html  # links stay links
    assert '<a href="https://formation.institut.example"' in html
    for host in ("127.0.0.1", "testserver", "localhost"):
        assert host not in html


def test_the_html_part_escapes_the_text(trainee):
    email_enqueue(kind="test", to=trainee, subject="Objet", text="<script>alert(1)</script>")
    emails_send_due()

    assert "<script>" not in html_of(mail.outbox[0])


def signup(client, email="nouvelle@example.org"):
    return client.post(
        "/comptes/signup/",
        {"full_name": "Léa Fontaine", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_the_account_confirmation_goes_through_the_outbox_signed_by_the_institut(
    client, institut_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert signup(client).status_code == 302

    email = OutboxEmail.objects.get(to_address="nouvelle@example.org")
    assert email.kind == "account:email_confirmation_signup"
    assert email.status == "sent"
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == email.message_id
    assert message.body.startswith("Bonjour Léa Fontaine,")
    assert institut_name in message.body
    assert re.search(r"http://testserver/comptes/confirm-email/[^/\s]+/", message.body)
    assert "c'est" not in message.body
    for host in ("127.0.0.1", "testserver:", "localhost"):
        assert host not in message.body.split("http://testserver/")[0]
    assert institut_name in html_of(message)


def test_the_password_reset_goes_through_the_outbox(client, trainee):
    client.post("/comptes/password/reset/", {"email": trainee.email})

    email = OutboxEmail.objects.get(to_address=trainee.email)
    assert email.kind == "account:password_reset_key"
    assert email.to_user == trainee
    emails_send_due()
    assert "/comptes/password/reset/key/" in mail.outbox[0].body


def test_asking_twice_for_a_link_sends_twice(client, trainee):
    # A few seconds apart: a new link (a double click within two seconds is sent once:
    # test_repeated_messages.py).
    now = timezone.now()
    for moment in (now, now + timedelta(seconds=5)):
        with time_machine.travel(moment, tick=False):
            client.post("/comptes/password/reset/", {"email": trainee.email})

    assert OutboxEmail.objects.filter(to_address=trainee.email).count() == 2
