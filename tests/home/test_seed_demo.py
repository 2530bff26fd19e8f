"""The demo content: seeded once for the module (`seeded_demo`, tests/conftest.py), which the
tests read; the ones that run the command again do it on top of that first run."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from wagtail.models import Page, Site

from home.models import HomePage
from institut.models import User
from institut.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_demo")]


def snapshot():
    return {
        "users": User.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "pages": Page.objects.count(),
        "sites": Site.objects.count(),
        "groups": sorted(
            User.objects.values_list("email", "groups__name").order_by("email", "groups__name")
        ),
    }


def test_it_creates_one_account_per_role_and_the_home_pages(seeded_demo):
    out = seeded_demo
    assert "demo-tst-2026" in out
    for role in Role:
        assert User.objects.filter(groups__name=role.value).exists(), role
    trainee = User.objects.get(email="stagiaire@demo.institut.test")
    assert trainee.check_password("demo-tst-2026")
    assert EmailAddress.objects.get(user=trainee).verified
    # Everyone who certifies or publishes signs in with the documented TOTP secret.
    from institut.demo import DEMO_TOTP_SECRET
    from institut.roles import requires_mfa

    privileged = [user for user in User.objects.all() if requires_mfa(user)]
    assert {user.email for user in privileged} >= {
        "formatrice@demo.institut.test",
        "superviseur@demo.institut.test",
        "commission@demo.institut.test",
        "redaction@demo.institut.test",
        "admin@demo.institut.test",
    }
    for user in privileged:
        totp = Authenticator.objects.get(user=user, type="totp")
        assert decrypt(totp.data["secret"]) == DEMO_TOTP_SECRET, user.email
    assert not Authenticator.objects.filter(user=trainee).exists()
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage) and home.live
    assert home.get_translations().get().locale.language_code == "en"


def test_it_changes_nothing_when_run_twice():
    first = snapshot()  # after the module's first run
    call_command("seed_demo")
    assert snapshot() == first


def test_it_serves_the_seeded_home_page_in_both_languages(client):
    french = client.get("/")
    english = client.get("/en/")
    assert french.status_code == english.status_code == 200
    assert "Les sept étapes de l" in french.content.decode()
    assert "Faire un contrat commun" in french.content.decode()
    assert "The seven steps of the intervention" in english.content.decode()
    assert "Agree a common contract" in english.content.decode()


def test_the_english_home_page_is_a_translation_of_the_french_one_with_its_cards(client):
    """A translator finds the English home page in wagtail-localize, segment by segment, and an
    English visitor gets the same three ways into the site as a French one, in English."""
    from wagtail_localize.models import Translation

    from home import demo as home_demo

    home = home_demo.create_site()
    english = home.get_translations().get()
    assert Translation.objects.filter(
        source__object_id=home.translation_key, target_locale=english.locale
    ).exists()
    page = client.get("/en/").content.decode()
    for title, url in (
        ("Train", "/en/formations/"),
        ("Be supervised", "/en/comptes/signup/"),
        ("Check the TST® mark", "/en/registre/"),
    ):
        assert f'<a href="{url}">{title}</a>' in page
    assert "Se former" not in page


def test_the_demo_site_answers_at_site_url_so_the_terms_address_opens(settings):
    """The terms of sale a payment records (and its invoice prints) are a full address: the
    demo's Wagtail site takes the host and port of SITE_URL (``make run PORT=8001``)."""
    from django.utils import translation

    from courses.payments.services.checkout import terms_of_sale

    settings.SITE_URL = "http://127.0.0.1:8001"
    call_command("seed_demo")  # again, as `make run PORT=8001` after a first seed

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8001)
    with translation.override("fr"):
        assert terms_of_sale().get_full_url().startswith("http://127.0.0.1:8001/")
