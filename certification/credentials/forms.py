"""The form of the public verification of a credential file: upload it, or paste its text."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from certification.credentials.verification import MESSAGES, Outcome


def too_large_message() -> str:
    return str(MESSAGES[Outcome.TOO_LARGE]) % {
        "limit": settings.CREDENTIALS_VERIFY_MAX_BYTES // 1024
    }


class VerifyFileForm(forms.Form):
    """A badge file (.json) or its pasted content; exactly one of the two."""

    fichier = forms.FileField(
        label=_("Fichier du badge"),
        required=False,
        help_text=_("Le fichier .json téléchargé depuis l'espace du ou de la titulaire."),
        widget=forms.FileInput(attrs={"accept": ".json,application/json,application/ld+json"}),
    )
    contenu = forms.CharField(
        label=_("Ou collez son contenu"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_fichier(self):
        upload = self.cleaned_data.get("fichier")
        if upload and upload.size > settings.CREDENTIALS_VERIFY_MAX_BYTES:
            raise ValidationError(too_large_message())
        return upload

    def clean_contenu(self) -> str:
        text = self.cleaned_data.get("contenu") or ""
        if len(text) > settings.CREDENTIALS_VERIFY_MAX_BYTES:  # before anything reads it
            raise ValidationError(too_large_message())
        return text.strip()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        upload, text = cleaned.get("fichier"), cleaned.get("contenu")
        if upload and text:
            raise ValidationError(_("Choisissez un fichier ou collez son contenu, pas les deux."))
        if not upload and not text:
            raise ValidationError(_("Choisissez le fichier du badge ou collez son contenu."))
        cleaned["data"] = upload.read() if upload else text.encode("utf-8")
        return cleaned
