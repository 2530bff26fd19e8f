"""allauth's pages are titled like the site's: sentence case, a verb for an action."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def title_and_heading(client, path: str) -> tuple[str, str]:
    html = client.get(path).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    return " ".join(title.split()), " ".join(heading.split())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/comptes/login/", "Se connecter"),
        ("/comptes/signup/", "Créer un compte"),
        ("/en/comptes/login/", "Sign in"),
        ("/en/comptes/signup/", "Create an account"),
        ("/en/comptes/password/reset/", "Password reset"),
        ("/en/comptes/confirm-email/", "Verify your email address"),
    ],
)
def test_it_titles_the_account_pages_in_the_site_s_sentence_case(client, path, expected):
    title, heading = title_and_heading(client, path)

    assert title.startswith(f"{expected} · ")
    assert heading == expected


def test_a_signed_in_person_reads_the_note_with_each_language_s_colon(client, trainee):
    client.force_login(trainee)

    french = " ".join(client.get("/comptes/password/reset/").content.decode().split())
    english = " ".join(client.get("/en/comptes/password/reset/").content.decode().split())

    assert "<strong>Remarque :</strong> Vous êtes déjà connecté·e en tant que" in french
    assert "Remarque:" not in french
    assert "<strong>Note:</strong> You are already signed in as" in english


@pytest.mark.parametrize(
    ("path", "expected", "replaced"),
    [
        ("/comptes/login/", "Pas encore de compte ? Créez-en un.", "merci de vous enregistrer"),
        ("/comptes/signup/", "Vous avez déjà un compte ? Connectez-vous.", "Vous pouvez donc"),
    ],
)
def test_it_points_to_the_other_account_page_in_the_site_s_french(client, path, expected, replaced):
    html = client.get(path).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())

    assert expected in text
    assert replaced not in text
