"""A server error in production is e-mailed to DJANGO_ADMINS through the outbox, without the
request's personal data, and the same error again within minutes is one e-mail."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import pairwise
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from institut.error_mail import PrivateExceptionReporter
from institut.outbox.email_backend import KIND
from institut.outbox.models import OutboxEmail
from institut.outbox.services import REPEAT_WINDOW_SECONDS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@csrf_exempt
def fail(request):
    raise RuntimeError(f"Échec en traitant la demande de {request.POST.get('email')}")


urlpatterns = [path("echec/", fail)]

ADMINS = [("exploitation@institut.example", "exploitation@institut.example")]


@pytest.fixture
def admins(settings):
    settings.ADMINS = ADMINS
    settings.DEBUG = False


def fail_as(trainee, client=None):
    client = client or Client(raise_request_exception=False)
    client.force_login(trainee)
    response = client.post(
        "/echec/?" + urlencode({"email": trainee.email}),
        {"email": trainee.email, "nom": trainee.full_name, "telephone": "06 12 34 56 78"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="2001:db8::17",
    )
    assert response.status_code == 500
    return client


def test_a_500_reaches_the_admins_through_the_outbox_without_personal_data(
    admins, trainee, mailoutbox
):
    client = fail_as(trainee)

    email = OutboxEmail.objects.get()
    assert (email.kind, email.to_address) == (KIND, "exploitation@institut.example")
    (message,) = mailoutbox
    assert message.to == ["exploitation@institut.example"]
    assert "/echec/" in message.subject
    body = message.body
    assert "RuntimeError" in body
    assert "Échec en traitant la demande de [email]" in body
    assert "in fail" in body  # the traceback
    assert f"USER: id {trainee.pk}" in body
    assert "telephone = '[Filtered]'" in body  # the field's name, not its value
    session = client.cookies["sessionid"].value
    for value in (
        trainee.email,
        trainee.full_name,
        "06 12 34 56 78",
        "203.0.113.7",
        "2001:db8::17",
        session,
        "SECRET_KEY",
    ):
        assert value not in message.subject + body + email.html, value


def test_the_report_shows_the_accents_of_the_failing_source_line(admins, trainee, mailoutbox):
    fail_as(trainee)

    (message,) = mailoutbox
    line = """raise RuntimeError(f"Échec en traitant la demande de {request.POST.get('email')}")"""
    assert f"    {line}\n" in message.body
    assert "\ufffd" not in message.body


def test_the_debug_page_shows_them_too(settings, trainee):
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    client.force_login(trainee)

    page = client.post("/echec/").content.decode()

    assert "raise RuntimeError(f&quot;Échec en traitant la demande de" in page
    assert "\ufffd" not in page


@pytest.mark.parametrize(
    ("coding", "encoding"), [("", "utf-8"), ("# -*- coding: latin-1 -*-\n", "latin-1")]
)
def test_the_report_reads_a_source_file_as_python_does(tmp_path, coding, encoding):
    """A file no import loader serves (Django opens it itself): UTF-8, or its coding line."""
    source = tmp_path / "refus.py"
    source.write_bytes(
        f'{coding}def refuse():\n    raise ValueError("donnée refusée")\n'.encode(encoding)
    )
    namespace = {"__name__": "refus"}
    exec(compile(source.read_bytes(), str(source), "exec"), namespace)  # no __loader__
    with pytest.raises(ValueError) as raised:
        namespace["refuse"]()

    text = PrivateExceptionReporter(None, raised.type, raised.value, raised.tb).get_traceback_text()

    assert '    raise ValueError("donnée refusée")\n' in text


HEADING = re.compile(r"[^=]*:\s*(''|\[\]|\{\}|None)?")


def empty_headings(body: str) -> list[str]:
    """The report's headings (« Label: » and nothing after it) with nothing under them either."""
    return [
        line
        for line, following in pairwise([*body.splitlines(), ""])
        if HEADING.fullmatch(line) and (not following.strip() or HEADING.fullmatch(following))
    ]


def test_the_report_has_no_empty_heading(admins, trainee, mailoutbox):
    fail_as(trainee)

    (message,) = mailoutbox
    assert empty_headings(message.body) == []
    for left_out in ("Installed Applications", "Installed Middleware", "Settings", "META"):
        assert left_out not in message.body
    assert "Traceback (most recent call last):\n" in message.body
    assert "POST:\nemail = '[Filtered]'" in message.body
    assert trainee.email not in message.body


def test_a_bare_request_names_no_empty_part_of_it(admins, mailoutbox):
    response = Client(raise_request_exception=False).get("/echec/")

    assert response.status_code == 500
    (message,) = mailoutbox
    assert empty_headings(message.body) == []
    for absent in ("Request information", "GET:", "POST:", "FILES:", "COOKIES:", "USER:"):
        assert absent not in message.body
    assert "Échec en traitant la demande de None" in message.body


def test_the_same_500_again_within_minutes_is_one_email(admins, trainee):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        client = fail_as(trainee)
    with time_machine.travel(now + timedelta(seconds=20), tick=False):
        fail_as(trainee, client)
    assert OutboxEmail.objects.count() == 1

    with time_machine.travel(now + timedelta(seconds=2 * REPEAT_WINDOW_SECONDS), tick=False):
        fail_as(trainee, client)
    assert OutboxEmail.objects.count() == 2


def test_no_email_without_admins_nor_with_debug(settings, trainee):
    settings.ADMINS = []
    settings.DEBUG = False
    fail_as(trainee)
    settings.ADMINS = ADMINS
    settings.DEBUG = True
    fail_as(trainee)

    assert not OutboxEmail.objects.exists()
