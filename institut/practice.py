"""Practice a trainee carried out elsewhere on the platform, offered to their logbook as
pre-filled entries (a training day they attended, for instance).

The logbook (supervision.logbook) may not import the apps where such practice is recorded
(courses and supervision do not import each other), and institut imports no app. An app
registers a source from its AppConfig.ready():

    from institut import practice
    practice.register_source("training-day", selectors.training_days_to_log)

A source is a function `(user, since) -> list[PracticeSuggestion]`: what the person did, on or
after `since`, that could become an entry; each suggestion's key starts with the source's name
and a colon. The sources today: attended training days (courses) and attended supervision
sessions (supervision). The logbook lists them (`suggestions_for`), leaves out those already in an
entry (an entry keeps the key of the suggestion it came from; supervision.logbook.selectors
.entry_link says how) and pre-fills an entry from one (`suggestion`). A source reads a bounded
number of queries, whatever the data size.

The logbook registers in turn what it still offers a person (`register_logbook`), so that the
page where the practice happened offers it too (`still_to_log`: a training session's page lists
the attended days not yet logged, linking to the logbook's pre-filled entry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date as Date

from institut.content_language import Wording


@dataclass(frozen=True)
class PracticeSuggestion:
    """One piece of practice the trainee may put in their logbook, and what pre-fills it."""

    key: str  # "<source>:<reference>", unique for the person; kept on the entry it becomes
    date: Date
    minutes: int
    steps: tuple[str, ...]  # codes of institut.method.Step
    title: str  # shown in the list, and the entry's description to start from
    kind: str = ""  # what it is, for the list ("Journée de formation")
    # The language the title is written in, "" when it is the interface's (a wording of the
    # platform): a title typed in French is marked lang="fr" on an English page (`|lang_attr`).
    language: str = ""

    @property
    def title_wording(self) -> Wording:
        """The title and its language, for `|with_lang`."""
        return Wording(self.title, self.language)


Source = Callable[[object, Date], list[PracticeSuggestion]]

_sources: dict[str, Source] = {}
_logbook: list[Callable[[object], list[PracticeSuggestion]]] = []


def register_source(name: str, source: Source) -> None:
    """Add an app's source of suggestions (once per name; ready() may run more than once)."""
    if ":" in name:
        raise ValueError("A source's name may not contain a colon.")
    _sources.setdefault(name, source)


def _from(name: str, user, since: Date) -> list[PracticeSuggestion]:
    return [s for s in _sources[name](user, since) if s.key.startswith(f"{name}:")]


def suggestions_for(user, *, since: Date) -> list[PracticeSuggestion]:
    """Every source's suggestions for this person on or after `since`, newest first."""
    found = [item for name in sorted(_sources) for item in _from(name, user, since)]
    return sorted(found, key=lambda item: (item.date, item.key), reverse=True)


def suggestion(user, key: str, *, since: Date) -> PracticeSuggestion | None:
    """The person's suggestion with this key, or None (unknown, someone else's, or too old)."""
    name = key.partition(":")[0]
    if name not in _sources:
        return None
    return next((item for item in _from(name, user, since) if item.key == key), None)


def register_logbook(offered: Callable[[object], list[PracticeSuggestion]]) -> None:
    """The logbook's offer to a person: the suggestions it would pre-fill an entry from (those it
    may keep and has not logged yet), or none. Registered once, from the logbook's app."""
    if not _logbook:
        _logbook.append(offered)


def still_to_log(user, *, prefix: str) -> list[PracticeSuggestion]:
    """The logbook's offer to this person among the suggestions whose key starts with `prefix`
    (none without a logbook), newest first."""
    if not _logbook:
        return []
    return [item for item in _logbook[0](user) if item.key.startswith(prefix)]
