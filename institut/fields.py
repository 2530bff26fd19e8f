"""Fields for text whose length is checked before anything else reads it.

Django runs every validator of a field, the length validator among them, on whatever was
posted: a 200 KB value would still reach the pattern validators (the logbook's e-mail and phone
detector), the field's `clean_<name>` method and the model's validators. `BoundedCharField`
refuses an over-long value in `to_python`, before any of them runs.

A model's `TextField(max_length=…)` bounds only the forms Django builds for it: `full_clean()`
ignores it, so text that reaches the model another way (wagtail-localize builds a translated page
from its segments, then validates it) is not bounded. `BoundedTextField` bounds both.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models


class BoundedCharField(forms.CharField):
    """A text field that must have a maximum length, checked first."""

    def __init__(self, *, max_length: int, **kwargs):
        if max_length is None:
            raise TypeError("BoundedCharField needs a max_length")
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            try:
                MaxLengthValidator(self.max_length)(value)
            except ValidationError as error:
                if "max_length" in self.error_messages:
                    error.message = self.error_messages["max_length"]
                raise
        return value


class BoundedTextField(models.TextField):
    """A model text field whose max_length its forms and `full_clean()` both enforce."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BoundedCharField, **kwargs})

    def deconstruct(self):
        # A plain TextField in migrations: the bound is a validator, the column stays `text`.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class IsoDateInput(forms.DateInput):
    """An `<input type="date">`: browsers read its value only as yyyy-mm-dd, whatever the
    language of the page (the localised « 06/12/2026 » would leave it empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
