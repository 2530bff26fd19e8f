"""Forms of the supervision pages: they validate input, services do the work."""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from institut.fields import BoundedCharField
from institut.form_actions import errors_to_form
from institut.method import Step
from supervision.models import SessionSeries, SupervisionSession
from supervision.services import SessionData, check_session_data

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_FORMAT)


class DateTimeLocalField(forms.DateTimeField):
    """A date and time typed in the browser's date-time picker."""

    widget = DateTimeLocalInput
    default_error_messages = {"invalid": _("Saisissez une date et une heure valides.")}


class SessionForm(forms.Form):
    """A supervision session as the trainer describes it (times in the trainer's zone)."""

    title = BoundedCharField(
        label=_("Titre"),
        required=False,
        max_length=200,
        help_text=_("Facultatif. Par défaut : « Supervision collective » ou « individuelle »."),
    )
    kind = forms.ChoiceField(
        label=_("Type de séance"),
        choices=SupervisionSession.Kind.choices,
        initial=SupervisionSession.Kind.GROUP,
        widget=forms.RadioSelect,
    )
    starts_at = DateTimeLocalField(
        label=_("Début"), error_messages={"required": _("Indiquez la date et l'heure de début.")}
    )
    ends_at = DateTimeLocalField(
        label=_("Fin"), error_messages={"required": _("Indiquez la date et l'heure de fin.")}
    )
    mode = forms.ChoiceField(
        label=_("Modalité"),
        choices=SupervisionSession.Mode.choices,
        initial=SupervisionSession.Mode.REMOTE,
        widget=forms.RadioSelect,
    )
    address = BoundedCharField(
        label=_("Adresse (en présentiel)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    video_url = forms.URLField(
        label=_("Lien de visioconférence (à distance)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Visible uniquement par les personnes qui ont une place réservée."),
        error_messages={"invalid": _("Saisissez une adresse web complète (https://…).")},
    )
    capacity = forms.IntegerField(
        label=_("Nombre de places"),
        min_value=1,
        max_value=100,
        initial=8,
        error_messages={
            "required": _("Indiquez le nombre de places."),
            "min_value": _("Il faut au moins une place."),
            "max_value": _("100 places au plus."),
        },
    )
    minimum_participants = forms.IntegerField(
        label=_("Nombre minimum de participant·es"),
        required=False,
        min_value=1,
        help_text=_("Facultatif : en dessous, vous pouvez annuler la séance."),
        error_messages={"min_value": _("Au moins une personne, ou laissez vide.")},
    )
    description = BoundedCharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Thème, préparation demandée, étapes de la méthode travaillées…"),
    )
    steps = forms.MultipleChoiceField(
        label=_("Étapes de la méthode travaillées"),
        required=False,
        choices=Step.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Facultatif : elles pré-remplissent l'entrée du carnet proposée aux présent·es."
        ),
    )
    audience = forms.ChoiceField(
        label=_("Qui peut réserver"),
        choices=SupervisionSession.Audience.choices,
        initial=SupervisionSession.Audience.ALL_TRAINEES,
        widget=forms.RadioSelect,
    )

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            mode=data["mode"],
            capacity=data["capacity"],
            audience=data["audience"],
            title=data.get("title", ""),
            address=data.get("address", "") if data["mode"] == "in_person" else "",
            video_url=data.get("video_url", "") if data["mode"] == "remote" else "",
            minimum_participants=data.get("minimum_participants"),
            description=data.get("description", ""),
            steps=list(data.get("steps") or []),
        )

    def clean(self):
        cleaned = super().clean()
        required = ("kind", "starts_at", "ends_at", "mode", "capacity", "audience")
        if any(name not in cleaned for name in required):
            return cleaned  # field errors are already shown
        try:
            check_session_data(self.session_data())
        except ValidationError as error:
            errors_to_form(self, error)
        return cleaned


class NewSessionForm(SessionForm):
    """Creating a session: once, or a weekly or fortnightly series."""

    REPEAT_NONE = ""
    repeat = forms.ChoiceField(
        label=_("Répétition"),
        required=False,
        choices=[(REPEAT_NONE, _("séance unique")), *SessionSeries.Frequency.choices],
    )
    occurrences = forms.IntegerField(
        label=_("Nombre de séances de la série"),
        required=False,
        min_value=2,
        max_value=52,
        help_text=_("Seulement pour une série : de 2 à 52 séances."),
        error_messages={
            "min_value": _("Une série compte au moins 2 séances."),
            "max_value": _("Une série compte au plus 52 séances."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("repeat") and not cleaned.get("occurrences"):
            self.add_error("occurrences", _("Indiquez combien de séances compte la série."))
        return cleaned


class CancelForm(forms.Form):
    reason = BoundedCharField(
        label=_("Motif de l'annulation"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il est envoyé aux personnes inscrites et en liste d'attente."),
        error_messages={"required": _("Indiquez le motif de l'annulation.")},
    )


PRESENCE_CHOICES = [("attended", _("présent·e")), ("absent", _("absent·e"))]
# Nobody is credited more time than the session lasted (SupervisionSession.creditable_minutes).
MORE_THAN_THE_SESSION = _("%(limit_value)s minutes au plus : la durée de la séance.")


def _at_most(field: forms.IntegerField, minutes: int) -> forms.IntegerField:
    field.max_value = minutes
    field.validators.append(validators.MaxValueValidator(minutes))
    field.widget.attrs["max"] = minutes
    field.error_messages["max_value"] = MORE_THAN_THE_SESSION
    return field


class AttendanceForm(forms.Form):
    """One presence choice and one optional real duration per booking."""

    def __init__(self, *args, bookings, default_minutes: int, **kwargs):
        """default_minutes: what an attendance credits when no duration is given, at most."""
        super().__init__(*args, **kwargs)
        self.bookings = bookings
        for booking in bookings:
            name = booking.trainee.full_name or booking.trainee.email
            self.fields[f"presence_{booking.pk}"] = forms.ChoiceField(
                label=name,
                choices=PRESENCE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Indiquez si cette personne était présente.")},
            )
            self.fields[f"minutes_{booking.pk}"] = _at_most(
                forms.IntegerField(
                    label=_("Durée réelle pour %(name)s (minutes)") % {"name": name},
                    required=False,
                    min_value=1,
                    help_text=_("Laissez vide pour la durée prévue (%(minutes)s min).")
                    % {"minutes": default_minutes},
                    error_messages={"min_value": _("Une durée d'au moins une minute.")},
                ),
                default_minutes,
            )

    def rows(self):
        for booking in self.bookings:
            yield booking, self[f"presence_{booking.pk}"], self[f"minutes_{booking.pk}"]

    def marks(self):
        from supervision.services import AttendanceMark

        return [
            AttendanceMark(
                booking_id=booking.pk,
                attended=self.cleaned_data[f"presence_{booking.pk}"] == "attended",
                minutes=self.cleaned_data.get(f"minutes_{booking.pk}"),
            )
            for booking in self.bookings
        ]


class CorrectionForm(forms.Form):
    presence = forms.ChoiceField(
        label=_("Présence"), choices=PRESENCE_CHOICES, widget=forms.RadioSelect
    )
    minutes = forms.IntegerField(
        label=_("Durée réelle (minutes)"),
        required=False,
        min_value=1,
        help_text=_("Laissez vide pour la durée prévue."),
    )
    reason = BoundedCharField(
        label=_("Motif de la correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif de la correction.")},
    )

    def __init__(self, *args, max_minutes: int, **kwargs):
        super().__init__(*args, **kwargs)
        _at_most(self.fields["minutes"], max_minutes)
