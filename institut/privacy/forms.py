"""The confirmation a person gives before their account is erased."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountEraseForm(forms.Form):
    """The current password, and an explicit yes: an erasure cannot be undone."""

    password = forms.CharField(
        label=_("Votre mot de passe"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que la suppression est définitive et ne peut pas être annulée."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."))
        return password
