"""Authentication backends that load a signed-in person's roles with the person: one query.

Every page asks for the roles (menus, permissions); Django's backends load the user, then
`role_names` would read the groups in a second query on every request. The person with their
roles is then kept in the cache (institut.person_cache) until they or their roles change.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection
from django.db.models import Aggregate, CharField

from institut import person_cache


class RolesWithUserMixin:
    """`get_user` that reads the user's group names in the same query."""

    def get_user(self, user_id):
        # Kept in the cache until the person, their roles or a role group change (issue 16).
        user = person_cache.cached(person_cache.user_key(user_id), lambda: self._read(user_id))
        if user is None or not self.user_can_authenticate(user):
            return None
        return user

    def _read(self, user_id):
        users = get_user_model()._default_manager.all()
        if connection.vendor == "postgresql":
            from django.contrib.postgres.aggregates import ArrayAgg

            users = users.annotate(role_list=ArrayAgg("groups__name", distinct=True))
        else:  # SQLite: the names in one text, split below
            users = users.annotate(role_text=_GroupNames("groups__name"))
        user = users.filter(pk=user_id).first()
        if user is None:
            return None
        names = getattr(user, "role_list", None)
        if names is None:
            names = (getattr(user, "role_text", None) or "").split(_SEPARATOR)
        user._role_names = frozenset(name for name in names if name)
        return user


# A character no group name holds (the unit separator), between the names SQLite joins.
_SEPARATOR = "\x1f"


class _GroupNames(Aggregate):
    """SQLite's GROUP_CONCAT of the group names: the roles in the person's own query, as
    ArrayAgg does on PostgreSQL (NULL when the person has no group)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, char(31))"
    output_field = CharField()


class ModelBackend(RolesWithUserMixin, DjangoModelBackend):
    """Django's backend (password login, admin), with the roles loaded with the user."""


class AuthenticationBackend(RolesWithUserMixin, AllauthBackend):
    """allauth's backend (login by e-mail), with the roles loaded with the user."""
