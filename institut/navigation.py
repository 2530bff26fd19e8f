"""The site's menus: each app adds its entries here, shown only when their URL exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from institut import roles
from institut.dashboard import has_space


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    allowed: object = None  # a role question taking the user; None means everyone
    count: str = ""  # dotted path of a one-query function(user) -> int shown beside the label

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


# Public navigation, in the order shown.
MAIN_NAV = [
    NavEntry(_("Formations"), "courses:catalogue"),
    NavEntry(_("Registre TST®"), "certification:registry"),
    NavEntry(_("Vérifier un certificat"), "certification:verify"),
]

# The signed-in person's own pages, by role: shown in the header's second navigation bar.
USER_NAV = [
    NavEntry(_("Mon espace"), "courses:dashboard", has_space),
    NavEntry(_("Mon parcours de certification"), "certification:path", roles.is_trainee),
    NavEntry(_("Supervision"), "supervision:trainer_home", roles.is_trainer),
    NavEntry(
        _("Carnets de pratique à relire"),
        "supervision:logbook_queue",
        roles.is_trainer,
        count="supervision.logbook.selectors.review_queue_count",
    ),
    NavEntry(_("Séances de supervision"), "supervision:session_list", roles.is_trainee),
    NavEntry(_("Mes sessions de formation"), "courses:training_my_sessions", roles.is_trainee),
    NavEntry(_("Sessions de formation à animer"), "courses:training_manage_list", roles.is_trainer),
    # Staff who lead no session see them all, under a name that does not say they lead them.
    NavEntry(
        _("Sessions de formation"),
        "courses:training_manage_list",
        lambda user: user.is_superuser and not roles.is_trainer(user),
    ),
    NavEntry(
        _("Commission de certification"), "certification:committee", roles.is_committee_member
    ),
    NavEntry(_("Administration"), "wagtailadmin_home", roles.can_access_admin),
]


def entries_for(entries: list[NavEntry], user, current_path: str = "") -> list[dict]:
    """The entries this person may see; only the one with the longest matching URL is current."""
    items = []
    for entry in entries:
        if entry.allowed is not None and not entry.allowed(user):
            continue
        url = entry.url()
        if url:
            items.append(
                {
                    "label": entry.label,
                    "url": url,
                    "current": bool(current_path.startswith(url)),
                    "count": import_string(entry.count)(user) if entry.count else None,
                }
            )
    matching = [item for item in items if item["current"]]
    if matching:
        longest = max(matching, key=lambda item: len(item["url"]))
        for item in matching:
            item["current"] = item is longest
    return items
