"""Account forms: the extra field asked at sign-up."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from institut.fields import BoundedCharField


class SignupForm(forms.Form):
    """Fields allauth's sign-up form adds to e-mail and password."""

    full_name = BoundedCharField(
        label=_("Nom complet"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Tel qu'il apparaîtra sur vos attestations et certificats."),
    )

    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Indiquez votre nom complet."))
        return name

    def signup(self, request, user) -> None:
        """allauth calls this once the user row exists; the adapter already set the name."""


def time_zone_choices() -> list[tuple[str, str]]:
    import zoneinfo

    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")
    )
    return [(zone, zone.replace("_", " ")) for zone in zones]


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves: name, language, time zone."""

    time_zone = forms.ChoiceField(label=_("Fuseau horaire"), choices=time_zone_choices)

    class Meta:
        from institut.models import User

        model = User
        fields = ["full_name", "preferred_language", "time_zone"]
        field_classes = {"full_name": BoundedCharField}
        help_texts = {
            "preferred_language": _("Langue des e-mails que nous vous envoyons."),
        }

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Indiquez votre nom complet."))
        return name
