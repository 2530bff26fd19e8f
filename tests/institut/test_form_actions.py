"""A service's refusal lands on the form that asked for the change; a done change is said once."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from institut import form_actions
from institut.form_actions import (
    action_done,
    errors_to_form,
    form_action_done,
    form_page,
    refusal_text,
)


class EntryForm(forms.Form):
    hours = forms.DecimalField()
    note = forms.CharField(required=False)


def posted(data: dict):
    request = RequestFactory().post("/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_it_puts_each_message_on_the_field_it_names():
    form = EntryForm({"hours": "2"})
    assert form.is_valid()
    errors_to_form(form, ValidationError({"note": "Trop court.", "unknown": "Refusé."}))
    assert form.errors["note"] == ["Trop court."]
    assert form.non_field_errors() == ["Refusé."]


def test_it_puts_a_model_field_on_the_form_field_it_is_typed_in():
    form = EntryForm({"hours": "2"})
    assert form.is_valid()
    errors_to_form(
        form,
        ValidationError({"duration_minutes": "Trop long."}),
        renamed={"duration_minutes": "hours"},
    )
    assert form.errors["hours"] == ["Trop long."]


def test_it_puts_a_message_without_a_field_above_the_form():
    form = EntryForm({"hours": "2"})
    assert form.is_valid()
    errors_to_form(form, ValidationError("Période confirmée."))
    assert form.non_field_errors() == ["Période confirmée."]


def test_it_does_the_change_and_says_it_once_when_the_form_is_valid():
    request = posted({"hours": "2"})
    done = []
    assert form_action_done(request, EntryForm(request.POST), done.append, "Enregistré.")
    assert done == [{"hours": 2, "note": ""}]
    assert [str(message) for message in get_messages(request)] == ["Enregistré."]


@pytest.mark.parametrize("data", [{"hours": "deux"}, {}])
def test_it_does_nothing_when_the_form_is_invalid(data):
    request = posted(data)
    done = []
    assert not form_action_done(request, EntryForm(request.POST), done.append, "Enregistré.")
    assert done == []
    assert list(get_messages(request)) == []


def test_it_shows_the_refusal_on_the_form_and_says_nothing_done():
    request = posted({"hours": "2"})
    form = EntryForm(request.POST)

    def refuse(data):
        raise ValidationError({"hours": "Au-delà du plafond."})

    assert not form_action_done(request, form, refuse, "Enregistré.")
    assert form.errors["hours"] == ["Au-delà du plafond."]
    assert list(get_messages(request)) == []


def test_it_does_nothing_on_a_get():
    request = RequestFactory().get("/")
    done = []
    assert not form_action_done(request, EntryForm(), done.append, "Enregistré.")
    assert done == []


class Refused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def test_it_binds_the_form_to_a_post_only():
    assert form_actions.posted(RequestFactory().get("/", {"hours": "2"})) is None
    assert form_actions.posted(RequestFactory().post("/", {})) == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("request_", "status"), [(posted({"hours": "2"}), 400), (RequestFactory().get("/"), 200)]
)
def test_it_answers_400_when_the_form_page_answers_a_post(request_, status):
    request_.user = AnonymousUser()
    assert form_page(request_, "429.html", {}).status_code == status


def test_it_says_a_refusal_in_its_own_words():
    error = ValidationError("Au plus %(most)s heures.", params={"most": 3})
    assert refusal_text(error) == "Au plus 3 heures."
    assert refusal_text(ValidationError({"a": "Un.", "b": "Deux."})) == "Un. Deux."
    assert refusal_text(Refused("Session complète.")) == "Session complète."
    assert refusal_text(PermissionDenied("Interdit.")) == "Interdit."


def test_it_says_a_done_button_action_once():
    request = posted({})
    done = []
    assert action_done(request, lambda: done.append(1), "Envoyé.")
    assert done == [1]
    assert [str(message) for message in get_messages(request)] == ["Envoyé."]


def test_it_says_the_refusal_of_a_button_action_as_an_error():
    request = posted({})

    def refuse():
        raise Refused("Session complète.")

    assert not action_done(request, refuse, "Envoyé.", refusals=(Refused,))
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("error", "Session complète.")
    ]


def test_it_lets_an_unexpected_error_through():
    def fail():
        raise Refused("Session complète.")

    with pytest.raises(Refused):
        action_done(posted({}), fail, "Envoyé.")
