"""A new trainer is asked for a second factor, confirms the request by the e-mailed link, registers
a passkey (a virtual authenticator stands in for the phone), reaches the supervisor's pages, and
later signs in with the passkey alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from institut.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page) -> None:
    """Chromium's virtual authenticator: a platform passkey with user verification."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_a_new_trainer_registers_a_passkey_through_the_emailed_link(
    page, live_server, demo, login, mailoutbox
):
    trainer = UserFactory(full_name="Nadia Ferhat", roles=[Role.TRAINER])
    virtual_authenticator(page)
    refused = []  # allauth's passkey scripts run under the site's Content-Security-Policy
    page.on("console", lambda msg: "Content Security Policy" in msg.text and refused.append(msg))

    # The supervisor's space asks for a second factor first.
    login(page, trainer.email, password=PASSWORD)
    page.goto(live_server.url + "/supervision/")
    expect(page.locator("h1")).to_have_text("Double authentification")
    expect(page.locator("#second-factor-options")).to_contain_text("Clé d'accès (passkey)")

    # The request is confirmed by the link sent to the verified address, in this browser.
    page.get_by_role("button", name="M'envoyer le lien de confirmation").click()
    expect(page.locator(".messages")).to_contain_text("lien de confirmation")
    link = re.search(r"https?://\S+/confirmer/\S+/", mailoutbox[-1].body).group(0)
    page.goto(live_server.url + link[link.index("/comptes/") :])
    expect(page.locator(".messages")).to_contain_text("Adresse confirmée")

    # allauth asks for the password again, then the passkey is created.
    page.get_by_role("link", name="Ajouter une clé d'accès").click()
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/2fa/webauthn/add/"))
    passwordless = page.locator("input[name=passwordless]")
    if passwordless.count():
        passwordless.check()
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(re.compile(r"/2fa/(recovery-codes|$)"))

    # The enrolment proved the factor for this session: the supervisor's space opens.
    page.goto(live_server.url + "/supervision/")
    expect(page.locator("main")).not_to_contain_text("Double authentification")
    assert "/supervision/" in page.url

    # Later, the passkey alone signs in, and counts as the second factor.
    page.context.clear_cookies()
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#passkey_login").click()
    page.wait_for_url(lambda url: "/comptes/login/" not in url)
    page.goto(live_server.url + "/supervision/")
    assert page.url.rstrip("/").endswith("/supervision")
    assert not [msg.text for msg in refused]
