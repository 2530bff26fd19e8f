"""Accounts through allauth: sign-up with verification, login, rate limits, enumeration, MFA."""

import re

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.test import RequestFactory

from institut.decorators import role_required
from institut.models import User
from institut.roles import Role, is_committee_member
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def signup(client, email="nouvelle@example.org", name="Léa  Fontaine"):
    return client.post(
        "/comptes/signup/",
        {"full_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_it_signs_up_verifies_the_address_then_logs_in(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    assert response.url == "/comptes/confirm-email/"
    user = User.objects.get(email="nouvelle@example.org")
    assert user.full_name == "Léa Fontaine"
    assert user.groups.filter(name=Role.TRAINEE.value).exists()
    assert "_auth_user_id" not in client.session  # not logged in before verification

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nouvelle@example.org"]
    link = re.search(r"http://testserver(/comptes/confirm-email/[^/\s]+/)", message.body).group(1)

    # Logging in before confirming only re-sends the verification.
    response = client.post("/comptes/login/", {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    page = client.get(link)
    assert page.status_code == 200
    assert "Confirmer" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified

    response = client.post(
        "/comptes/login/", {"login": "Nouvelle@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_speaks_french_on_the_login_page(client):
    html = client.get("/comptes/login/").content.decode()
    assert '<html lang="fr">' in html
    assert "Mot de passe" in html
    assert "Aller au contenu" in html  # the site's layout, not allauth's bare one


def test_it_refuses_a_signup_without_a_name_and_writes_nothing(client):
    response = signup(client, name=" ")
    assert response.status_code == 200
    assert "Champ requis." in response.content.decode()
    assert not User.objects.filter(email="nouvelle@example.org").exists()


def test_it_answers_429_past_the_login_rate_limit(client):
    for attempt in range(30):
        response = client.post(
            "/comptes/login/", {"login": f"inconnu{attempt}@example.org", "password": "x"}
        )
        assert response.status_code == 200
    response = client.post("/comptes/login/", {"login": "inconnu@example.org", "password": "x"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_it_locks_an_account_after_repeated_failed_logins(client, trainee):
    for _ in range(5):
        client.post("/comptes/login/", {"login": trainee.email, "password": "wrong"})
    response = client.post("/comptes/login/", {"login": trainee.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def test_it_answers_the_same_to_known_and_unknown_addresses_on_reset(client, trainee, mailoutbox):
    known = client.post("/comptes/password/reset/", {"email": trainee.email})
    unknown = client.post("/comptes/password/reset/", {"email": "personne@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # Both addresses get a message; only the account holder's contains a reset link.
    assert {m.to[0] for m in mailoutbox} == {trainee.email, "personne@example.org"}
    by_address = {m.to[0]: m.body for m in mailoutbox}
    assert "/comptes/password/reset/key/" in by_address[trainee.email]
    assert "/comptes/password/reset/key/" not in by_address["personne@example.org"]


def test_it_answers_the_same_to_a_signup_with_a_taken_address(client, trainee, mailoutbox):
    taken = signup(client, email=trainee.email)
    fresh = signup(client, email="libre@example.org")
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert User.objects.filter(email=trainee.email).count() == 1


def test_it_sends_a_committee_member_without_mfa_to_set_it_up(client, committee_member_without_mfa):
    client.force_login(committee_member_without_mfa)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/comptes/double-authentification/")
    assert "next=%2Fadmin%2F" in response.url
    pages = client.get("/admin/pages/")
    assert pages.status_code == 302 and "/double-authentification/" in pages.url


def test_it_lets_a_committee_member_with_mfa_into_the_admin(client, committee_member):
    client.force_login(committee_member)
    assert client.get("/admin/").status_code == 200


def test_it_keeps_trainees_out_of_the_admin(client, trainee):
    client.force_login(trainee)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "Cet espace est réservé à l'équipe de l'Institut" in response.content.decode()


def test_it_asks_for_the_totp_code_when_a_committee_member_logs_in(client, committee_member):
    response = client.post(
        "/comptes/login/", {"login": committee_member.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url.startswith("/comptes/2fa/authenticate/")
    assert "_auth_user_id" not in client.session
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time

    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(SECRET, counter))
    response = client.post("/comptes/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(committee_member.pk)


def test_it_redirects_the_old_admin_login_to_the_mfa_aware_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url == "/comptes/login/?next=/admin/"


def _committee_view(request):
    from django.http import HttpResponse

    return HttpResponse("décision")


@pytest.mark.parametrize(
    ("who", "second_factor", "expected", "goes_to"),
    [
        ("trainee", True, 404, None),
        ("committee_member_without_mfa", False, 302, "/double-authentification/"),
        ("committee_member", False, 302, "/2fa/reauthenticate/"),
        ("committee_member", True, 200, None),
    ],
)
def test_it_guards_committee_actions_by_role_and_mfa(
    request, who, second_factor, expected, goes_to
):
    user = request.getfixturevalue(who)
    view = role_required(is_committee_member, mfa=True)(_committee_view)
    http_request = RequestFactory().get("/certification/commission/")
    http_request.user = user
    http_request.session = {}
    if second_factor:
        http_request.session = {
            "account_authentication_methods": [{"method": "mfa", "at": 0, "type": "totp"}],
            "account_authentication_methods_user": str(user.pk),
        }
    from django.contrib.messages.storage.fallback import FallbackStorage

    http_request._messages = FallbackStorage(http_request)
    if expected == 404:
        from django.http import Http404

        with pytest.raises(Http404):
            view(http_request)
        return
    response = view(http_request)
    assert response.status_code == expected
    if goes_to:
        assert goes_to in response.url


def test_it_creates_the_four_role_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.value for role in Role} <= names


def test_it_lowercases_and_keeps_unique_addresses():
    user = UserFactory(email="Mixed.Case@Example.ORG")
    user.full_clean()
    assert User.objects.filter(email__iexact="mixed.case@example.org").exists()


@pytest.mark.parametrize(
    ("prefix", "greeting", "instruction"),
    [
        ("", "Bonjour Léa Fontaine,", "Pour la confirmer, ouvrez ce lien :"),
        ("/en", "Hello Léa Fontaine,", "To confirm it, open this link:"),
    ],
)
def test_the_confirmation_e_mail_greets_the_new_person_and_gives_the_link(
    client, mailoutbox, prefix, greeting, instruction
):
    client.post(
        f"{prefix}/comptes/signup/",
        {
            "full_name": "Léa Fontaine",
            "email": "nouvelle@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    (message,) = mailoutbox
    assert message.body.startswith(f"{greeting}\n\n")
    assert re.search(
        rf"{instruction}\nhttp://testserver{prefix}/comptes/confirm-email/[^/\s]+/\n", message.body
    )
    assert "utilisateur" not in message.body and " user " not in message.body
