"""Libraries' messages (allauth's account e-mails, what Django's mail API sends) have no key of
their own: the very same message to the same person within a few minutes (a double click, a
request sent again) is one e-mail; a message with a new link or code, or the same one later, is
another, except a password reset asked again within two seconds (a double click straddling a
second), whose new link tells nothing new."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.mail import EmailMessage, send_mail
from django.utils import timezone

from institut.adapters import RESET_DOUBLE_CLICK_SECONDS
from institut.outbox.models import OutboxEmail
from institut.outbox.services import REPEAT_WINDOW_SECONDS

pytestmark = pytest.mark.django_db

RESET = "/comptes/password/reset/"


def ask_reset(client, email: str, at) -> None:
    with time_machine.travel(at, tick=False):
        assert client.post(RESET, {"email": email}).status_code == 302


def test_a_double_click_on_the_reset_button_owes_one_email(client, trainee):
    now = timezone.now()
    ask_reset(client, trainee.email, now)
    ask_reset(client, trainee.email, now)  # the same second: the same link

    assert OutboxEmail.objects.filter(to_address=trainee.email).count() == 1


@pytest.mark.parametrize("after", [0.2, 1, RESET_DOUBLE_CLICK_SECONDS - 0.1])
def test_a_double_click_straddling_a_second_owes_one_email(client, trainee, after):
    # The first click in the last tenth of a second (and of a window): the second click's link
    # carries another second.
    now = timezone.now().replace(microsecond=0)
    first = now - timedelta(seconds=now.timestamp() % RESET_DOUBLE_CLICK_SECONDS - 1.9)
    ask_reset(client, trainee.email, first)
    with time_machine.travel(first + timedelta(seconds=after), tick=False):
        response = client.post(RESET, {"email": trainee.email})

    assert response.status_code == 302  # answered as sent
    assert OutboxEmail.objects.filter(to_address=trainee.email).count() == 1


def test_a_reset_asked_again_a_few_seconds_later_owes_its_new_link(client, trainee):
    now = timezone.now()
    ask_reset(client, trainee.email, now)
    ask_reset(client, trainee.email, now + timedelta(seconds=2 * RESET_DOUBLE_CLICK_SECONDS))

    first, second = OutboxEmail.objects.filter(to_address=trainee.email).order_by("pk")
    assert first.text != second.text  # allauth's token carries the second it was made


def test_the_notice_to_an_unknown_address_is_sent_once_within_the_window(client):
    now = timezone.now()
    for seconds in (0, 30, REPEAT_WINDOW_SECONDS - 1):
        ask_reset(client, "personne@example.org", now + timedelta(seconds=seconds))
    assert OutboxEmail.objects.filter(to_address="personne@example.org").count() == 1

    ask_reset(client, "personne@example.org", now + timedelta(seconds=2 * REPEAT_WINDOW_SECONDS))
    assert OutboxEmail.objects.filter(to_address="personne@example.org").count() == 2


def test_the_same_library_message_sent_twice_at_once_is_one_row_per_recipient():
    for _ in range(2):
        send_mail("Page soumise", "« À relire » attend votre relecture.", None, ["a@example.org"])

    assert OutboxEmail.objects.filter(kind="mail").count() == 1


def test_a_library_message_that_differs_or_comes_later_is_sent_again():
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        send_mail("Page soumise", "« À relire » attend.", None, ["a@example.org"])
        send_mail("Page soumise", "« Programme » attend.", None, ["a@example.org"])
        EmailMessage("Page soumise", "« À relire » attend.", to=["b@example.org"]).send()
    with time_machine.travel(now + timedelta(seconds=2 * REPEAT_WINDOW_SECONDS), tick=False):
        send_mail("Page soumise", "« À relire » attend.", None, ["a@example.org"])

    assert OutboxEmail.objects.filter(kind="mail", to_address="a@example.org").count() == 3
    assert OutboxEmail.objects.filter(kind="mail", to_address="b@example.org").count() == 1
