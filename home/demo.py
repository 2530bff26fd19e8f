"""Demo site: the French home page, its English translation (wagtail-localize), the Institut's
details."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from home import legal_demo
from home.models import HomePage, InstitutSettings
from institut.content_translation import translate, with_block_ids

HOME_FR = {
    "title": "Accueil",
    "hero_title": "Former, superviser et certifier les intervenant·es en Thérapie Sociale TST®",
    "hero_text": (
        "L'Institut Charles Rojzman accompagne les professionnel·les qui aident quartiers, "
        "institutions et organisations à sortir des blocages de la coopération. Formations en "
        "ligne, supervision régulière et registre public des intervenant·es certifié·es."
    ),
    "body": [
        {
            "type": "heading",
            "value": {"text": "Transformer la violence en conflit constructif", "level": "h2"},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Quand un groupe n'arrive plus à travailler ensemble, ce n'est pas faute de "
                "bonne volonté : les peurs, les préjugés et les informations qui ne circulent pas "
                "bloquent la coopération. La Thérapie Sociale propose un cadre où les désaccords "
                "peuvent s'exprimer et être traversés, pour que le groupe retrouve un projet "
                "commun et des solutions à sa mesure.</p>"
            ),
        },
        {
            "type": "cards",
            "value": [
                {
                    "title": "Se former",
                    "text": "Des parcours en ligne organisés autour des sept étapes de la méthode.",
                    "page": None,
                    "url": "/formations/",
                },
                {
                    "title": "Être supervisé·e",
                    "text": "Des séances individuelles et collectives pour analyser sa pratique.",
                    "page": None,
                    "url": "/comptes/signup/",
                },
                {
                    "title": "Vérifier la marque TST®",
                    "text": "Le registre public indique qui détient un certificat valide.",
                    "page": None,
                    "url": "/registre/",
                },
            ],
        },
    ],
}

HOME_EN = {
    "title": "Home",
    "hero_title": "Training, supervising and certifying Social Therapy TST® practitioners",
    "hero_text": (
        "The Institut Charles Rojzman supports practitioners who help neighbourhoods, "
        "institutions and organisations out of blocked cooperation. Online courses, regular "
        "supervision and a public register of certified practitioners."
    ),
    "body": [
        {
            "type": "heading",
            "value": {"text": "Turning violence into constructive conflict", "level": "h2"},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>When a group can no longer work together, goodwill is rarely what is missing: "
                "fear, prejudice and information that does not circulate block cooperation. Social "
                "Therapy offers a setting where disagreements can be voiced and worked through, so "
                "that the group finds a shared project and solutions it can carry.</p>"
            ),
        },
        {
            "type": "cards",
            "value": [
                {
                    "title": "Train",
                    "text": "Online courses built around the seven steps of the method.",
                    "page": None,
                    "url": "/en/formations/",
                },
                {
                    "title": "Be supervised",
                    "text": "Individual and group sessions to reflect on your practice.",
                    "page": None,
                    "url": "/en/comptes/signup/",
                },
                {
                    "title": "Check the TST® mark",
                    "text": "The public register shows who holds a valid certificate.",
                    "page": None,
                    "url": "/en/registre/",
                },
            ],
        },
    ],
}


def _home_page(content: dict, **fields) -> HomePage:
    page = HomePage(
        title=content["title"],
        hero_title=content["hero_title"],
        hero_text=content["hero_text"],
        body=content["body"],
        **fields,
    )
    with_block_ids(page)  # the cards' items with ids, as the editor saves them: translatable
    return page


@transaction.atomic
def create_site() -> HomePage:
    """The home page in French (site root) and English, and the Institut's details."""
    french = Locale.objects.get_or_create(language_code="fr")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=french).first()
    if home is None:
        # Replace Wagtail's placeholder page with ours.
        Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()
        home = _home_page(HOME_FR, slug="accueil", locale=french)
        root.add_child(instance=home)
        home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, root_page=home)
    site.hostname, site.port = site_address()
    site.root_page = home
    site.site_name = "Institut Charles Rojzman"
    site.save()

    if not HomePage.objects.filter(locale=english, translation_key=home.translation_key).exists():
        # Translated segment by segment, as the courses are: a translator takes it over in
        # wagtail-localize (README, *Translations*).
        translate(home, _home_page(HOME_EN, slug=home.slug), locale=english)

    details = InstitutSettings.for_site(site)
    if not details.address:
        details.address = "75011 Paris, France"
        details.contact_email = "contact@institut-charlesrojzman.test"
        details.save()
    if not details.representative_name:
        details.siret = details.siret or "123 456 789 00012"
        details.training_body_number = details.training_body_number or "11 75 12345 75"
        details.representative_name = "Charles Rojzman"
        details.representative_title = "Président"
        details.signature_city = "Paris"
        details.accessibility_referent_name = "Nadia Ferhat"
        details.accessibility_referent_email = "accessibilite@institut-charlesrojzman.test"
        details.accessibility_referent_phone = "01 23 45 67 89"
        details.training_rules = (
            "Merci d'arriver dix minutes avant le début de chaque demi-journée et de signer "
            "la feuille d'émargement à chaque demi-journée. Ce qui est dit dans le groupe reste "
            "dans le groupe. En cas d'absence, prévenez l'Institut au plus tôt."
        )
        details.training_rules_en = (
            "Please arrive ten minutes before each half-day begins and sign the attendance "
            "sheet at each half-day. What is said in the group stays in the group. If you "
            "cannot come, tell the Institut as early as you can."
        )
        details.save()
    return home


def site_address() -> tuple[str, int]:
    """The host name and port of SITE_URL (« http://127.0.0.1:8000 » under ``make run``): the
    demo's Wagtail site answers there, so that the full addresses it gives (the terms of sale a
    payment records and its invoice prints, « Voir en ligne » in the admin) open on the demo."""
    address = urlsplit(settings.SITE_URL)
    return address.hostname or "localhost", address.port or (
        443 if address.scheme == "https" else 80
    )


@transaction.atomic
def create_legal_pages(cast: dict | None = None) -> None:
    """The legal notice, privacy policy and terms of sale, in French and English, chosen in the
    Institut's details (after create_site; the host stays a placeholder for staff to fill)."""
    home = HomePage.objects.get(locale__language_code="fr")
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    if not details.hosting_provider:
        details.hosting_provider = legal_demo.HOSTING_PLACEHOLDER
        details.save()
    french_terms = InstitutSettings._meta.get_field("invoice_payment_terms").default
    if not details.invoice_payment_terms_en and details.invoice_payment_terms == french_terms:
        # The English of the default terms; terms staff rewrote are theirs to translate.
        details.invoice_payment_terms_en = "Within 30 days of the invoice date, by bank transfer."
        details.save()
    legal_demo.create_legal_pages(home=home, details=details)


def synchronise_english_tree(cast: dict | None = None) -> None:
    """wagtail-localize's "Sync from French" on the English locale: a French page created from
    now on appears in English at once, as an alias showing the French content (marked
    lang="fr") under /en/, until a translator translates it."""
    from wagtail_localize.models import LocaleSynchronization

    french = Locale.objects.get(language_code="fr")
    english = Locale.objects.get(language_code="en")
    LocaleSynchronization.objects.get_or_create(locale=english, defaults={"sync_from": french})
