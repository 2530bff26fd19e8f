"""Panels of the trainee's space (/espace/), contributed by apps that must not import each other.

An app registers a panel in its AppConfig.ready():

    from institut.dashboard import register_panel
    register_panel("supervision/_trainee_panel.html", selectors.trainee_panel_context, order=20)

The /espace/ view (courses) renders every panel in order, each template with the context that its
function returns for the user (a bounded number of queries per panel, whatever the data size).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[object], dict]
    order: int = 50


_panels: list[Panel] = []


def register_panel(template: str, context: Callable[[object], dict], *, order: int = 50) -> None:
    if any(panel.template == template for panel in _panels):
        return
    _panels.append(Panel(template, context, order))
    _panels.sort(key=lambda panel: panel.order)


def panels_for(user) -> list[dict]:
    """Each registered panel's template and context for this user, in order."""
    return [{"template": p.template, "context": p.context(user)} for p in _panels]
