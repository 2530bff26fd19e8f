"""Form tags of every page: the error summary of the forms on it, the note on required fields.

The summary is built once, in base.html, from the forms found in the page's context: every page
with a bound form in error gets it (and its title's « Erreur : » prefix) without its template
asking for it.
"""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BaseFormSet
from django.forms.boundfield import BoundField
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _forms_in(context) -> list[BaseForm]:
    """The bound forms of the context (formsets' forms included), each once, in context order."""
    found: list[BaseForm] = []
    seen: set[int] = set()

    def add(form: BaseForm) -> None:
        if id(form) not in seen and form.is_bound:
            seen.add(id(form))
            found.append(form)

    for value in context.flatten().values():
        # type(), not isinstance(): a lazy object (request.user) must not be evaluated here.
        kind = type(value)
        if issubclass(kind, BaseForm):
            add(value)
        elif issubclass(kind, BaseFormSet) and value.is_bound:
            for form in value.forms:
                add(form)
    return found


def field_anchor(field: BoundField) -> str:
    """The id a summary link goes to: the input itself, the first of a group of choices."""
    if field.is_hidden:
        return ""
    if field.id_for_label:
        return field.id_for_label
    for subwidget in field.subwidgets:
        if subwidget.id_for_label:
            return subwidget.id_for_label
    return field.auto_id or ""


@register.simple_tag(takes_context=True)
def error_summary(context) -> list[dict]:
    """The errors of the page's forms, in page order: the text and, for a field, its anchor."""
    items: list[dict] = []
    for form in _forms_in(context):
        if not form.errors:
            continue
        # An error of the whole form goes to its first field (GOV.UK's rule).
        first = next((f for f in form if not f.is_hidden), None)
        for error in form.non_field_errors():
            items.append(
                {"anchor": field_anchor(first) if first else "", "label": "", "text": error}
            )
        for field in form:
            for error in field.errors:
                # A checkbox's label is often a sentence: « … annulée. » loses its full stop
                # before « : Champ requis. ».
                label = str(field.label or "").rstrip(" .")
                items.append({"anchor": field_anchor(field), "label": label, "text": error})
    formsets = [v for v in context.flatten().values() if issubclass(type(v), BaseFormSet)]
    for formset in formsets:
        if formset.is_bound:
            for error in formset.non_form_errors():
                items.append({"anchor": "", "label": "", "text": error})
    return items


@register.simple_tag
def required_note(field: BoundField) -> str:
    """Says what the asterisk means, once per form, just before its first required field."""
    form = field.form
    if not field.field.required or field.is_hidden or getattr(form, "_required_note_shown", False):
        return ""
    form._required_note_shown = True
    star = mark_safe('<span class="required" aria-hidden="true">*</span>')
    text = format_html(_("Les champs marqués d'un astérisque {star} sont obligatoires."), star=star)
    return format_html('<p class="required-note">{}</p>', text)
