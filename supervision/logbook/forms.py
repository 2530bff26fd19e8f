"""Forms of the practice logbook: they validate input; services decide and write."""

from __future__ import annotations

import calendar
from datetime import date as Date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from institut.fields import BoundedCharField
from institut.method import Step
from supervision.logbook.models import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    PracticeEntry,
    validate_anonymous,
    validate_not_in_future,
)

MINUTE_CHOICES = [(0, "0"), (15, "15"), (30, "30"), (45, "45")]


DURATION_RANGE_ERROR = _("La durée doit être comprise entre 15 minutes et 12 heures.")


class PracticeEntryForm(forms.Form):
    """A practice entry as the trainee writes it: duration in hours and minutes."""

    date = forms.DateField(
        label=_("Date de l'intervention"),
        validators=[validate_not_in_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The page shows them under a « Durée » legend; these labels name them in the error summary.
    hours = forms.IntegerField(
        label=_("Durée (heures)"),
        min_value=0,
        max_value=12,
        initial=1,
        error_messages={"min_value": DURATION_RANGE_ERROR, "max_value": DURATION_RANGE_ERROR},
    )
    minutes = forms.TypedChoiceField(
        label=_("Durée (minutes)"), choices=MINUTE_CHOICES, coerce=int, initial=0
    )
    # Choices start with a capital, as the entry's page shows them.
    setting = forms.ChoiceField(
        label=_("Cadre"), choices=[(v, capfirst(x)) for v, x in PracticeEntry.Setting.choices]
    )
    role = forms.ChoiceField(
        label=_("Votre rôle"),
        choices=[(v, capfirst(x)) for v, x in PracticeEntry.Role.choices],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez votre rôle dans l'intervention.")},
    )
    group_size = forms.IntegerField(
        label=_("Nombre de participant·es"),
        min_value=1,
        max_value=10000,
        error_messages={"min_value": _("Indiquez au moins 1 participant·e.")},
    )
    steps = forms.MultipleChoiceField(
        label=_("Étapes de la méthode pratiquées"),
        choices=Step.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une étape de la méthode.")},
    )
    description = BoundedCharField(
        label=_("Description de l'intervention"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_anonymous],
        help_text=_(
            "Quelques lignes, sans rien qui permette d'identifier une personne : ni nom, ni "
            "adresse e-mail, ni numéro de téléphone. Les descriptions qui en contiennent sont "
            "refusées."
        ),
    )
    reflection = BoundedCharField(
        label=_("Réflexion (facultatif)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_anonymous],
        help_text=_("Ce que vous en retenez, ce que vous aimeriez travailler en supervision."),
    )

    def __init__(self, *args, entry: PracticeEntry | None = None, **kwargs):
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(entry)
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()

    @staticmethod
    def initial_from(entry: PracticeEntry) -> dict:
        hours, minutes = divmod(entry.duration_minutes, 60)
        return {
            "date": entry.date,
            "hours": hours,
            "minutes": minutes,
            "setting": entry.setting,
            "role": entry.role,
            "group_size": entry.group_size,
            "steps": entry.step_codes,
            "description": entry.description,
            "reflection": entry.reflection,
        }

    def clean(self):
        data = super().clean()
        hours, minutes = data.get("hours"), data.get("minutes")
        if hours is not None and minutes is not None:
            total = hours * 60 + minutes
            if not MIN_DURATION_MINUTES <= total <= MAX_DURATION_MINUTES:
                self.add_error("hours", DURATION_RANGE_ERROR)
            data["duration_minutes"] = total
        return data

    def entry_data(self) -> dict:
        """Keyword arguments for the logbook services."""
        data = self.cleaned_data
        return {
            "date": data["date"],
            "duration_minutes": data["duration_minutes"],
            "setting": data["setting"],
            "role": data["role"],
            "group_size": data["group_size"],
            "steps": data["steps"],
            "description": data["description"].strip(),
            "reflection": data["reflection"].strip(),
        }


class ReviewForm(forms.Form):
    """A supervisor's decision on one entry."""

    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(APPROVE, _("Approuver")), (RETURN, _("Renvoyer à la ou au stagiaire"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez « Approuver » ou « Renvoyer à la ou au stagiaire ».")
        },
    )
    comment = BoundedCharField(
        label=_("Commentaire"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour renvoyer une entrée : dites ce qu'il faut revoir."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Dites à la ou au stagiaire ce qu'il faut revoir."))
        return data


class BulkApproveForm(forms.Form):
    """Entries of the queue that the supervisor approves at once."""

    entries = forms.ModelMultipleChoiceField(
        label=_("Entrées à approuver"),
        queryset=PracticeEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une entrée.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = queryset


class PeriodCloseForm(forms.Form):
    """A month, or a period with a start and an end."""

    month = forms.DateField(
        label=_("Un mois"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    start = forms.DateField(
        label=_("Ou du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        month, start, end = data.get("month"), data.get("start"), data.get("end")
        if month:
            last = calendar.monthrange(month.year, month.month)[1]
            data["start"], data["end"] = month.replace(day=1), Date(month.year, month.month, last)
        elif start and end:
            if end < start:
                raise ValidationError(_("La fin de la période précède son début."))
        elif not self.errors:
            raise ValidationError(_("Choisissez un mois, ou une date de début et de fin."))
        return data


class CosignRequestForm(forms.Form):
    """The trainee names a supervisor who has no account on the platform."""

    supervisor_name = forms.CharField(
        label=_("Nom et prénom du ou de la superviseur·e"), max_length=150
    )
    supervisor_email = forms.EmailField(
        label=_("Son adresse e-mail"),
        max_length=254,
        help_text=_("Le lien de confirmation, personnel et à usage unique, lui est envoyé ici."),
    )


class CosignConfirmForm(forms.Form):
    """The external supervisor signs the period by typing their name."""

    signer_name = forms.CharField(
        label=_("Votre nom et prénom"),
        max_length=150,
        help_text=_("Saisir votre nom vaut signature de ce bilan."),
    )
    confirm = forms.BooleanField(
        label=_(
            "Je confirme avoir supervisé cette pratique et que ce bilan en rend compte fidèlement."
        ),
        error_messages={"required": _("Cochez la case pour confirmer le bilan.")},
    )
