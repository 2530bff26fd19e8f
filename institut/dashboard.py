"""The person's space (/espace/): panels contributed by apps that must not import each other.

The space has one part per role the person holds (trainee, trainer, committee, staff), and the
parts apps add with `register_space` (a certificate holder's, when the trainee part does not
already show their certificate). An app registers a panel of a part in its AppConfig.ready():

    from institut.dashboard import register_panel
    register_panel("supervision/_trainee_panel.html", selectors.trainee_panel_context, order=20)
    register_panel("supervision/_trainer_panel.html", workspace.trainer_context, space="trainer")

and a staff action item (a label, a one-query count, where to act) with `register_staff_item`.
The /espace/ view (courses) renders every panel of the person's parts in order, each template
with the context that its function returns for the user (a bounded number of queries per panel,
whatever the data size).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from institut import roles

TRAINEE = "trainee"


def is_staff(user) -> bool:
    """The Institut's team: people with the staff flag (or superusers)."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


@dataclass(frozen=True)
class Space:
    key: str
    title: object
    allowed: Callable[[object], bool]
    # Whether `allowed` reads the database (a role is read once per request with the others):
    # asked last when only "has any part" matters (the navigation, on every page).
    queries: bool = False


# The parts of a person's space, in the order shown.
SPACES = [
    Space(TRAINEE, _("Ma formation"), roles.is_trainee),
    Space("trainer", _("Formateur·rice"), roles.is_trainer),
    Space("committee", _("Commission de certification"), roles.is_committee_member),
    Space("staff", _("Équipe de l'Institut"), is_staff),
]


def register_space(
    key: str, title, allowed: Callable[[object], bool], *, after: str, queries: bool = False
) -> None:
    """A part of the space that an app adds, shown after the part `after` (e.g. the
    certification's part of a certificate holder who follows no training)."""
    if any(space.key == key for space in SPACES):
        return
    position = next(i for i, space in enumerate(SPACES) if space.key == after) + 1
    SPACES.insert(position, Space(key, title, allowed, queries))


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[object], dict]
    order: int = 50
    space: str = TRAINEE


_panels: list[Panel] = []


def register_panel(
    template: str, context: Callable[[object], dict], *, order: int = 50, space: str = TRAINEE
) -> None:
    if any(panel.template == template and panel.space == space for panel in _panels):
        return
    _panels.append(Panel(template, context, order, space))
    _panels.sort(key=lambda panel: panel.order)


def registered_panels() -> list[Panel]:
    """Every panel the apps registered, in order."""
    return list(_panels)


def panels_for(user, space: str = TRAINEE) -> list[dict]:
    """Each registered panel's template and context for this user, in order."""
    return [
        {"template": p.template, "context": p.context(user)} for p in _panels if p.space == space
    ]


def spaces_of(user) -> list[Space]:
    """The parts of the space this person has, one per role."""
    if not user.is_authenticated:
        return []
    return [space for space in SPACES if space.allowed(user)]


def has_space(user) -> bool:
    """Whether the person has any part: the parts that read nothing more are asked first."""
    if not user.is_authenticated:
        return False
    return any(space.allowed(user) for space in sorted(SPACES, key=lambda space: space.queries))


def space_url(user) -> str | None:
    """Where this person lands after login: their space, if they have one (any role)."""
    return reverse("courses:dashboard") if has_space(user) else None


def render_spaces(request, *, exclude: str = TRAINEE) -> list[dict]:
    """The person's parts other than `exclude`, each with its panels rendered to HTML."""
    parts = []
    for space in spaces_of(request.user):
        if space.key == exclude:
            continue
        panels = [
            mark_safe(render_to_string(panel["template"], panel["context"], request))
            for panel in panels_for(request.user, space.key)
        ]
        parts.append({"key": space.key, "title": space.title, "panels": panels})
    return parts


# --- What the Institut's team has to act on ---------------------------------------------------


@dataclass(frozen=True)
class StaffItem:
    label: object
    count: Callable[[], int]  # one query
    url_name: str
    order: int = 50
    query: str = ""  # e.g. "status=failed": the admin list filtered on what to act on

    def url(self) -> str | None:
        try:
            url = reverse(self.url_name)
        except NoReverseMatch:
            return None
        return f"{url}?{self.query}" if self.query else url


_staff_items: list[StaffItem] = []


def register_staff_item(
    label, count: Callable[[], int], url_name: str, *, order: int = 50, query: str = ""
) -> None:
    """An item of the staff part: e.g. "Paiements en erreur", its count, the admin list."""
    if any(item.url_name == url_name and item.label == label for item in _staff_items):
        return
    _staff_items.append(StaffItem(label, count, url_name, order, query))
    _staff_items.sort(key=lambda item: item.order)


def staff_panel_context(user) -> dict:
    """Each registered action item with its count (one query each), those to act on first."""
    items = [
        {"label": item.label, "count": item.count(), "url": item.url()} for item in _staff_items
    ]
    items.sort(key=lambda item: item["count"] == 0)
    return {"staff_items": items, "staff_nothing": all(item["count"] == 0 for item in items)}
