"""The home page, generic content pages and the site-wide settings of the Institut."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BaseStreamBlock, HomeStreamBlock
from institut.fields import BoundedTextField
from institut.method import steps_with_summaries


class HomePage(Page):
    """The entry page: who the Institut is, the seven steps, and where to go next."""

    hero_title = models.CharField(_("titre d'accroche"), max_length=200)
    hero_text = BoundedTextField(_("texte d'accroche"), max_length=1000, blank=True)
    body = StreamField(HomeStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("hero_text"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["steps"] = steps_with_summaries()
        return context


class ContentPage(Page):
    """A generic page of text: about the Institut, the ethical charter, legal notices."""

    introduction = BoundedTextField(_("introduction"), max_length=2000, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.ContentPage"]

    class Meta:
        verbose_name = _("page de contenu")


@register_setting(icon="site")
class InstitutSettings(BaseSiteSetting):
    """The Institut's details shown in the footer and printed on documents."""

    organisation_name = models.CharField(
        _("raison sociale"), max_length=200, default="Institut Charles Rojzman"
    )
    address = BoundedTextField(_("adresse"), max_length=500, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    siret = models.CharField(_("SIRET"), max_length=20, blank=True)
    vat_number = models.CharField(_("n° de TVA intracommunautaire"), max_length=20, blank=True)
    training_body_number = models.CharField(
        _("n° de déclaration d'activité (organisme de formation)"), max_length=20, blank=True
    )
    invoice_payment_terms = models.CharField(
        _("conditions de règlement des factures"),
        max_length=255,
        default="À 30 jours à compter de la date de la facture, par virement.",
        help_text=_(
            "Délai et moyen de paiement, imprimés sur les factures qu'un financeur règle après "
            "coup (les paiements en ligne sont acquittés)."
        ),
    )
    invoice_payment_terms_en = models.CharField(
        _("conditions de règlement des factures (anglais)"),
        max_length=255,
        blank=True,
        help_text=_(
            "Dans les conditions générales de vente en anglais ; vide : les conditions en "
            "français. Les factures, en français, impriment toujours celles en français."
        ),
    )
    representative_name = models.CharField(
        _("représentant·e légal·e"),
        max_length=150,
        blank=True,
        help_text=_("Signe les certificats de réalisation au nom de l'Institut."),
    )
    representative_title = models.CharField(
        _("fonction du ou de la représentant·e"), max_length=100, blank=True
    )
    signature_city = models.CharField(
        _("lieu de signature des documents"),
        max_length=100,
        blank=True,
        help_text=_("« Fait à … » sur les certificats de réalisation."),
    )
    accessibility_referent_name = models.CharField(
        _("référent·e handicap"),
        max_length=150,
        blank=True,
        help_text=_("Indiqué·e sur chaque convocation (exigence Qualiopi)."),
    )
    accessibility_referent_email = models.EmailField(
        _("e-mail du ou de la référent·e handicap"), blank=True
    )
    accessibility_referent_phone = models.CharField(
        _("téléphone du ou de la référent·e handicap"), max_length=40, blank=True
    )
    training_rules = BoundedTextField(
        _("règles pour les stagiaires"),
        max_length=5000,
        blank=True,
        help_text=_("Extrait du règlement intérieur rappelé dans chaque convocation."),
    )
    training_rules_en = BoundedTextField(
        _("règles pour les stagiaires (anglais)"),
        max_length=5000,
        blank=True,
        help_text=_("Dans les convocations en anglais ; vide : les règles en français."),
    )
    results_min_responses = models.PositiveSmallIntegerField(
        _("réponses minimales pour publier un taux"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Les taux des 12 derniers mois (indicateur 2 de Qualiopi) sont publiés à partir de "
            "ce nombre : de réponses au questionnaire à chaud pour le taux de satisfaction et le "
            "taux d'achèvement des pages des formations, de décisions de la commission pour le "
            "taux d'obtention et le taux de renouvellement de la certification TST®. En dessous, "
            "la page dit qu'il n'y en a pas encore assez."
        ),
    )

    hosting_provider = BoundedTextField(
        _("hébergeur du site"),
        max_length=500,
        blank=True,
        help_text=_("Nom, adresse et téléphone de l'hébergeur, cités par les mentions légales."),
    )
    legal_notice_page = models.ForeignKey(
        "home.ContentPage",
        verbose_name=_("page des mentions légales"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_policy_page = models.ForeignKey(
        "home.ContentPage",
        verbose_name=_("page de la politique de confidentialité"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    terms_of_sale_page = models.ForeignKey(
        "home.ContentPage",
        verbose_name=_("page des conditions générales de vente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Une fois choisie, le ou la stagiaire doit l'accepter avant de payer une formation ; "
            "l'acceptation et la version publiée acceptée sont enregistrées avec le paiement."
        ),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("address"),
        FieldPanel("contact_email"),
        FieldPanel("phone"),
        FieldPanel("siret"),
        FieldPanel("vat_number"),
        FieldPanel("training_body_number"),
        FieldPanel("invoice_payment_terms"),
        FieldPanel("invoice_payment_terms_en"),
        MultiFieldPanel(
            [
                FieldPanel("representative_name"),
                FieldPanel("representative_title"),
                FieldPanel("signature_city"),
                FieldPanel("accessibility_referent_name"),
                FieldPanel("accessibility_referent_email"),
                FieldPanel("accessibility_referent_phone"),
                FieldPanel("training_rules"),
                FieldPanel("training_rules_en"),
                FieldPanel("results_min_responses"),
            ],
            heading=_("Organisme de formation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hosting_provider"),
                FieldPanel("legal_notice_page"),
                FieldPanel("privacy_policy_page"),
                FieldPanel("terms_of_sale_page"),
            ],
            heading=_("Pages légales"),
            help_text=_(
                "Choisissez la page en français : le pied de page de chaque langue renvoie à sa "
                "traduction."
            ),
        ),
    ]

    class Meta:
        verbose_name = _("coordonnées de l'Institut")

    def rules_in(self, language: str) -> str:
        """The rules recalled in a convocation in this language (French when none is written)."""
        return self._in(language, "training_rules")

    def payment_terms_in(self, language: str) -> str:
        """The invoice payment terms quoted in this language (French when none is written)."""
        return self._in(language, "invoice_payment_terms")

    def _in(self, language: str, field: str) -> str:
        """A bilingual detail in this language: its English field (`<field>_en`) on English
        pages when written, else the French one."""
        return (language != "fr" and getattr(self, f"{field}_en")) or getattr(self, field)
