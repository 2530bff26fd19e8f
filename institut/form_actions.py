"""A form that asks a service for a change: the change made and said, or the service's refusal
(a ValidationError) shown on the form; the form's page, 400 when a posted form was refused; a
button that asks a service for a change: the change said, or its refusal."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render


def posted(request):
    """The data of a POST for its form, None otherwise (the form then unbound, even when the
    POST was empty)."""
    return request.POST if request.method == "POST" else None


def errors_to_form(form, error: ValidationError, *, renamed: Mapping[str, str] | None = None):
    """Each message on the field it names (or the form field `renamed` gives for a model field),
    and above the form when no field of the form has that name."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, texts in error.message_dict.items():
        field = (renamed or {}).get(field, field)
        form.add_error(field if field in form.fields else None, texts)


def form_action_done(
    request,
    form,
    action: Callable[[dict], object],
    success: str,
    *,
    refusals: tuple[type[Exception], ...] = (),
) -> bool:
    """When the form was posted and is valid, call `action(form.cleaned_data)`: True once done
    (the success message is queued), False to show the form again (with the refusal on it).

    A refusal is a ValidationError, or one of `refusals` (an app's own exception, whose
    `message` goes above the form)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        errors_to_form(form, error)
        return False
    except refusals as refusal:
        form.add_error(None, refusal_text(refusal))
        return False
    messages.success(request, success)
    return True


def form_page(request, template: str, context: Mapping[str, object]) -> HttpResponse:
    """The page of a form: 400 when it answers a POST (the posted form was refused, or the
    view would have redirected), 200 otherwise."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def refusal_text(refusal: Exception) -> str:
    """What a refused change says to the person: a ValidationError's messages, or the
    `message` of an app's own refusal (its text otherwise)."""
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return getattr(refusal, "message", str(refusal))


def action_done(
    request,
    action: Callable[[], object],
    success: str,
    *,
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> bool:
    """Call `action()` (a button's change, without a form): True once done (the success message
    is queued), False when it raised one of `refusals` (its text queued as an error)."""
    try:
        action()
    except refusals as refusal:
        messages.error(request, refusal_text(refusal))
        return False
    messages.success(request, success)
    return True
