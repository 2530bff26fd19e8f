"""A form that asks a service for a change: the change made and said, or the service's refusal
(a ValidationError) shown on the form."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.core.exceptions import ValidationError


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
        form.add_error(None, getattr(refusal, "message", str(refusal)))
        return False
    messages.success(request, success)
    return True
