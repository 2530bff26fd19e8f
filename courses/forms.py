"""Forms of the trainee-facing pages: catalogue filters, quiz answers, reflections."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from institut.fields import BoundedCharField
from institut.method import Step

PRICE_FREE = "gratuit"
PRICE_PAID = "payant"


class CatalogueFilterForm(forms.Form):
    """Filters of the catalogue, read from the query string."""

    etape = forms.ChoiceField(
        label=_("Étape de la méthode"),
        choices=[("", _("Toutes les étapes")), *Step.choices],
        required=False,
        error_messages={
            "invalid_choice": _("Cette étape n'existe pas : choisissez dans la liste.")
        },
    )
    prix = forms.ChoiceField(
        label=_("Prix"),
        choices=[
            ("", _("Tous les prix")),
            (PRICE_FREE, _("Gratuites")),
            (PRICE_PAID, _("Payantes")),
        ],
        required=False,
        error_messages={"invalid_choice": _("Choisissez « Gratuites » ou « Payantes ».")},
    )

    def filters(self) -> dict:
        """The valid filters; an invalid one is ignored (its error is shown next to it)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"step": data.get("etape") or None, "price": data.get("prix") or None}


class QuizForm(forms.Form):
    """One field per question of a quiz block: radio buttons or checkboxes."""

    def __init__(self, quiz, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quiz = quiz
        for index, question in enumerate(quiz["questions"]):
            choices = [(str(i), answer["text"]) for i, answer in enumerate(question["answers"])]
            if question["kind"] == "multiple":
                field_class, widget = forms.MultipleChoiceField, forms.CheckboxSelectMultiple
                required = _("Cochez au moins une réponse à cette question.")
            else:
                field_class, widget = forms.ChoiceField, forms.RadioSelect
                required = _("Choisissez une réponse à cette question.")
            field = field_class(
                choices=choices,
                widget=widget,
                error_messages={
                    "required": required,
                    "invalid_choice": _("Cette réponse ne fait pas partie des choix."),
                },
            )
            field.label = question["text"]
            field.help_text = (
                _("Plusieurs réponses possibles.") if question["kind"] == "multiple" else ""
            )
            self.fields[f"q{index}"] = field

    def answers(self) -> dict[str, list[int]]:
        result = {}
        for index in range(len(self.quiz["questions"])):
            value = self.cleaned_data.get(f"q{index}")
            values = value if isinstance(value, list) else [value]
            result[str(index)] = sorted(int(v) for v in values if v not in (None, ""))
        return result


class ReflectionForm(forms.Form):
    """A trainee's private answer to a reflection prompt."""

    text = BoundedCharField(
        label=_("Votre réponse"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        strip=True,
        error_messages={
            "required": _("Écrivez votre réponse avant de l'enregistrer."),
            "max_length": _("Votre réponse est trop longue (10 000 caractères au plus)."),
        },
    )
