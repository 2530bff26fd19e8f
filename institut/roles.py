"""The four roles of the platform, held as Django groups, and one helper per role question."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from institut.models import User


class Role(StrEnum):
    """A role is a group whose name is this value (created by a data migration)."""

    TRAINEE = "Stagiaires"
    TRAINER = "Formateur·rices"
    COMMITTEE = "Commission de certification"
    EDITOR = "Équipe pédagogique"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.TRAINEE: _("Stagiaire"),
    Role.TRAINER: _("Formateur·rice"),
    Role.COMMITTEE: _("Commission de certification"),
    Role.EDITOR: _("Équipe pédagogique"),
}


def role_names(user: User) -> frozenset[str]:
    """The names of the user's role groups, read once per request and cached on the user."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user: User, role: Role) -> bool:
    return role.value in role_names(user)


def is_trainee(user: User) -> bool:
    return has_role(user, Role.TRAINEE)


def is_trainer(user: User) -> bool:
    return has_role(user, Role.TRAINER)


def is_committee_member(user: User) -> bool:
    return has_role(user, Role.COMMITTEE)


def is_editor(user: User) -> bool:
    return has_role(user, Role.EDITOR)


def can_access_admin(user: User) -> bool:
    """Staff, editors and the committee work in the Wagtail admin."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.is_staff or is_editor(user) or is_committee_member(user))
    )


def requires_mfa(user: User) -> bool:
    """People who certify something (hours, attendance, opinions, decisions) or publish content
    must use a second factor: trainers, the committee, editors and staff."""
    return can_access_admin(user) or bool(user.is_authenticated and is_trainer(user))


def has_mfa(user: User) -> bool:
    """The account has an authenticator app or a passkey (whether this session used it or not:
    see institut.second_factor.policy)."""
    from allauth.mfa.models import Authenticator

    if not user.is_authenticated:
        return False
    cached = getattr(user, "_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(
            user=user, type__in=(Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
        ).exists()
        user._has_mfa = cached
    return cached


def user_roles(user: User) -> list[Role]:
    return [role for role in Role if has_role(user, role)]
