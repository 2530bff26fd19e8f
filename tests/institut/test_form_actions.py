"""A service's refusal lands on the form that asked for the change; a done change is said once."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from institut.form_actions import errors_to_form, form_action_done


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
