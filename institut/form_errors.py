"""A service's refusal (a ValidationError) shown on the form that asked for the change."""

from __future__ import annotations

from collections.abc import Mapping

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
