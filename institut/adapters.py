"""allauth adapter: new accounts are trainees; people stay in the language they are using and
land on their own space after login (or where `next` says); the account e-mails (confirmation,
password reset…) go through the outbox, signed by the Institut."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation

from institut.dashboard import space_url
from institut.outbox.branding import current_branding
from institut.outbox.email_backend import message_bodies
from institut.outbox.services import email_enqueue, repeat_versions
from institut.roles import Role


@dataclass(frozen=True)
class InstitutSite:
    """What allauth's templates call ``current_site``: the Institut's name, never the host."""

    name: str
    domain: str


def home_url_for_current_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"


# allauth's password reset link carries the second it was made: two requests for the same
# address within this many seconds (a double click straddling a second) owe one e-mail; the first
# link is as good as the second. Asked again a few seconds later, a new link is sent.
RESET_DOUBLE_CLICK_SECONDS = 2
PASSWORD_RESET = "account/email/password_reset_key"


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
        """allauth follows `next` before asking; without it, the person's space (or home)."""
        url = super().get_login_redirect_url(request)
        if url != settings.LOGIN_REDIRECT_URL:
            return url
        return space_url(request.user) or home_url_for_current_language()

    def get_logout_redirect_url(self, request):
        return home_url_for_current_language()

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's e-mail and owe it through the outbox (sent after the commit).

        Each request for a link or a code is its own effect: allauth makes a new code each
        time, and its links carry the second they were made (the password reset's token, the
        signed confirmation key), so that asking again sends again (allauth's rate limits bound
        how often). Only the very same message again within REPEAT_WINDOW_SECONDS is one effect:
        a request sent again within one second (or a notice without a link, such as « no account
        at this address »), has nothing new to tell. A password reset asked again for the same
        address within RESET_DOUBLE_CLICK_SECONDS is a double click, whatever its link says.
        """
        branding = current_branding()
        ctx = {
            "request": allauth_context.request,
            "email": email,
            "current_site": InstitutSite(name=branding.name, domain=branding.name),
            "site_url": settings.SITE_URL,
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        text, html = message_bodies(message)
        user = context.get("user")
        to = user if getattr(user, "email", "").lower() == email.lower() else email
        if template_prefix == PASSWORD_RESET:
            version, earlier = repeat_versions(
                template_prefix, email.lower(), window=RESET_DOUBLE_CLICK_SECONDS
            )
        else:
            version, earlier = repeat_versions(message.subject, text, html)
        email_enqueue(
            kind="account:" + template_prefix.rsplit("/", 1)[-1],
            to=to,
            subject=message.subject,
            text=text,
            html_body=html,
            version=version,
            owed_as=[earlier],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
