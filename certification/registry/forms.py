"""Forms of the public registry: search, verification, the holder's profile, contact."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from certification.registry import selectors as registry_selectors
from certification.registry import services as registry_services
from certification.registry.models import PracticeField, Region, RegistryProfile
from institut.fields import BoundedCharField
from institut.lib.references import MAX_TYPED_LENGTH
from institut.lib.text import search_key

MAX_PHOTO_BYTES = 2 * 1024 * 1024


class RegistrySearchForm(forms.Form):
    """The registry's search: part of a name, a region, a field of practice."""

    q = BoundedCharField(
        label=_("Nom"),
        required=False,
        max_length=registry_selectors.MAX_QUERY_LENGTH,
        help_text=_(
            "Au moins 2 lettres ; les accents, majuscules, traits d'union et apostrophes "
            "sont facultatifs."
        ),
    )
    region = forms.ChoiceField(
        label=_("Région"),
        required=False,
        choices=[("", _("Toutes")), *Region.choices],
        error_messages={
            "invalid_choice": _("Cette région n'existe pas : choisissez-en une dans la liste.")
        },
    )
    domaine = forms.ChoiceField(
        label=_("Champ d'intervention"),
        required=False,
        choices=[("", _("Tous")), *PracticeField.choices],
        error_messages={
            "invalid_choice": _(
                "Ce champ d'intervention n'existe pas : choisissez-en un dans la liste."
            )
        },
    )

    def clean_q(self) -> str:
        query = " ".join(self.cleaned_data["q"].split())
        # Punctuation alone (« - », « ' ») would search for nothing and list everyone.
        if query and len(search_key(query)) < registry_selectors.MIN_QUERY_LENGTH:
            raise ValidationError(
                _("Saisissez au moins %(count)s lettres du nom."),
                params={"count": registry_selectors.MIN_QUERY_LENGTH},
            )
        return query


class VerifyForm(forms.Form):
    """A certificate number, as printed or typed (any case, with or without dashes)."""

    numero = BoundedCharField(
        label=_("Numéro du certificat"),
        max_length=MAX_TYPED_LENGTH,
        help_text=_("Par exemple TST-2026-7K3M9Q, tel qu'il figure sur le certificat."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_numero(self) -> str:
        number = registry_selectors.normalise_number(self.cleaned_data["numero"])
        if number is None:
            raise ValidationError(
                _(
                    "Ce numéro n'a pas la forme d'un numéro de certificat TST® : "
                    "« TST », l'année sur 4 chiffres, puis 6 caractères."
                )
            )
        return number


class RegistryProfileForm(forms.ModelForm):
    """What the holder shows in the registry; every field is private until ticked."""

    practice_fields = forms.MultipleChoiceField(
        label=_("Champs d'intervention"),
        required=False,
        choices=PracticeField.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RegistryProfile
        fields = [
            "listed",
            "family_name",
            "city",
            "show_city",
            "region",
            "show_region",
            "languages",
            "show_languages",
            "practice_fields",
            "show_practice_fields",
            "bio",
            "show_bio",
            "photo",
            "show_photo",
            "contact_enabled",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        field_classes = dict.fromkeys(("family_name", "city", "languages", "bio"), BoundedCharField)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["practice_fields"] = self.instance.practice_field_codes

    def clean_family_name(self) -> str:
        family_name = " ".join(self.cleaned_data["family_name"].split())
        full_name = self.instance.holder.full_name
        if family_name and not registry_services.family_name_fits(family_name, full_name):
            raise ValidationError(
                _(
                    "Le nom de famille doit faire partie de votre nom, « %(name)s » : indiquez "
                    "la partie de votre nom par laquelle le registre vous classe (ou changez "
                    "votre nom dans votre profil)."
                ),
                params={"name": full_name},
            )
        return family_name

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > MAX_PHOTO_BYTES:
            raise ValidationError(_("La photo ne doit pas dépasser 2 Mo."))
        return photo

    def changes(self) -> dict:
        """The submitted values, for the service (the form itself saves nothing)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "photo"}
        photo = self.cleaned_data.get("photo")
        if photo is False or isinstance(photo, UploadedFile):
            data["photo"] = photo
        return data


class ContactForm(forms.Form):
    """A visitor's message to a listed practitioner, relayed by e-mail."""

    name = BoundedCharField(label=_("Votre nom"), max_length=100)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_(
            "Le ou la praticien·ne vous répondra à cette adresse s'il ou elle le souhaite."
        ),
    )
    message = BoundedCharField(
        label=_("Votre message"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # A honeypot: hidden from people, filled in by robots.
    website = BoundedCharField(
        label=_("Ne remplissez pas ce champ"), max_length=200, required=False
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if any(ord(char) < 32 for char in name):
            raise ValidationError(_("Le nom ne peut contenir que du texte sur une ligne."))
        return name

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
