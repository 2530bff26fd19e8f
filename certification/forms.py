"""Forms of the certification pages: they validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import services
from certification.models import CertificateStatus, PublicReason, SupervisorOpinion
from institut.fields import BoundedCharField, IsoDateInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    """Zero or more PDF files, each checked by its first bytes and its size."""

    widget = MultipleFileInput(attrs={"accept": "application/pdf"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MultiplePdfField, self).clean(item, initial) for item in files]
        files = [item for item in files if item]
        if len(files) > services.MAX_DOCUMENTS:
            raise ValidationError(
                _("Vous pouvez joindre au plus %(count)s documents."),
                params={"count": services.MAX_DOCUMENTS},
            )
        errors = []
        for upload in files:
            try:
                services.check_document(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class CharterAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("J'ai lu la charte éthique et je m'engage à la respecter."),
        error_messages={"required": _("Cochez la case pour accepter la charte.")},
    )


class ApplicationForm(forms.Form):
    statement = BoundedCharField(
        label=_("Présentation de votre candidature"),
        help_text=_("Quelques lignes : votre parcours, vos terrains d'intervention, vos projets."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": _("Présentez votre candidature en quelques lignes.")},
    )
    documents = MultiplePdfField(
        label=_("Documents (PDF, facultatif)"),
        required=False,
        help_text=_("Jusqu'à 5 fichiers PDF de 5 Mo chacun au plus."),
    )


class CompleteForm(ApplicationForm):
    statement = BoundedCharField(
        label=_("Ce que vous ajoutez à votre candidature"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Indiquez ce que vous ajoutez à votre candidature.")},
    )


class OpinionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Votre avis"),
        choices=SupervisorOpinion.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez un avis.")},
    )
    text = BoundedCharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": _("Motivez votre avis en quelques lignes.")},
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (services.Decision.GRANT, _("Accorder la certification")),
            (services.Decision.ASK_MORE, _("Demander des compléments")),
            (services.Decision.REFUSE, _("Refuser")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une décision.")},
    )
    reason = BoundedCharField(
        label=_("Motif ou commentaire"),
        help_text=_("Obligatoire pour un refus ou une demande de compléments."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == services.Decision.REFUSE and not data.get("reason", "").strip():
            self.add_error("reason", _("Un refus doit être motivé."))
        if decision == services.Decision.ASK_MORE and not data.get("reason", "").strip():
            self.add_error("reason", _("Dites ce qui manque à la candidature."))
        return data


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Nouveau statut"),
        choices=[
            (value, label)
            for value, label in CertificateStatus.choices
            if value != CertificateStatus.EXPIRED
        ],
        error_messages={"required": _("Choisissez le nouveau statut.")},
    )
    public_reason = forms.ChoiceField(
        label=_("Motif public"),
        help_text=_("Ce que le registre public pourra afficher."),
        choices=[("", "—")]
        + [
            (value, label)
            for value, label in PublicReason.choices
            if value not in (PublicReason.ISSUED, PublicReason.RENEWED, PublicReason.EXPIRED)
        ],
        error_messages={"required": _("Choisissez le motif public.")},
    )
    reason = BoundedCharField(
        label=_("Motif détaillé"),
        help_text=_("Conservé dans l'historique et communiqué au ou à la titulaire."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Indiquez le motif de ce changement.")},
    )
    effective_on = forms.DateField(
        label=_("Date d'effet"),
        widget=IsoDateInput(),
        initial=timezone.localdate,
        error_messages={
            "required": _("Indiquez la date d'effet."),
            "invalid": _("Saisissez une date valide."),
        },
    )


class HolderStatusForm(forms.Form):
    """The holder pauses (or resumes) the use of their certification."""

    reason = BoundedCharField(
        label=_("Pourquoi ?"),
        help_text=_("Par exemple : congé, changement de métier, reprise de l'activité."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Indiquez le motif de ce changement.")},
    )
