"""The form of a person's notification preferences: one channel per kind."""

from __future__ import annotations

from django import forms

from institut.notifications.models import EMAIL_ALWAYS, Channel, Kind


class PreferencesForm(forms.Form):
    """A radio group per kind of notification (none for the legal documents always e-mailed)."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in self.kinds():
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=initial_channels[kind.value],
                widget=forms.RadioSelect,
            )

    @staticmethod
    def kinds() -> list[Kind]:
        return [kind for kind in Kind if kind not in EMAIL_ALWAYS]

    def channels(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind.value] for kind in self.kinds()}
