"""The public registry: what a certified practitioner chooses to show, and nothing more.

certification/models.py imports it by name: a model of the certification app, same table.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """French regions, overseas territories, and abroad."""

    AUVERGNE_RHONE_ALPES = "ara", _("Auvergne-Rhône-Alpes")
    BOURGOGNE_FRANCHE_COMTE = "bfc", _("Bourgogne-Franche-Comté")
    BRETAGNE = "bre", _("Bretagne")
    CENTRE_VAL_DE_LOIRE = "cvl", _("Centre-Val de Loire")
    CORSE = "cor", _("Corse")
    GRAND_EST = "ges", _("Grand Est")
    HAUTS_DE_FRANCE = "hdf", _("Hauts-de-France")
    ILE_DE_FRANCE = "idf", _("Île-de-France")
    NORMANDIE = "nor", _("Normandie")
    NOUVELLE_AQUITAINE = "naq", _("Nouvelle-Aquitaine")
    OCCITANIE = "occ", _("Occitanie")
    PAYS_DE_LA_LOIRE = "pdl", _("Pays de la Loire")
    PROVENCE_ALPES_COTE_D_AZUR = "pac", _("Provence-Alpes-Côte d'Azur")
    GUADELOUPE = "gua", _("Guadeloupe")
    MARTINIQUE = "mtq", _("Martinique")
    GUYANE = "guf", _("Guyane")
    LA_REUNION = "reu", _("La Réunion")
    MAYOTTE = "myt", _("Mayotte")
    OTHER_OVERSEAS = "com", _("Autres collectivités d'outre-mer")
    ABROAD = "etr", _("Étranger")


class PracticeField(models.TextChoices):
    """Where a practitioner intervenes."""

    NEIGHBOURHOODS = "quartiers", _("Quartiers et politique de la ville")
    EDUCATION = "education", _("Éducation et établissements scolaires")
    SOCIAL_WORK = "social", _("Travail social et protection de l'enfance")
    HEALTH = "sante", _("Santé et médico-social")
    LOCAL_AUTHORITIES = "collectivites", _("Collectivités et services publics")
    WORKPLACE = "entreprises", _("Entreprises et organisations")
    JUSTICE = "justice", _("Justice et prévention de la délinquance")
    ASSOCIATIONS = "associations", _("Associations et collectifs citoyens")
    INTERNATIONAL = "international", _("Coopération internationale")


def photo_upload_to(instance: RegistryProfile, filename: str) -> str:
    return f"registre/photos/{uuid.uuid4().hex}.jpg"


class RegistryProfileQuerySet(models.QuerySet):
    def listed(self):
        """Profiles whose holder opted in to the public registry."""
        return self.filter(listed=True)


class RegistryProfile(models.Model):
    """A certified practitioner's registry entry: listed only by choice, each field opt-in."""

    holder = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.CASCADE,
        related_name="registry_profile",
    )
    slug = models.SlugField(_("adresse de la fiche"), max_length=80, unique=True)
    listed = models.BooleanField(
        _("figurer dans le registre public"),
        default=False,
        help_text=_("Décochez pour retirer votre fiche du registre immédiatement."),
    )
    search_key = models.CharField(max_length=150, blank=True, editable=False)
    # The same name with its words kept apart (« pierre moreau »): near matches compare words.
    search_words = models.CharField(max_length=150, blank=True, editable=False)
    family_name = models.CharField(
        _("nom de famille (pour le classement)"),
        max_length=100,
        blank=True,
        help_text=_(
            "Le registre est classé par nom de famille. Il doit faire partie de votre nom, "
            "par exemple « Le Bihan » pour Loïc Le Bihan ; laissé vide, c'est le dernier mot "
            "de votre nom."
        ),
    )
    # The family name (or, when empty, the name's last word) as the registry sorts it.
    sort_key = models.CharField(max_length=150, blank=True, editable=False)

    city = models.CharField(_("ville"), max_length=100, blank=True)
    region = models.CharField(_("région"), max_length=3, choices=Region.choices, blank=True)
    languages = models.CharField(
        _("langues de travail"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : français, anglais, arabe."),
    )
    # Codes of PracticeField, space separated and padded (" quartiers sante "), so that a filter
    # is one indexed-free LIKE that works the same on SQLite and PostgreSQL.
    practice_fields = models.CharField(max_length=200, blank=True, default="")
    bio = models.TextField(_("présentation courte"), max_length=1000, blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_upload_to, blank=True)

    show_city = models.BooleanField(_("afficher la ville"), default=False)
    show_region = models.BooleanField(_("afficher la région"), default=False)
    show_languages = models.BooleanField(_("afficher les langues"), default=False)
    show_practice_fields = models.BooleanField(
        _("afficher les champs d'intervention"), default=False
    )
    show_bio = models.BooleanField(_("afficher la présentation"), default=False)
    show_photo = models.BooleanField(_("afficher la photo"), default=False)
    contact_enabled = models.BooleanField(
        _("recevoir des messages par le formulaire de contact"),
        default=False,
        help_text=_("Votre adresse e-mail n'est jamais affichée : le message vous est relayé."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistryProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche du registre")
        verbose_name_plural = _("fiches du registre")
        ordering = ["sort_key", "search_key", "pk"]
        indexes = [models.Index(fields=["listed", "region"], name="registry_listed_region")]

    def __str__(self) -> str:
        return self.slug

    @property
    def practice_field_codes(self) -> list[str]:
        return self.practice_fields.split()

    @property
    def practice_field_labels(self) -> list[str]:
        labels = dict(PracticeField.choices)
        return [labels[code] for code in self.practice_field_codes if code in labels]

    def public_fields(self) -> dict:
        """The fields the holder chose to show and that have a value; nothing else."""
        shown = {
            "city": self.city if self.show_city else "",
            "region": self.get_region_display() if self.show_region and self.region else "",
            "languages": self.languages if self.show_languages else "",
            "practice_fields": self.practice_field_labels if self.show_practice_fields else [],
            "bio": self.bio if self.show_bio else "",
            "photo": self.photo if self.show_photo and self.photo else None,
        }
        return {name: value for name, value in shown.items() if value}
