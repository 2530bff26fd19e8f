"""The account itself: profile, roles, e-mail addresses, second factors, the admin's log lines."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, ProtectedError, Q, RestrictedError
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.users.models import UserProfile

from institut.models import User
from institut.privacy.registry import Notice, Provider, TableSpec
from institut.roles import ROLE_LABELS


class AccountData(Provider):
    """The person's account, as the institut app holds it."""

    key = "compte"
    label = _("Compte")
    order = 0

    table_specs = (
        TableSpec(
            "profil",
            _("Profil"),
            User,
            lambda user: Q(pk=user.pk),
            [
                "email",
                "full_name",
                "preferred_language",
                "time_zone",
                "date_joined",
                "last_login",
                "is_active",
            ],
        ),
        TableSpec(
            "roles", _("Rôles"), Group, "user", {"name": _("Rôle")}, labels={"name": ROLE_LABELS}
        ),
        TableSpec(
            "adresses_email",
            _("Adresses e-mail"),
            EmailAddress,
            "user",
            {"email": _("Adresse"), "verified": _("Vérifiée"), "primary": _("Principale")},
        ),
        TableSpec(
            "double_authentification",
            _("Double authentification"),
            Authenticator,
            "user",
            {"type": _("Type"), "created_at": _("Créée le"), "last_used_at": _("Utilisée le")},
        ),
    )

    def notices(self, user) -> list[Notice]:
        return [
            Notice(
                _(
                    "Votre compte est fermé : votre nom, vos adresses e-mail, votre mot de passe "
                    "et votre double authentification sont effacés."
                )
            )
        ]

    def erase(self, user, erasure) -> None:
        erasure.delete(EmailAddress.objects.filter(user=user))
        erasure.delete(Authenticator.objects.filter(user=user))
        erasure.delete(UserProfile.objects.filter(user=user))
        # The admin's log keeps what staff did, but a label or data naming the person loses it.
        erasure.scrub(ModelLogEntry.objects.all(), "label", "data")
        erasure.scrub(PageLogEntry.objects.all(), "label", "data")

    def apply_retention(self, *, now: datetime.datetime) -> dict[str, int]:
        return {
            "comptes non vérifiés supprimés": unverified_accounts_remove(now=now),
            "sessions expirées supprimées": Session.objects.filter(expire_date__lt=now).delete()[0],
            "confirmations d'adresse expirées supprimées": (
                EmailConfirmation.objects.all_expired().delete()[0]
            ),
        }


def unverified_accounts_remove(*, now: datetime.datetime) -> int:
    """Delete accounts whose address was never confirmed within the delay (they never signed in:
    confirmation is mandatory). One that holds records after all is erased instead."""
    from institut.privacy.erasure import account_erase

    limit = now - datetime.timedelta(days=settings.PRIVACY_UNVERIFIED_ACCOUNT_DAYS)
    addresses = EmailAddress.objects.filter(user=OuterRef("pk"))
    # Signed up with an address still awaiting confirmation (accounts that staff create have
    # no address row: they are not "unverified sign-ups" and stay).
    stale = User.objects.filter(
        Exists(addresses.filter(verified=False)),
        ~Exists(addresses.filter(verified=True)),
        date_joined__lt=limit,
        last_login__isnull=True,
        erased_at__isnull=True,
        is_staff=False,
        is_superuser=False,
    )
    removed = 0
    for user in stale.iterator():
        try:
            with transaction.atomic():
                user.delete()
        except (ProtectedError, RestrictedError):
            account_erase(user=user)
        removed += 1
    return removed
