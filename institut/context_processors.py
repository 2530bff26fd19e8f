"""Template context shared by every page: role flags and menus.

Content apps add their own context processors in settings (home: the Institut's details).
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from institut import roles
from institut.navigation import MAIN_NAV, USER_NAV, entries_for


class RoleFlags:
    """What the current person's roles allow, for menus and templates."""

    def __init__(self, user) -> None:
        self.trainee = roles.is_trainee(user)
        self.trainer = roles.is_trainer(user)
        self.committee = roles.is_committee_member(user)
        self.editor = roles.is_editor(user)
        self.admin = roles.can_access_admin(user)
        self.labels = [role.label for role in roles.user_roles(user)]


def site(request) -> dict:
    user = request.user
    return {
        "roles": SimpleLazyObject(lambda: RoleFlags(user)),
        "main_nav": SimpleLazyObject(lambda: entries_for(MAIN_NAV, user, request.path)),
        "user_nav": SimpleLazyObject(
            lambda: entries_for(USER_NAV, user, request.path) if user.is_authenticated else []
        ),
    }
