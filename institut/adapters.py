"""allauth adapter: new accounts are trainees; people stay in the language they are using."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation

from institut.roles import Role


def home_url_for_current_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"


class AccountAdapter(DefaultAccountAdapter):
    @transaction.atomic
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data["full_name"]
        user.preferred_language = translation.get_language() or settings.LANGUAGE_CODE
        if commit:
            user.save()
            trainees, _ = Group.objects.get_or_create(name=Role.TRAINEE.value)
            user.groups.add(trainees)
        return user

    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        return home_url_for_current_language() if url == settings.LOGIN_REDIRECT_URL else url

    def get_logout_redirect_url(self, request):
        return home_url_for_current_language()
