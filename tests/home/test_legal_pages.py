"""The legal pages: chosen in the Institut's details, linked from every page's footer in the page's
language, and written by the demo from the details."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Site

from home import demo as home_demo
from home.models import ContentPage, InstitutSettings

pytestmark = pytest.mark.django_db


def details() -> InstitutSettings:
    return InstitutSettings.for_site(Site.objects.get(is_default_site=True))


def add_page(parent, title: str, slug: str, **fields) -> ContentPage:
    page = ContentPage(title=title, slug=slug, introduction=f"{title}.", **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def choose(**pages) -> None:
    settings = details()
    for field, page in pages.items():
        setattr(settings, field, page)
    settings.save()


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


def test_it_links_no_legal_page_from_the_footer_while_none_is_chosen(client, home):
    html = footer(client.get("/").content.decode())

    assert "legal-links" not in html
    assert "Mentions légales" not in html


def test_it_links_only_the_legal_pages_that_are_chosen(client, home):
    notice = add_page(home, "Mentions légales", "mentions-legales")
    choose(legal_notice_page=notice)

    html = footer(client.get("/").content.decode())

    assert '<nav aria-label="Informations légales">' in html
    assert '<li><a href="/mentions-legales/">Mentions légales</a></li>' in html
    assert "Politique de confidentialité" not in html
    assert "Conditions générales de vente" not in html


def test_it_links_the_english_translations_from_the_english_footer(client, home):
    english = Locale.objects.get(language_code="en")
    pages = {}
    for field, title, slug in (
        ("legal_notice_page", "Mentions légales", "mentions-legales"),
        ("privacy_policy_page", "Confidentialité", "confidentialite"),
        ("terms_of_sale_page", "CGV", "cgv"),
    ):
        french = add_page(home, title, slug)
        translated = french.copy_for_translation(english)
        translated.slug = f"{slug}-en"
        translated.save_revision().publish()
        pages[field] = french
    choose(**pages)

    french_footer = footer(client.get("/").content.decode())
    english_footer = footer(client.get("/en/").content.decode())

    assert '<a href="/mentions-legales/">Mentions légales</a>' in french_footer
    assert '<a href="/confidentialite/">Politique de confidentialité</a>' in french_footer
    assert '<a href="/cgv/">Conditions générales de vente</a>' in french_footer
    assert '<nav aria-label="Legal information">' in english_footer
    assert '<a href="/en/mentions-legales-en/">Legal notice</a>' in english_footer
    assert '<a href="/en/confidentialite-en/">Privacy policy</a>' in english_footer
    assert '<a href="/en/cgv-en/">Terms of sale</a>' in english_footer


def test_it_links_the_french_page_from_the_english_footer_until_it_is_translated(client, home):
    choose(privacy_policy_page=add_page(home, "Confidentialité", "confidentialite"))

    html = footer(client.get("/en/").content.decode())

    assert '<a href="/confidentialite/">Privacy policy</a>' in html


def test_it_drops_the_link_of_a_page_unpublished_since(client, home):
    notice = add_page(home, "Mentions légales", "mentions-legales")
    choose(legal_notice_page=notice)
    assert "/mentions-legales/" in footer(client.get("/").content.decode())

    notice.unpublish()

    assert "/mentions-legales/" not in footer(client.get("/").content.decode())


def test_it_shows_a_newly_chosen_page_at_once_despite_the_cache(client, home):
    client.get("/")  # the footer's links are cached: none
    choose(terms_of_sale_page=add_page(home, "CGV", "cgv"))

    html = footer(client.get("/").content.decode())

    assert '<a href="/cgv/">Conditions générales de vente</a>' in html


def queries_of(client, url: str) -> tuple[int, int]:
    """The queries of the page with a cold cache, then again with the cache warm."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts[0], counts[1]


def test_the_footer_links_cost_one_query_with_a_cold_cache_and_none_once_warm(
    client, home, trainee
):
    client.force_login(trainee)
    cold, warm = queries_of(client, "/")
    choose(
        legal_notice_page=add_page(home, "Mentions légales", "mentions-legales"),
        privacy_policy_page=add_page(home, "Confidentialité", "confidentialite"),
        terms_of_sale_page=add_page(home, "CGV", "cgv"),
    )

    cold_with_links, warm_with_links = queries_of(client, "/")

    assert cold_with_links <= cold + 1
    assert warm_with_links <= warm
    assert "/cgv/" in footer(client.get("/").content.decode())


# --- The demo's pages


