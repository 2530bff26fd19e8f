"""Wagtail admin: staff edit the certification scheme and publish versions of the charter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup

from certification.models import CertificationScheme, CharterVersion
from courses import selectors as course_selectors
from institut.method import Step
from institut.viewsets import InstitutViewSet


def course_choices() -> list[tuple[str, str]]:
    """The courses of the French catalogue, by translation key (the same in every language)."""
    catalogue = course_selectors.catalogue_page(language="fr")
    if catalogue is None:
        return []
    return [
        (str(course.translation_key), course.title)
        for course in course_selectors.catalogue_courses(index=catalogue)
    ]


class SchemeAdminForm(WagtailAdminModelForm):
    """The scheme's form: required courses are chosen among the catalogue's courses."""

    required_course_keys = forms.MultipleChoiceField(
        label=_("Formations requises"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les formations à terminer, toutes langues confondues."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = course_choices()
        known = {value for value, _label in choices}
        # Keep courses chosen earlier even if they left the catalogue since.
        for key in self.initial.get("required_course_keys") or []:
            if str(key) not in known:
                choices.append(
                    (str(key), _("Formation retirée du catalogue (%(key)s)") % {"key": key})
                )
        self.fields["required_course_keys"].choices = choices
        self.initial["required_course_keys"] = [
            str(key) for key in self.initial.get("required_course_keys") or []
        ]
        if "min_training_hours" in self.fields:
            self.fields["min_training_hours"].required = False

    def clean_min_training_hours(self):
        return self.cleaned_data.get("min_training_hours") or 0


step_panels = [FieldPanel(f"min_hours_{step.value}") for step in Step]


class SchemeViewSet(InstitutViewSet):
    model = CertificationScheme
    icon = "tasks"
    menu_label = _("Référentiel")
    list_display = ["name", "version", "is_active", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldPanel("name_en"), FieldPanel("description_en")],
                heading=_("En anglais"),
            ),
            FieldPanel("is_active"),
            FieldPanel("required_course_keys"),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("min_practice_hours"), FieldPanel("min_supervision_hours")]
                    ),
                    *step_panels,
                ],
                heading=_("Pratique et supervision"),
                help_text=_("Heures minimales de pratique approuvée, au total et par étape."),
            ),
            FieldPanel("min_training_hours"),
            FieldPanel("requires_charter"),
            FieldPanel("requires_supervisor_opinion"),
            FieldRowPanel([FieldPanel("validity_years"), FieldPanel("renewal_supervision_hours")]),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("renewal_audit_percent"),
                            FieldPanel("renewal_audit_deadline_days"),
                            FieldPanel("renewal_audit_grace_days"),
                        ]
                    ),
                ],
                heading=_("Audits des renouvellements"),
                help_text=_(
                    "Chaque mois, une part des renouvellements accordés le mois précédent est "
                    "tirée au sort : les titulaires tiré·es déposent leurs justificatifs dans le "
                    "délai ; passé ce délai, un rappel, puis une proposition de suspension."
                ),
            ),
        ],
        base_form_class=SchemeAdminForm,
    )


class CharterForm(WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        # Its English wording may still be added or corrected: what was accepted is the French.
        changed = set(self.changed_data) - {"title_en", "body_en"}
        if self.instance.pk and changed and self.instance.acceptances.exists():
            raise forms.ValidationError(
                _("Cette version a déjà été acceptée : publiez une nouvelle version plutôt.")
            )
        return data


class CharterViewSet(InstitutViewSet):
    model = CharterVersion
    icon = "doc-full"
    menu_label = _("Charte éthique")
    list_display = ["title", "version", "published_on"]
    edit_handler = ObjectList(
        [
            FieldPanel("version"),
            FieldPanel("title"),
            FieldPanel("published_on"),
            FieldPanel("body"),
            MultiFieldPanel(
                [FieldPanel("title_en"), FieldPanel("body_en")],
                heading=_("En anglais"),
            ),
        ],
        base_form_class=CharterForm,
    )


class CertificationViewSetGroup(ViewSetGroup):
    menu_label = _("Certification TST®")
    menu_icon = "success"
    menu_order = 320
    items = (SchemeViewSet("certification_scheme"), CharterViewSet("certification_charter"))


@hooks.register("register_admin_viewset")
def register_certification_viewsets():
    return CertificationViewSetGroup()
