"""Demo legal pages: the legal notice (LCEN art. 6), the privacy policy (GDPR art. 13) and the
terms of sale (CGV), in French and in English, written from the Institut's details and from what
the product really does (docs/data-protection.md, courses/payments). The Institut's counsel
reviews them before the site goes online: they are a starting point, not legal advice.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, linebreaks
from wagtail.models import Locale
from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    Translation,
    TranslationSource,
)

from home.models import ContentPage, HomePage, InstitutSettings
from institut.content_translation import ShapeMismatch, translate, with_block_ids

HOSTING_PLACEHOLDER = (
    "[Hébergeur à compléter : raison sociale, adresse et téléphone de l'hébergeur du site]"
)


def _url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def _facts(details: InstitutSettings, language: str) -> dict:
    """The details the pages in `language` quote, escaped for rich text."""
    facts = {
        name: escape(getattr(details, name) or "")
        for name in (
            "organisation_name",
            "address",
            "contact_email",
            "phone",
            "siret",
            "vat_number",
            "training_body_number",
            "representative_name",
            "representative_title",
        )
    }
    facts["invoice_payment_terms"] = escape(details.payment_terms_in(language))
    facts["address"] = facts["address"].replace("\n", ", ")
    facts["hosting"] = linebreaks(details.hosting_provider or HOSTING_PLACEHOLDER)
    facts["invoice_years"] = settings.INVOICE_RETENTION_YEARS
    facts["unverified_days"] = settings.PRIVACY_UNVERIFIED_ACCOUNT_DAYS
    facts["outbox_days"] = settings.OUTBOX_RETENTION_DAYS
    facts["vat_mention"] = escape(settings.INVOICE_VAT_MENTION)
    return facts


def _heading(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def _legal_notice(f: dict, language: str) -> dict:
    en = language == "en"
    contact = f["contact_email"] + (f" · {f['phone']}" if f["phone"] else "")
    vat = f["vat_number"] or ("not applicable" if en else "non applicable")
    director = f["representative_name"] + (
        f", {f['representative_title']}" if f["representative_title"] else ""
    )
    if en:
        return {
            "title": "Legal notice",
            "slug": "legal-notice",
            "introduction": (
                "Who publishes and hosts this site, as French law on the digital economy "
                "(LCEN, article 6) requires."
            ),
            "body": [
                _heading("Publisher"),
                _paragraph(
                    f"<p>This site is published by {f['organisation_name']}, "
                    f"{f['address']}.</p><p>SIRET: {f['siret']}. EU VAT number: {vat}.</p>"
                    f"<p>Contact: {contact}.</p>"
                ),
                _heading("Director of publication"),
                _paragraph(f"<p>{director}.</p>"),
                _heading("Hosting"),
                _paragraph(f["hosting"]),
                _heading("Training body"),
                _paragraph(
                    f"<p>Activity declaration (déclaration d'activité) registered under number "
                    f"{f['training_body_number']} with the regional prefect. This registration "
                    "does not amount to approval by the State.</p>"
                ),
                _heading("Intellectual property"),
                _paragraph(
                    f"<p>TST® is a mark of {f['organisation_name']}. The texts, courses, videos "
                    "and documents of this site are protected: you may read them for your own "
                    "training; any other reproduction or distribution needs the Institut's "
                    "written permission.</p>"
                ),
                _heading("Personal data"),
                _paragraph(
                    "<p>How the Institut handles your personal data, and how to exercise your "
                    "rights, is explained in the privacy policy linked at the bottom of every "
                    "page.</p>"
                ),
            ],
        }
    return {
        "title": "Mentions légales",
        "slug": "mentions-legales",
        "introduction": (
            "Qui édite et qui héberge ce site, comme l'exige la loi pour la confiance dans "
            "l'économie numérique (LCEN, article 6)."
        ),
        "body": [
            _heading("Éditeur"),
            _paragraph(
                f"<p>Ce site est édité par {f['organisation_name']}, {f['address']}.</p>"
                f"<p>SIRET : {f['siret']}. N° de TVA intracommunautaire : {vat}.</p>"
                f"<p>Contact : {contact}.</p>"
            ),
            _heading("Direction de la publication"),
            _paragraph(f"<p>{director}.</p>"),
            _heading("Hébergement"),
            _paragraph(f["hosting"]),
            _heading("Organisme de formation"),
            _paragraph(
                "<p>Déclaration d'activité enregistrée sous le numéro "
                f"{f['training_body_number']} auprès du préfet de région. Cet enregistrement ne "
                "vaut pas agrément de l'État.</p>"
            ),
            _heading("Propriété intellectuelle"),
            _paragraph(
                f"<p>TST® est une marque de {f['organisation_name']}. Les textes, formations, "
                "vidéos et documents de ce site sont protégés : vous pouvez les consulter pour "
                "votre propre formation ; toute autre reproduction ou diffusion demande "
                "l'accord écrit de l'Institut.</p>"
            ),
            _heading("Données personnelles"),
            _paragraph(
                "<p>La façon dont l'Institut traite vos données personnelles, et dont vous "
                "exercez vos droits, est décrite dans la politique de confidentialité, en lien "
                "au bas de chaque page.</p>"
            ),
        ],
    }


def _privacy_policy(f: dict, language: str) -> dict:
    en = language == "en"
    data_url = _url("personal_data", language)
    delete_url = _url("account_delete", language)
    if en:
        return {
            "title": "Privacy policy",
            "slug": "privacy-policy",
            "introduction": (
                f"What personal data {f['organisation_name']} keeps about the people who use "
                "this site, why, for how long, and how to exercise your rights (GDPR, "
                "articles 13 and 14)."
            ),
            "body": [
                _heading("Controller"),
                _paragraph(
                    f"<p>{f['organisation_name']}, {f['address']}, represented by "
                    f"{f['representative_name']}. Any question about your data: "
                    f"{f['contact_email']}.</p>"
                ),
                _heading("What we keep and why"),
                _paragraph(
                    "<ul><li>Your account (name, e-mail address, password stored as a hash, "
                    "second factor for staff and trainers): to sign you in and protect your "
                    "space. Basis: the contract.</li>"
                    "<li>Your courses (enrolments, progress, quiz answers, reflections, "
                    "attestations) and in-person sessions (convocations, attendance signed per "
                    "half-day, certificates of completion, satisfaction questionnaires): to "
                    "deliver the training and prove it was delivered. Basis: the contract and "
                    "the legal obligations of a training body (French Labour Code, L6353-1 and "
                    "following).</li>"
                    "<li>Payments, invoices and credit notes: accounting. Basis: legal "
                    "obligation. Card details are entered on Stripe's page and never reach "
                    "the Institut.</li>"
                    "<li>Supervision bookings, practice logbook, applications, committee "
                    "decisions and certificates: to award the TST® mark and keep it "
                    "verifiable. Basis: legitimate interest.</li>"
                    "<li>Your entry in the public register, only if you choose to be listed, "
                    "with the fields you choose. Basis: consent, which you withdraw by "
                    "unlisting.</li></ul>"
                ),
                _heading("Who sees it"),
                _paragraph(
                    "<p>The Institut's staff, your trainers and supervisors, and the "
                    "certification committee, each for what their role needs. Our "
                    "processors: the host of the site, Stripe for payments and the e-mail "
                    "provider. Anyone can check a certificate number: they see the holder's "
                    "name, the status and the validity dates, nothing else.</p>"
                ),
                _heading("How long"),
                _paragraph(
                    "<ul><li>Your account: until you delete it; an account whose address was "
                    f"never confirmed is deleted after {f['unverified_days']} days.</li>"
                    "<li>Training records (enrolments, attendance, attestations, certificates "
                    "of completion): kept as proof of the training delivered, without your "
                    "name once you have erased your account.</li>"
                    f"<li>Invoices, credit notes and payments: {f['invoice_years']} years "
                    "(French Commercial Code, L123-22).</li>"
                    "<li>Certificates and the committee's decisions: as long as the register, "
                    "without your name after erasure, so that a number still answers "
                    "« revoked on … ».</li>"
                    "<li>The text of the e-mails sent to you: removed after "
                    f"{f['outbox_days']} days.</li></ul>"
                ),
                _heading("Your rights"),
                _paragraph(
                    "<p>You may access your data, have it corrected or erased, take it with "
                    "you, restrict or object to its use.</p>"
                    f'<ul><li>Download all your data at once (ZIP): <a href="{data_url}">My '
                    "data</a>, in your account.</li>"
                    f'<li>Delete your account: <a href="{delete_url}">Delete my account</a>, '
                    "confirmed with your password. Records the law or the certification needs "
                    "are kept without your name.</li>"
                    f"<li>Any other request: {f['contact_email']}. You may also lodge a "
                    "complaint with the CNIL (cnil.fr).</li></ul>"
                ),
                _heading("Cookies"),
                _paragraph(
                    "<p>This site sets only the cookies it strictly needs, which need no "
                    "consent: the session cookie (keeps you signed in and carries the "
                    "messages shown after an action) and the CSRF cookie (protects forms). "
                    "The language is chosen by the address (/en/), without a cookie. No "
                    "audience measurement, no advertising.</p>"
                    "<p>Some lessons embed a video from YouTube (youtube-nocookie.com) or "
                    "Vimeo: these services may set their own cookies on the lesson page. "
                    "Payment happens on Stripe's page, under Stripe's own policy.</p>"
                ),
            ],
        }
    return {
        "title": "Politique de confidentialité",
        "slug": "politique-de-confidentialite",
        "introduction": (
            f"Les données personnelles que {f['organisation_name']} conserve sur les personnes "
            "qui utilisent ce site, pourquoi, combien de temps, et comment exercer vos droits "
            "(RGPD, articles 13 et 14)."
        ),
        "body": [
            _heading("Responsable du traitement"),
            _paragraph(
                f"<p>{f['organisation_name']}, {f['address']}, représenté par "
                f"{f['representative_name']}. Pour toute question sur vos données : "
                f"{f['contact_email']}.</p>"
            ),
            _heading("Ce que nous conservons et pourquoi"),
            _paragraph(
                "<ul><li>Votre compte (nom, adresse e-mail, mot de passe chiffré, second "
                "facteur pour l'équipe et les formateur·rices) : vous identifier et protéger "
                "votre espace. Base : le contrat.</li>"
                "<li>Vos formations (inscriptions, progression, réponses aux quiz, réflexions, "
                "attestations) et vos sessions en présentiel (convocations, émargement par "
                "demi-journée, certificats de réalisation, questionnaires de satisfaction) : "
                "délivrer la formation et en apporter la preuve. Base : le contrat et les "
                "obligations légales d'un organisme de formation (Code du travail, L6353-1 et "
                "suivants).</li>"
                "<li>Paiements, factures et avoirs : la comptabilité. Base : obligation légale. "
                "Votre carte est saisie sur la page de Stripe et ne parvient jamais à "
                "l'Institut.</li>"
                "<li>Réservations de supervision, carnet de pratique, candidatures, décisions "
                "de la commission et certificats : attribuer la marque TST® et la garder "
                "vérifiable. Base : intérêt légitime.</li>"
                "<li>Votre fiche au registre public, seulement si vous choisissez d'y figurer, "
                "avec les champs que vous choisissez. Base : consentement, retiré en vous "
                "retirant du registre.</li></ul>"
            ),
            _heading("Qui y a accès"),
            _paragraph(
                "<p>L'équipe de l'Institut, vos formateur·rices et superviseur·es, la "
                "commission de certification, chacun pour ce que son rôle demande. Nos "
                "sous-traitants : l'hébergeur du site, Stripe pour les paiements et le "
                "prestataire d'envoi des e-mails. Toute personne peut vérifier un numéro de "
                "certificat : elle voit le nom du ou de la titulaire, le statut et les dates "
                "de validité, rien d'autre.</p>"
            ),
            _heading("Combien de temps"),
            _paragraph(
                "<ul><li>Votre compte : jusqu'à sa suppression ; un compte dont l'adresse n'a "
                f"jamais été confirmée est supprimé après {f['unverified_days']} jours.</li>"
                "<li>Les dossiers de formation (inscriptions, émargements, attestations, "
                "certificats de réalisation) : conservés comme preuve de la formation "
                "délivrée, sans votre nom une fois votre compte effacé.</li>"
                f"<li>Factures, avoirs et paiements : {f['invoice_years']} ans (Code de "
                "commerce, L123-22).</li>"
                "<li>Certificats et décisions de la commission : la durée du registre, sans "
                "votre nom après effacement, pour qu'un numéro réponde toujours « révoqué le "
                "… ».</li>"
                "<li>Le texte des e-mails qui vous sont envoyés : effacé après "
                f"{f['outbox_days']} jours.</li></ul>"
            ),
            _heading("Vos droits"),
            _paragraph(
                "<p>Vous pouvez accéder à vos données, les faire rectifier ou effacer, les "
                "emporter, en limiter l'usage ou vous y opposer.</p>"
                f'<ul><li>Télécharger toutes vos données d\'un coup (ZIP) : <a href="{data_url}">'
                "Mes données</a>, dans votre compte.</li>"
                f'<li>Supprimer votre compte : <a href="{delete_url}">Supprimer mon compte</a>, '
                "confirmé par votre mot de passe. Les dossiers que la loi ou la certification "
                "exigent sont conservés sans votre nom.</li>"
                f"<li>Toute autre demande : {f['contact_email']}. Vous pouvez aussi adresser "
                "une réclamation à la CNIL (cnil.fr).</li></ul>"
            ),
            _heading("Cookies"),
            _paragraph(
                "<p>Ce site ne dépose que les cookies strictement nécessaires, dispensés de "
                "consentement : le cookie de session (vous garde connecté·e et porte les "
                "messages affichés après une action) et le cookie CSRF (protège les "
                "formulaires). La langue est choisie par l'adresse (/en/), sans cookie. Aucune "
                "mesure d'audience, aucune publicité.</p>"
                "<p>Certaines leçons intègrent une vidéo de YouTube (youtube-nocookie.com) ou "
                "de Vimeo : ces services peuvent déposer leurs propres cookies sur la page de "
                "la leçon. Le paiement se fait sur la page de Stripe, selon sa propre "
                "politique.</p>"
            ),
        ],
    }


def _terms_of_sale(f: dict, language: str) -> dict:
    en = language == "en"
    invoices_url = _url("courses:invoices", language)
    if en:
        return {
            "title": "Terms of sale",
            "slug": "terms-of-sale",
            "introduction": (
                f"The terms on which {f['organisation_name']} sells its online courses on this "
                "site. You accept them before paying."
            ),
            "body": [
                _heading("Enrolment"),
                _paragraph(
                    "<p>You enrol from the course's page, signed in to your account. For a "
                    "paid course you accept these terms, then pay online: your enrolment "
                    "waits for the payment, and you may give it up as long as it is not "
                    "paid, at no cost.</p>"
                    "<p>Is your course paid by an employer or a training fund (OPCO)? Contact "
                    "the Institut: it enrols you itself and invoices the funder.</p>"
                    f"<p>Invoice payment terms: {f['invoice_payment_terms']}</p>"
                ),
                _heading("Price"),
                _paragraph(
                    "<p>The price is shown on the course's page, in euros, and is the total "
                    f"you pay: {f['vat_mention']}.</p>"
                ),
                _heading("Payment"),
                _paragraph(
                    "<p>By card, on Stripe's secure page; your card details never reach the "
                    "Institut. Access to the lessons opens as soon as Stripe confirms the "
                    "payment, and the receipted invoice is then in "
                    f'<a href="{invoices_url}">My invoices</a>.</p>'
                ),
                _heading("Right of withdrawal"),
                _paragraph(
                    "<p>You may withdraw within 14 days of your order, without giving a "
                    "reason (French Consumer Code, L221-18), by writing to "
                    f"{f['contact_email']}. The Institut then refunds everything you paid "
                    "within 14 days, to the card used, and your access to the course "
                    "ends.</p>"
                ),
                _heading("Cancellation and refunds"),
                _paragraph(
                    "<p>After that period, write to the Institut: it may refund all or part "
                    "of the price, depending on how far you are in the course. A refund goes "
                    "back to the card used, through Stripe, with a credit note; a full refund "
                    "ends your access to the course. Should a refund fail, your access opens "
                    "again and the Institut contacts you.</p>"
                ),
                _heading("Attestation"),
                _paragraph(
                    "<p>When you have completed every lesson, a training attestation is "
                    "issued to you in your space.</p>"
                ),
                _heading("Disputes"),
                _paragraph(
                    "<p>These terms are governed by French law. In case of disagreement, "
                    f"write first to {f['contact_email']}; as a consumer, you may also turn "
                    "to a consumer mediator, free of charge (French Consumer Code, "
                    "L612-1).</p>"
                ),
            ],
        }
    return {
        "title": "Conditions générales de vente",
        "slug": "conditions-generales-de-vente",
        "introduction": (
            f"Les conditions auxquelles {f['organisation_name']} vend ses formations en ligne "
            "sur ce site. Vous les acceptez avant de payer."
        ),
        "body": [
            _heading("Inscription"),
            _paragraph(
                "<p>Vous vous inscrivez depuis la page de la formation, connecté·e à votre "
                "compte. Pour une formation payante, vous acceptez les présentes conditions, "
                "puis vous payez en ligne : votre inscription attend le paiement, et vous "
                "pouvez l'abandonner tant qu'elle n'est pas payée, sans frais.</p>"
                "<p>Votre formation est financée par un employeur ou un OPCO ? Contactez "
                "l'Institut : il vous inscrit lui-même et facture le financeur.</p>"
                f"<p>Paiement des factures : {f['invoice_payment_terms']}</p>"
            ),
            _heading("Prix"),
            _paragraph(
                "<p>Le prix est indiqué sur la page de la formation, en euros ; c'est le "
                f"montant total que vous payez : {f['vat_mention']}.</p>"
            ),
            _heading("Paiement"),
            _paragraph(
                "<p>Par carte bancaire, sur la page sécurisée de Stripe ; votre carte ne "
                "parvient jamais à l'Institut. L'accès aux leçons s'ouvre dès que Stripe "
                "confirme le paiement, et la facture acquittée est alors dans "
                f'<a href="{invoices_url}">Mes factures</a>.</p>'
            ),
            _heading("Droit de rétractation"),
            _paragraph(
                "<p>Vous pouvez vous rétracter dans les 14 jours suivant votre commande, sans "
                "avoir à vous justifier (Code de la consommation, L221-18), en écrivant à "
                f"{f['contact_email']}. L'Institut vous rembourse alors la totalité des "
                "sommes versées sous 14 jours, sur la carte utilisée, et votre accès à la "
                "formation prend fin.</p>"
            ),
            _heading("Annulation et remboursement"),
            _paragraph(
                "<p>Passé ce délai, écrivez à l'Institut : il peut rembourser tout ou partie "
                "du prix, selon votre avancement dans la formation. Le remboursement revient "
                "sur la carte utilisée, par Stripe, avec un avoir ; un remboursement total met "
                "fin à votre accès à la formation. Si un remboursement échoue, votre accès "
                "s'ouvre à nouveau et l'Institut vous contacte.</p>"
            ),
            _heading("Attestation"),
            _paragraph(
                "<p>Lorsque vous avez terminé toutes les leçons, une attestation de formation "
                "vous est délivrée dans votre espace.</p>"
            ),
            _heading("Litiges"),
            _paragraph(
                "<p>Les présentes conditions sont soumises au droit français. En cas de "
                f"désaccord, écrivez d'abord à {f['contact_email']} ; en tant que "
                "consommateur·rice, vous pouvez aussi recourir gratuitement à un médiateur de "
                "la consommation (Code de la consommation, L612-1).</p>"
            ),
        ],
    }


# The setting's field -> the page's content in a language.
LEGAL_PAGES = {
    "legal_notice_page": _legal_notice,
    "privacy_policy_page": _privacy_policy,
    "terms_of_sale_page": _terms_of_sale,
}


def _content_page(content: dict, **fields) -> ContentPage:
    page = ContentPage(
        title=content["title"],
        slug=content["slug"],
        introduction=content["introduction"],
        body=content["body"],
        **fields,
    )
    with_block_ids(page)
    return page


# The site's own addresses that the pages link to, French -> English.
LINKED_URLS = ("personal_data", "account_delete", "courses:invoices")


def _english_addresses(page: ContentPage, english: Locale) -> None:
    """The English translation links to the English addresses of the site's own pages: an
    override of each link (wagtail-localize keeps a link's address from the source)."""
    urls = {_url(name, "fr"): _url(name, "en") for name in LINKED_URLS}
    source = TranslationSource.objects.get(object_id=page.translation_key, locale=page.locale)
    overridden = False
    for segment in OverridableSegment.objects.filter(source=source).select_related("context"):
        address = urls.get(json.loads(segment.data_json))
        if address is not None:
            SegmentOverride.objects.get_or_create(
                locale=english, context=segment.context, defaults={"data_json": json.dumps(address)}
            )
            overridden = True
    if overridden:
        Translation.objects.get(source=source, target_locale=english).save_target(publish=True)


def create_legal_pages(*, home: HomePage, details: InstitutSettings) -> None:
    """The three legal pages under the French home page and their English translations, chosen
    in the Institut's details; a page already there (or already chosen) is left as staff made
    it."""
    french = Locale.objects.get(language_code="fr")
    english = Locale.objects.get(language_code="en")
    facts = {language: _facts(details, language) for language in ("fr", "en")}
    chosen = {}
    for field, content_of in LEGAL_PAGES.items():
        page = getattr(details, field)
        if page is None:
            content = content_of(facts["fr"], "fr")
            page = ContentPage.objects.child_of(home).filter(slug=content["slug"]).first()
            if page is None:
                page = _content_page(content, locale=french)
                home.add_child(instance=page)
                page.save_revision().publish()
            chosen[field] = page
        if page.locale_id == french.pk and page.get_translation_or_none(english) is None:
            try:
                translate(page, _content_page(content_of(facts["en"], "en")), locale=english)
            except ShapeMismatch:
                continue  # edited by staff before its translation: the English tree shows it
            _english_addresses(page, english)
    if chosen:
        for field, page in chosen.items():
            setattr(details, field, page)
        details.save()
