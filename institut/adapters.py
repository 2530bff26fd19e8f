"""allauth adapter: new accounts are trainees, in the language they signed up in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation

from institut.roles import Role


class AccountAdapter(DefaultAccountAdapter):
    @transaction.atomic
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data["full_name"]
        user.preferred_language = translation.get_language() or "fr"
        if commit:
            user.save()
            trainees, _ = Group.objects.get_or_create(name=Role.TRAINEE.value)
            user.groups.add(trainees)
        return user
