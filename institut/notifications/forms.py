"""The form of a person's notification preferences: one channel per kind."""

from __future__ import annotations

from django import forms

from institut.notifications.models import Channel, Kind


class PreferencesForm(forms.Form):
    """A radio group per kind of notification."""

    def __init__(self, *args, initial_channels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=initial_channels[kind.value],
                widget=forms.RadioSelect,
            )

    def channels(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind.value] for kind in Kind}
