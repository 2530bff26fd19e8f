"""Co-signing a period by a supervisor without an account: a signed link sent by e-mail, used
once, until it expires; a typed name; who, when, from where recorded; permanent."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from supervision.logbook import services
from supervision.logbook.models import (
    LockedEntryError,
    PeriodCosignRequest,
    PeriodExternalConfirmation,
    PeriodSummary,
)
from tests.supervision.logbook.helpers import make_entry, supervised  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("supervised"), pytest.mark.calendar]

SUPERVISOR = "Élise Fontaine"
EMAIL = "elise.fontaine@exemple.org"


@pytest.fixture
def period(trainee, trainer):
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    make_entry(trainee, "approved", trainer, date=start, duration_minutes=120, steps=["contrat"])
    return services.period_summary_close(trainee=trainee, start=start, end=end)


def request_link(client, trainee, period, mailoutbox, django_capture_on_commit_callbacks) -> str:
    """The trainee asks from the period page; the link is read back from the e-mail sent."""
    client.force_login(trainee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("supervision:logbook_period_cosign_request", args=[period.pk]),
            {"supervisor_name": SUPERVISOR, "supervisor_email": EMAIL},
        )
    assert response.status_code == 302
    client.logout()
    # (the trainee's own notices, such as an entry approved, may be in the outbox too)
    (message,) = [message for message in mailoutbox if message.to == [EMAIL]]
    return re.search(r"http\S+/carnet-de-pratique/cosigner/\S+/", message.body).group(0)


def path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def link(client, trainee, period, mailoutbox, django_capture_on_commit_callbacks):
    return path(
        request_link(client, trainee, period, mailoutbox, django_capture_on_commit_callbacks)
    )


def sign(client, link, name=SUPERVISOR, **extra):
    return client.post(link, {"signer_name": name, "confirm": "on"}, **extra)


def test_the_email_names_the_trainee_and_the_period(period, trainee, link, mailoutbox):
    (message,) = [message for message in mailoutbox if message.to == [EMAIL]]
    assert trainee.full_name in message.subject
    assert "ne sert qu'une fois" in message.body and "14 jours" in message.body


def test_the_supervisor_sees_the_summary_and_signs_with_their_name(client, link, period, trainee):
    page = client.get(link)
    assert page.status_code == 200
    assert trainee.full_name in text(page) and "Signer le bilan" in text(page)
    assert page["Cache-Control"] == "no-store"
    response = sign(
        client,
        link,
        "  élise   FONTAINE ",
        HTTP_USER_AGENT="Firefox/140.0",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200 and "Bilan confirmé" in text(response)
    period.refresh_from_db()
    assert period.status == PeriodSummary.Status.CONFIRMED
    assert period.confirmed_externally and period.confirmed_by is None
    signature = PeriodExternalConfirmation.objects.get(period=period)
    assert signature.signer_name == "élise FONTAINE"
    assert signature.signer_email == EMAIL
    assert signature.ip_address == "203.0.113.9"
    assert signature.user_agent == "Firefox/140.0"
    assert abs(signature.signed_at - timezone.now()) < timedelta(minutes=1)
    assert period.signer_name == "élise FONTAINE"


def test_a_used_link_says_so(client, link):
    sign(client, link)
    response = client.get(link)
    assert response.status_code == 410
    assert "Ce lien a déjà servi" in text(response)
    assert sign(client, link).status_code == 410
    assert PeriodExternalConfirmation.objects.count() == 1


def test_an_expired_link_says_so(client, link, settings):
    with time_machine.travel(
        timezone.now() + timedelta(days=settings.LOGBOOK_COSIGN_LINK_DAYS, minutes=1)
    ):
        response = client.get(link)
        assert response.status_code == 410 and "Ce lien a expiré" in text(response)
        assert sign(client, link).status_code == 410
    assert not PeriodExternalConfirmation.objects.exists()


def test_the_expiry_is_a_setting(client, link, settings):
    settings.LOGBOOK_COSIGN_LINK_DAYS = 2
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert client.get(link).status_code == 410


@pytest.mark.parametrize(
    "alter",
    [
        lambda token: token[:-3],
        lambda token: token[:10] + ("A" if token[10] != "A" else "B") + token[11:],
        lambda token: signing.dumps({"r": 1, "n": "guessed"}, salt="another salt"),
        lambda token: "not-a-token",
    ],
)
def test_an_altered_link_says_so(client, link, alter):
    token = link.rstrip("/").rsplit("/", 1)[1]
    altered = link.replace(token, alter(token))
    response = client.get(altered)
    assert response.status_code == 404
    assert "n'est pas valide" in text(response)
    assert sign(client, altered).status_code == 404
    assert not PeriodExternalConfirmation.objects.exists()


def test_a_link_with_another_request_id_is_refused(client, link, period, trainee):
    other = services.period_cosign_request(
        period=period, trainee=trainee, supervisor_name="Autre", supervisor_email="a@exemple.org"
    )
    forged = signing.dumps({"r": other.pk, "n": "wrong nonce"}, salt=services.COSIGN_SALT)
    assert client.get(f"/carnet-de-pratique/cosigner/{forged}/").status_code == 404


def test_the_typed_name_must_be_the_named_supervisor(client, link, period):
    response = sign(client, link, "Quelqu'un d'autre")
    assert response.status_code == 400
    assert f"Saisissez votre nom tel que le ou la stagiaire l'a indiqué : {SUPERVISOR}" in text(
        response
    )
    period.refresh_from_db()
    assert period.status == PeriodSummary.Status.CLOSED
    assert client.get(link).status_code == 200  # the link still works


def test_a_period_confirmed_meanwhile_closes_the_link(client, link, period, trainer):
    services.period_summary_confirm(period=period, supervisor=trainer)
    response = client.get(link)
    assert response.status_code == 409 and "déjà confirmé" in text(response)


def test_only_the_trainee_asks_for_a_cosignature(period, other_trainee, trainer):
    with pytest.raises(PermissionDenied):
        services.period_cosign_request(
            period=period, trainee=other_trainee, supervisor_name="X", supervisor_email=EMAIL
        )


def test_another_person_cannot_ask_from_the_page(client, period, other_trainee):
    client.force_login(other_trainee)
    response = client.post(
        reverse("supervision:logbook_period_cosign_request", args=[period.pk]),
        {"supervisor_name": SUPERVISOR, "supervisor_email": EMAIL},
    )
    assert response.status_code == 404
    assert not PeriodCosignRequest.objects.exists()


def test_the_signature_is_permanent(client, link, period):
    sign(client, link)
    signature = PeriodExternalConfirmation.objects.get()
    signature.signer_name = "Autre"
    with pytest.raises(LockedEntryError):
        signature.save()
    with pytest.raises(LockedEntryError):
        signature.delete()
    period.refresh_from_db()
    with pytest.raises(LockedEntryError):
        period.delete()


def test_the_request_is_refused_once_the_period_is_confirmed(period, trainee, trainer):
    services.period_summary_confirm(period=period, supervisor=trainer)
    with pytest.raises(ValidationError):
        services.period_cosign_request(
            period=period, trainee=trainee, supervisor_name=SUPERVISOR, supervisor_email=EMAIL
        )


def test_the_trainee_sees_who_signed_and_how(client, link, period, trainee):
    sign(client, link)
    client.force_login(trainee)
    page = text(client.get(reverse("supervision:logbook_period_detail", args=[period.pk])))
    assert f"Confirmée et signée par {SUPERVISOR}" in page
    assert f"par le lien envoyé à {EMAIL}" in page


def test_a_used_link_writes_when_in_the_page_s_language(client, link):
    sign(client, link)
    used_at = timezone.localtime(PeriodCosignRequest.objects.get().used_at)
    english = f"/en{link}" if not link.startswith("/en/") else link
    french = link.removeprefix("/en")

    assert f"confirmed on {used_at:%-d %B %Y, %H:%M}. A confirmation" in text(client.get(english))
    assert f"confirmé le {used_at.day}" in text(client.get(french))
    assert " à " in text(client.get(french)).split("confirmé le", 1)[1][:30]
