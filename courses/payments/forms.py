"""Forms of the payments admin: a funded enrolment, a CSV file of them, and a refund."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import CoursePage
from courses.payments.models import FundingSource
from institut.fields import BoundedCharField
from institut.formats import money


class FundedEnrolmentForm(forms.Form):
    """Enrol one trainee whom someone else pays for."""

    email = forms.EmailField(label=gettext_lazy("E-mail du ou de la stagiaire"))
    course = forms.ModelChoiceField(
        label=gettext_lazy("Formation"), queryset=CoursePage.objects.none()
    )
    source = forms.ChoiceField(label=gettext_lazy("Financement"), choices=FundingSource.choices)
    reference = BoundedCharField(
        label=gettext_lazy("Référence du financement"), max_length=100, required=False
    )
    payer_name = BoundedCharField(label=gettext_lazy("Payeur"), max_length=200, required=False)
    payer_address = BoundedCharField(
        label=gettext_lazy("Adresse de facturation"),
        max_length=1000,
        widget=forms.Textarea,
        required=False,
    )
    payer_email = forms.EmailField(label=gettext_lazy("E-mail de facturation"), required=False)
    amount_euros = forms.DecimalField(
        label=gettext_lazy("Montant facturé (€)"),
        min_value=0,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("Vide : le prix de la formation."),
    )
    prerequisites_waived_reason = forms.CharField(
        label=gettext_lazy("Dispense des formations prérequises"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Seulement si la personne n'a pas terminé les formations prérequises : le motif de "
            "la dispense, gardé avec votre nom dans l'historique de l'inscription."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")

    def clean_email(self):
        from institut.models import User

        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("Aucun compte ne porte cette adresse."))
        self.user = user
        return self.cleaned_data["email"]


MAX_CSV_BYTES = 1024 * 1024


class FundingCsvForm(forms.Form):
    """A CSV file of funded enrolments: email, course, funding, reference, payer."""

    file = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy(
            "Colonnes : email, course (slug ou identifiant), funding (employer, training_fund "
            "ou opco, public_body, institut), reference, payer ; facultatives : payer_address, "
            "payer_email. UTF-8, séparateur virgule ou point-virgule, 1 Mo au plus."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Le fichier ne doit pas dépasser 1 Mo."))
        return upload


class RefundForm(forms.Form):
    """A refund of all or part of a payment, asked of Stripe by staff, with its reason."""

    amount_euros = forms.DecimalField(
        label=gettext_lazy("Montant à rembourser (€)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        localize=True,  # 20,50 in French, 20.50 in English
    )
    reason = BoundedCharField(
        label=gettext_lazy("Motif"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Gardé avec votre nom dans l'historique du paiement."),
    )
    # Chosen when the form is confirmed: the same confirmation sent twice refunds once.
    key = forms.RegexField(
        regex=r"\A[0-9a-f]{32}\Z", max_length=32, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, available_cents: int, currency: str = "EUR", **kwargs):
        super().__init__(*args, **kwargs)
        self.available_cents = available_cents
        self.available = money(available_cents, currency)
        self.fields["amount_euros"].help_text = _("Au plus %(available)s.") % {
            "available": self.available
        }

    def clean_amount_euros(self):
        amount = self.cleaned_data["amount_euros"]
        if int(amount * 100) > self.available_cents:
            raise forms.ValidationError(
                _("Le montant dépasse ce qui reste à rembourser (%(available)s).")
                % {"available": self.available}
            )
        return amount

    @property
    def amount_cents(self) -> int:
        return int(self.cleaned_data["amount_euros"] * 100)


class TermsAcceptanceForm(forms.Form):
    """The trainee's acceptance of the terms of sale (CGV), asked before Stripe Checkout."""

    accept_terms = forms.BooleanField(
        error_messages={
            "required": gettext_lazy(
                "Pour payer, cochez la case « J'ai lu et j'accepte les conditions générales de "
                "vente »."
            )
        },
    )

    def __init__(self, *args, terms_url: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].label = format_html(
            _("J'ai lu et j'accepte les <a href=\"{url}\">conditions générales de vente</a>"),
            url=terms_url,
        )
