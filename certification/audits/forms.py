"""Forms of the renewal audits: the holder's evidence, the committee's outcome."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification.models import RenewalAuditEvidence
from certification.services import MAX_DOCUMENT_BYTES, check_document


def _file_help() -> str:
    """The size limit, said in the language of the page that shows it."""
    return gettext("Un fichier PDF de %(size)s Mo au plus.") % {
        "size": MAX_DOCUMENT_BYTES // (1024 * 1024)
    }


class EvidenceForm(forms.Form):
    """One PDF justifying practice, supervision or training."""

    category = forms.ChoiceField(
        label=_("Nature du justificatif"), choices=RenewalAuditEvidence.Category.choices
    )
    file = forms.FileField(
        label=_("Document (PDF)"),
        help_text=lazy(_file_help, str)(),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )
    note = forms.CharField(
        label=_("Précision (facultatif)"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : « 40 heures d'intervention au collège Jean-Moulin, 2027 »."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_document(upload)
        return upload


class OutcomeForm(forms.Form):
    """The committee's outcome of an audit."""

    outcome = forms.ChoiceField(
        label=_("Résultat de l'audit"),
        choices=[("passed", _("Concluant")), ("failed", _("Non concluant"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motif"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire pour un audit non concluant ; communiqué au ou à la titulaire."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "failed" and not (cleaned.get("reason") or "").strip():
            raise ValidationError({"reason": _("Un audit non concluant doit être motivé.")})
        return cleaned