@pytest.fixture
def legal_demo(home):
    home_demo.create_legal_pages()
    return home


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_demo_chooses_its_three_pages_in_both_languages(client, legal_demo):
    settings = details()
    chosen = [settings.legal_notice_page, settings.privacy_policy_page, settings.terms_of_sale_page]

    assert [page.url for page in chosen] == [
        "/mentions-legales/",
        "/politique-de-confidentialite/",
        "/conditions-generales-de-vente/",
    ]
    assert [
        page.get_translation(Locale.objects.get(language_code="en")).url for page in chosen
    ] == [
        "/en/legal-notice/",
        "/en/privacy-policy/",
        "/en/terms-of-sale/",
    ]
    html = footer(client.get("/en/").content.decode())
    assert '<a href="/en/terms-of-sale/">Terms of sale</a>' in html


def test_the_demo_legal_notice_names_publisher_director_host_and_training_body(client, legal_demo):
    html = text_of(client, "/mentions-legales/")

    assert "Institut Charles Rojzman, 75011 Paris, France" in html
    assert "SIRET : 123 456 789 00012" in html
    assert "Charles Rojzman, Président" in html
    assert "Hébergeur à compléter" in html
    assert "11 75 12345 75" in html
    assert "ne vaut pas agrément de l&#x27;État" in html or "ne vaut pas agrément de l'État" in html
    english = text_of(client, "/en/legal-notice/")
    assert "does not amount to approval by the State" in english


def test_the_demo_privacy_policy_links_the_export_and_erasure_pages_in_each_language(
    client, legal_demo
):
    french = text_of(client, "/politique-de-confidentialite/")
    english = text_of(client, "/en/privacy-policy/")

    assert '<a href="/comptes/donnees/">Mes données</a>' in french
    assert '<a href="/comptes/supprimer/">Supprimer mon compte</a>' in french
    assert '<a href="/en/comptes/donnees/">My data</a>' in english
    assert '<a href="/en/comptes/supprimer/">Delete my account</a>' in english
    assert "10 ans" in french and "10 years" in english
    assert "cookie de session" in french and "cookie CSRF" in french
    assert "strictly needs" in english


def test_the_demo_terms_of_sale_cover_withdrawal_and_refunds(client, legal_demo):
    french = text_of(client, "/conditions-generales-de-vente/")
    english = text_of(client, "/en/terms-of-sale/")

    for heading in ("Inscription", "Prix", "Paiement", "Droit de rétractation", "Annulation"):
        assert heading in french
    assert "14 jours" in french and "L221-18" in french
    assert "TVA non applicable" in french
    assert '<a href="/en/espace/factures/">My invoices</a>' in english


def test_the_demo_terms_of_sale_quote_the_payment_terms_in_each_language(client, legal_demo):
    french = text_of(client, "/conditions-generales-de-vente/")
    english = text_of(client, "/en/terms-of-sale/")

    assert "Paiement des factures : À 30 jours à compter de la date de la facture" in french
    assert "Invoice payment terms: Within 30 days of the invoice date, by bank transfer." in english
    assert "À 30 jours" not in english


def test_the_english_terms_of_sale_quote_the_french_payment_terms_when_none_are_in_english(
    client, home
):
    settings = details()
    settings.invoice_payment_terms = "À réception de la facture, par virement."
    settings.save()

    home_demo.create_legal_pages()

    assert details().invoice_payment_terms_en == ""  # rewritten terms: not the demo's English
    english = text_of(client, "/en/terms-of-sale/")
    assert "Invoice payment terms: À réception de la facture, par virement." in english


@pytest.mark.parametrize(
    ("language", "english_terms", "said"),
    [
        ("fr", "On receipt.", "À réception."),
        ("en", "On receipt.", "On receipt."),
        ("en", "", "À réception."),
    ],
)
def test_the_payment_terms_are_quoted_in_the_page_s_language(language, english_terms, said):
    settings = InstitutSettings(
        invoice_payment_terms="À réception.", invoice_payment_terms_en=english_terms
    )

    assert settings.payment_terms_in(language) == said


def test_the_demo_keeps_a_legal_page_that_staff_edited(legal_demo):
    page = details().legal_notice_page
    page.introduction = "Texte revu par notre avocate."
    page.save_revision().publish()

    home_demo.create_legal_pages()

    page.refresh_from_db()
    assert page.introduction == "Texte revu par notre avocate."
    assert ContentPage.objects.filter(slug="mentions-legales").count() == 1


def test_the_demo_keeps_the_pages_staff_chose(legal_demo):
    own = add_page(legal_demo, "Nos CGV", "nos-cgv")
    choose(terms_of_sale_page=own)
    pages = ContentPage.objects.count()

    home_demo.create_legal_pages()

    assert details().terms_of_sale_page == own
    assert ContentPage.objects.count() == pages
