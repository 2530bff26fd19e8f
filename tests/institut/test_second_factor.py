"""The second factor of the people who certify something: checked for the session (not only
"has an authenticator"), proved again through allauth's reauthentication, and a first
enrolment that needs the e-mailed link."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from institut.roles import Role
from supervision.logbook.models import PracticeEntry
from tests.conftest import Client
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from tests.supervision.logbook.helpers import assign, make_entry

pytestmark = pytest.mark.django_db
SECRET = TOTP_SECRET  # the authenticator of UserFactory(second_factor=True)
SETUP = "/comptes/double-authentification/"


def code(secret: str = SECRET) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def post_code(client, url: str, secret: str = SECRET):
    """Post the current code, the clock held still so that the code's 30 seconds cannot end
    between computing it and checking it."""
    with time_machine.travel(timezone.now(), tick=False):
        return client.post(url, {"code": code(secret)})


@pytest.fixture
def staff(db):
    return UserFactory(
        full_name="Équipe technique", is_staff=True, is_superuser=True, second_factor=True
    )


# Each privileged person and the pages where they certify, decide or publish.
PRIVILEGED_PAGES = [
    ("trainer", "supervision:trainer_home"),
    ("trainer", "supervision:session_create"),
    ("trainer", "supervision:logbook_queue"),
    ("trainer", "supervision:logbook_trainees"),
    ("trainer", "certification:opinions"),
    ("trainer", "courses:training_manage_list"),
    ("trainer", "courses:training_manage_create"),
    ("committee_member", "certification:committee"),
    ("committee_member", "certification:committee_certificates"),
    ("committee_member", "certification:committee_audits"),
    ("committee_member", "supervision:logbook_trainees"),
    ("committee_member", "/admin/"),
    ("editor", "/admin/"),
    ("editor", "/admin/pages/"),
    ("staff", "/admin/"),
    ("staff", "courses:training_bpf"),
    ("staff", "courses:training_manage_list"),
]


def address(name: str) -> str:
    return name if name.startswith("/") else reverse(name)


@pytest.mark.parametrize(("who", "target"), PRIVILEGED_PAGES)
def test_it_refuses_a_session_without_the_second_factor_then_allows_it_after(
    request, client, who, target
):
    user = request.getfixturevalue(who)
    client.force_login(user, second_factor=False)  # the password only, no second factor
    url = address(target)

    refused = client.get(url)
    assert refused.status_code == 302
    reauthenticate = reverse("mfa_reauthenticate")
    assert refused.url.startswith(reauthenticate)
    assert "next=" in refused.url

    form = client.get(refused.url)
    assert form.status_code == 200
    wrong = client.post(refused.url, {"code": "000000" if code() != "000000" else "111111"})
    assert wrong.status_code == 200  # the form again, with its error
    assert client.get(url).status_code == 302  # still refused

    proved = post_code(client, refused.url)
    assert proved.status_code == 302
    assert proved.url == url  # back where they were going
    assert client.get(url).status_code == 200


def test_it_sends_privileged_people_without_an_authenticator_to_set_one_up(client):
    trainer = UserFactory(roles=[Role.TRAINER])
    client.force_login(trainer)
    response = client.get(reverse("supervision:trainer_home"))
    assert response.status_code == 302
    assert response.url.startswith(SETUP)
    assert "next=%2Fsupervision%2F" in response.url


def test_it_lets_trainees_through_without_a_second_factor(client, trainee):
    client.force_login(trainee, second_factor=False)
    assert client.get(reverse("courses:dashboard")).status_code == 200
    assert client.get(reverse("supervision:logbook_home")).status_code == 200
    # A trainer's page stays a 404 for them, not a request for a second factor.
    assert client.get(reverse("supervision:trainer_home")).status_code == 404


def test_it_keeps_a_posted_approval_aside_until_the_second_factor(client, trainee, trainer):
    """A stand-alone POST that certifies hours is not applied on the password alone; once the
    code is given, allauth replays it."""
    assign(trainee, trainer)
    entry = make_entry(trainee, "submitted")
    client.force_login(trainer, second_factor=False)
    review = reverse("supervision:logbook_entry_review", args=[entry.pk])

    refused = client.post(review, {"decision": "approve"})
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("mfa_reauthenticate"))
    assert PracticeEntry.objects.get(pk=entry.pk).status == "submitted"

    post_code(client, refused.url)
    assert PracticeEntry.objects.get(pk=entry.pk).status == "approved"


def test_a_real_login_with_the_totp_code_opens_the_committee_pages(client, committee_member):
    client.post("/comptes/login/", {"login": committee_member.email, "password": PASSWORD})
    post_code(client, "/comptes/2fa/authenticate/")
    assert client.session["_auth_user_id"] == str(committee_member.pk)
    assert client.get(reverse("certification:committee")).status_code == 200


# --- First enrolment: the e-mailed link ---------------------------------------------------------


@pytest.fixture
def newcomer(db):
    """A trainer who has not set up any second factor yet."""
    return UserFactory(full_name="Nouvelle Formatrice", roles=[Role.TRAINER])


def ask_for_link(client, mailoutbox) -> str:
    response = client.post(SETUP, {"action": "send"})
    assert response.status_code == 302
    message = mailoutbox[-1]
    link = re.search(
        r"https?://[^/\s]+(/comptes/double-authentification/confirmer/\S+/)", message.body
    )
    return link.group(1)


def activation_is_gated(client) -> bool:
    response = client.get(reverse("mfa_activate_totp"))
    return response.status_code == 302 and response.url.startswith(SETUP)


# allauth announces the new authenticator once its transaction commits, still inside the request:
# a transactional test lets that happen as in production.
@pytest.mark.django_db(transaction=True)
def test_a_first_enrolment_needs_the_emailed_link(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    assert client.get(reverse("supervision:trainer_home")).url.startswith(SETUP)
    client.get(SETUP + "?next=" + reverse("supervision:trainer_home"))
    assert activation_is_gated(client)
    assert client.get(reverse("mfa_add_webauthn")).url.startswith(SETUP)
    assert not mailoutbox

    link = ask_for_link(client, mailoutbox)
    assert mailoutbox[-1].to == [newcomer.email]
    assert activation_is_gated(client)  # asked for, not yet followed

    followed = client.get(link)
    assert followed.status_code == 302
    assert not activation_is_gated(client)
    assert not client.get(reverse("mfa_add_webauthn")).url.startswith(SETUP)

    # allauth then asks for the password again, and shows the secret to scan.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    with time_machine.travel(timezone.now(), tick=False):
        codes = client.post(reverse("mfa_activate_totp"), {"code": code(secret)}, follow=True)
    assert Authenticator.objects.filter(user=newcomer, type="totp").exists()
    # Enrolling proved the new factor for this session: back to the trainer's pages, which open.
    assert "reprendre=1" in codes.content.decode()
    back = client.get(SETUP + "?reprendre=1")
    assert back.url == reverse("supervision:trainer_home")
    assert client.get(back.url).status_code == 200


def test_a_used_link_is_refused(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    link = ask_for_link(client, mailoutbox)
    client.get(link)
    client.logout()
    client.force_login(newcomer)
    again = client.get(link)
    assert again.status_code == 302
    assert activation_is_gated(client)
    assert "pas valable" in client.get(SETUP).content.decode()


def test_a_link_followed_twice_is_refused_the_second_time(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    link = ask_for_link(client, mailoutbox)
    client.get(link)
    client.get(link)
    assert "pas valable" in client.get(SETUP).content.decode()


def test_an_expired_link_is_refused(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    link = ask_for_link(client, mailoutbox)
    later = timezone.now() + timedelta(seconds=settings.SECOND_FACTOR_LINK_MAX_AGE + 60)
    with time_machine.travel(later, tick=False):
        client.get(link)
        assert activation_is_gated(client)


def test_only_the_latest_link_works(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    first = ask_for_link(client, mailoutbox)
    ask_for_link(client, mailoutbox)
    client.get(first)
    assert activation_is_gated(client)


def test_a_link_works_only_in_the_session_that_asked_for_it(client, newcomer, mailoutbox):
    """The thief who knows the password asks; the link reaches the owner, whose browser (another
    session) cannot complete the thief's enrolment, and the thief's session never sees it."""
    thief = Client()
    thief.force_login(newcomer)
    link = ask_for_link(thief, mailoutbox)
    client.force_login(newcomer)
    client.get(link)
    assert activation_is_gated(client)
    assert activation_is_gated(thief)


def test_a_tampered_or_another_persons_link_is_refused(client, newcomer, trainer, mailoutbox):
    other = UserFactory(roles=[Role.TRAINER])
    other_client = Client()
    other_client.force_login(other)
    others_link = ask_for_link(other_client, mailoutbox)
    client.force_login(newcomer)
    ask_for_link(client, mailoutbox)
    assert client.get(others_link).status_code == 302
    assert client.get(SETUP + "confirmer/abc:def:ghi/").status_code == 302
    assert activation_is_gated(client)


def test_trainees_enrol_without_the_link(client, trainee):
    client.force_login(trainee)
    assert not activation_is_gated(client)


def test_the_setup_page_offers_an_app_and_a_passkey(client, newcomer):
    client.force_login(newcomer)
    html = client.get(SETUP).content.decode()
    assert "Application d'authentification" in html
    assert "Clé d'accès (passkey)" in html
    assert "M'envoyer le lien de confirmation" in html
    # Once the link is followed, both are offered.
    session = client.session
    session["second_factor_enrolment_confirmed"] = {"user": newcomer.pk, "at": time.time()}
    session.save()
    html = client.get(SETUP).content.decode()
    assert reverse("mfa_activate_totp") in html
    assert reverse("mfa_add_webauthn") in html


def test_the_passkey_page_works_after_the_link(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    client.get(ask_for_link(client, mailoutbox))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_add_webauthn"))
    assert page.status_code == 200
    assert "creation_options" in page.content.decode()


def test_the_login_page_offers_a_passkey(client):
    assert reverse("mfa_login_webauthn") in client.get("/comptes/login/").content.decode()


# The stand-alone forms that certify, decide or sign (any object: the gate comes before it).
CERTIFYING_POSTS = [
    ("trainer", "supervision:attendance", [999999]),
    ("trainer", "supervision:record_correct", [999999]),
    ("trainer", "supervision:logbook_entry_review", [999999]),
    ("trainer", "supervision:logbook_period_confirm", [999999]),
    ("trainer", "supervision:logbook_queue", []),
    ("trainer", "certification:opinion", [999999]),
    ("trainer", "courses:training_slot", [999999, 999999]),
    ("trainer", "courses:training_status", [999999]),
    ("committee_member", "certification:committee_application", [999999]),
    ("committee_member", "certification:committee_certificate", [999999]),
    ("committee_member", "certification:committee_audit", [999999]),
    ("staff", "courses:training_place", [999999]),
    ("staff", "courses:training_pack", [999999]),
]


@pytest.mark.parametrize(("who", "name", "args"), CERTIFYING_POSTS)
def test_it_refuses_certifying_posts_without_the_second_factor(request, client, who, name, args):
    user = request.getfixturevalue(who)
    url = reverse(name, args=args)
    client.force_login(user, second_factor=False)
    refused = client.post(url, {"decision": "approve"})
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("mfa_reauthenticate"))
    # With the second factor, the request reaches the view (which finds no such object).
    client.force_login(user)
    assert client.post(url, {}).status_code in (200, 400, 404)


def test_the_setup_page_speaks_english_under_the_english_prefix(client, newcomer):
    client.force_login(newcomer)
    html = client.get("/en" + SETUP).content.decode()
    assert "Send me the confirmation link" in html
    assert "Passkey" in html


def test_it_sends_at_most_three_links_in_ten_minutes(client, newcomer, mailoutbox):
    client.force_login(newcomer)
    for _ in range(4):
        client.post(SETUP, {"action": "send"})
    assert len(mailoutbox) == 3
    assert "Trop de demandes" in client.get(SETUP).content.decode()


def test_a_posted_form_without_any_factor_returns_to_the_page_that_showed_it(client):
    trainer = UserFactory(roles=[Role.TRAINER])
    client.force_login(trainer)
    review = reverse("supervision:logbook_entry_review", args=[1])
    queue = "http://testserver" + reverse("supervision:logbook_queue")
    response = client.post(review, {"decision": "approve"}, HTTP_REFERER=queue)
    assert response.url == SETUP + "?next=%2Fsupervision%2Fcarnets%2F"
    elsewhere = client.post(review, {}, HTTP_REFERER="https://example.com/")
    assert elsewhere.url == SETUP
