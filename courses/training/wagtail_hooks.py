"""Wagtail admin: staff edit the satisfaction questions and reach the training pages (sessions,
BPF) from the admin menu."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column

from courses.training import permissions
from courses.training.models import SatisfactionQuestion
from institut.viewsets import InstitutViewSet, PermittedMenuItem


class SatisfactionQuestionViewSet(InstitutViewSet):
    """The questions of the à chaud and à froid questionnaires; answers keep the text asked."""

    model = SatisfactionQuestion
    icon = "help"
    menu_label = _("Questions de satisfaction")
    add_to_admin_menu = False
    list_display = [
        "text",
        "kind",
        "answer_type",
        "position",
        # Wagtail writes a bare boolean as "True"/"False": staff read "oui"/"non".
        Column(
            "is_active",
            label=_("Posée"),
            accessor=lambda question: gettext("oui") if question.is_active else gettext("non"),
        ),
        Column(
            "is_headline",
            label=_("Question principale"),
            accessor=lambda question: gettext("oui") if question.is_headline else "",
        ),
    ]
    list_filter = ["kind", "is_active"]
    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("answer_type")]),
        FieldPanel("text"),
        FieldPanel("text_en"),
        FieldRowPanel([FieldPanel("position"), FieldPanel("required"), FieldPanel("is_active")]),
        FieldPanel("is_headline"),
    ]


satisfaction_question_viewset = SatisfactionQuestionViewSet("training_satisfaction_questions")


@hooks.register("register_admin_viewset")
def register_satisfaction_questions():
    return satisfaction_question_viewset


def _training_menu_item(label, url, **kwargs) -> PermittedMenuItem:
    """A link from the admin to the training pages, for staff who run sessions."""
    return PermittedMenuItem(label, url, allowed=permissions.can_manage_training, **kwargs)


@hooks.register("register_admin_menu_item")
def register_sessions_menu_item():
    return _training_menu_item(
        _("Sessions de formation"),
        reverse("courses:training_manage_list"),
        icon_name="date",
        order=260,
    )


@hooks.register("register_reports_menu_item")
def register_bpf_menu_item():
    return _training_menu_item(
        _("Bilan pédagogique et financier"), reverse("courses:training_bpf"), icon_name="table"
    )


@hooks.register("register_settings_menu_item")
def register_questions_menu_item():
    return _training_menu_item(
        _("Questions de satisfaction"),
        reverse(satisfaction_question_viewset.get_url_name("index")),
        icon_name="help",
        order=900,
    )
