"""The providers of personal data: each app says what it holds about a person, and how to erase it.

An app registers its provider in its AppConfig.ready(), so that `institut` never imports it:

    from institut import privacy
    privacy.register(CoursesData())
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from institut.formats import date_text, money
from institut.lib.request_memo import request_memo

# The unit of an amount in cents, at the end of its label: « Montant (centimes) ».
CENTS_UNIT = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass
class Table:
    """Rows of one kind held about the person, as plain data, with a label for people; `cells`
    are the same rows written for people (the summary's), in the current language."""

    key: str
    label: str
    columns: dict[str, str]
    rows: list[dict]
    cells: list[list[str]] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        """The columns' labels, without the unit of an amount in cents, written as money."""
        return [
            CENTS_UNIT.sub("", label) if lookup.endswith("_cents") else label
            for lookup, label in self.columns.items()
        ]


@dataclass(frozen=True)
class File:
    """A file held about the person, copied into the archive under `path`."""

    path: str
    file: FieldFile
    about: str


@dataclass(frozen=True)
class Notice:
    """What the person (or staff) should know before an erasure: kept data, or a warning."""

    text: str
    warning: bool = False


@dataclass
class Section:
    """One provider's part of an export."""

    key: str
    label: str
    tables: list[Table] = field(default_factory=list)
    files: list[File] = field(default_factory=list)


@dataclass(frozen=True)
class Words:
    """A column written for people by a function of all the table's rows at once (one query
    for them all, such as the titles of the lessons they name), one text per row; the rows it
    receives also hold `reads`, lookups read for it but kept out of the exported rows. The
    columns of one table are written in one institut.lib.request_memo scope: a read that two of
    them make through `memoised` is made once."""

    write: Callable[[list[dict]], list[str]]
    reads: Sequence[str] = ()


# How a column's values are named where its field does not say it: its choices (a mapping of
# values to labels, or Django's choices) or Words.
Labels = Mapping | Sequence[tuple] | Words

# An owner is the lookup that leads from a row to the person (`"user"`, `"enrolment__user"`), or,
# where it takes more, a function of the person that returns the rows' condition.
Owner = str | Callable[[models.Model], Q]


def owned(model: type[models.Model], owner: Owner, user) -> models.QuerySet:
    """The rows of `model` held about the person, through `owner`."""
    condition = owner(user) if callable(owner) else Q(**{owner: user})
    return model._default_manager.filter(condition)


@dataclass(frozen=True)
class TableSpec:
    """One table of an export, declared: which rows (`model` by `owner`), in which order, which
    fields (lookups, labelled by the model's verbose names, or a mapping of lookups to labels),
    for the summary, how the values of some columns are named (`labels`, by lookup), and
    `data`, lookups exported for programs only (in donnees.json, not in the summary)."""

    key: str
    label: str
    model: type[models.Model]
    owner: Owner
    fields: Sequence[str] | Mapping[str, str]
    order_by: Sequence[str] = ()
    labels: Mapping[str, Labels] = field(default_factory=dict)
    data: Sequence[str] = ()

    def table(self, user) -> Table:
        queryset = owned(self.model, self.owner, user)
        if self.order_by:
            queryset = queryset.order_by(*self.order_by)
        return table(
            self.key, self.label, queryset, self.fields, labels=self.labels, data=self.data
        )


@dataclass(frozen=True)
class FileSpec:
    """Files of an export, declared: the `field` of each row of `model` by `owner` that holds
    one, copied to `path` (a format string of the row: "fichiers/factures/{row.number}.pdf")."""

    model: type[models.Model]
    owner: Owner
    field: str
    path: str

    def files(self, user) -> Iterable[File]:
        for row in owned(self.model, self.owner, user).exclude(**{self.field: ""}):
            yield File(self.path.format(row=row), getattr(row, self.field), str(row))


@dataclass(frozen=True)
class NoticeSpec:
    """A notice shown before an erasure to a person who holds rows of `model` by `owner`."""

    text: str
    model: type[models.Model]
    owner: Owner
    warning: bool = False

    def notices(self, user) -> Iterable[Notice]:
        if owned(self.model, self.owner, user).exists():
            yield Notice(self.text, warning=self.warning)


class Provider:
    """What one app holds about a person: its export, its erasure, its retention schedule.

    Subclasses set `key` and `label`, declare their export in `table_specs`, `file_specs` and
    `notice_specs`, and override what does not fit a declaration; every method receives the
    person (`institut.User`). `erase` runs inside the erasure's transaction, with the bypass of
    the permanent-record triggers set, and receives the Erasure helper (institut.privacy.erasure).
    """

    key = ""
    label = ""
    order = 50
    table_specs: Sequence[TableSpec] = ()
    file_specs: Sequence[FileSpec] = ()
    notice_specs: Sequence[NoticeSpec] = ()

    def tables(self, user) -> Iterable[Table]:
        return [spec.table(user) for spec in self.table_specs]

    def files(self, user) -> Iterable[File]:
        return [file for spec in self.file_specs for file in spec.files(user)]

    def notices(self, user) -> Iterable[Notice]:
        """What is kept, and any warning, shown before the person confirms an erasure."""
        return [notice for spec in self.notice_specs for notice in spec.notices(user)]

    def erase(self, user, erasure) -> None:
        """Delete what may be deleted; pseudonymise what the schedule keeps."""

    def apply_retention(self, *, now: datetime.datetime) -> dict[str, int]:
        """Remove or pseudonymise what is past its retention period; returns counts by kind.

        Runs again and again (a daily beat): it must find nothing the second time. Kept rows of
        an erased person are rewritten through erasure.erase_retained().
        """
        return {}

    def section(self, user) -> Section:
        return Section(self.key, str(self.label), list(self.tables(user)), list(self.files(user)))


_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add an app's provider (once per key; AppConfig.ready() may run more than once)."""
    if any(existing.key == provider.key for existing in _providers):
        return
    _providers.append(provider)
    _providers.sort(key=lambda p: (p.order, p.key))


def providers() -> list[Provider]:
    return list(_providers)


# --- Rows as plain data -----------------------------------------------------------------------


def plain(value):
    """A value as JSON writes it: dates in ISO 8601, decimals and UUIDs as text."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def _field(model: type[models.Model], lookup: str):
    """The model field a lookup reads, following relations (`session__starts_at`), or None
    for an annotation or a reverse relation."""
    parts = lookup.split("__")
    try:
        for part in parts[:-1]:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(parts[-1])
    except Exception:
        return None


def _label(model: type[models.Model], lookup: str) -> str:
    """The verbose name of a field, following relations (`session__starts_at`)."""
    found = _field(model, lookup)
    if found is None or not hasattr(found, "verbose_name"):
        return lookup.split("__")[-1]  # an annotation or a reverse relation: its name will do
    return capfirst(str(found.verbose_name))


def readable(
    value, model_field=None, *, choices=None, cents: bool = False, currency: str = "EUR"
) -> str:
    """A value as a person reads it in the current language and time zone: a choice's label
    (the field's, or `choices`), « Oui »/« Non », a date written out, a number with its decimal
    comma, cents as money."""
    if value is None or value == "":
        return ""
    choices = dict(choices or getattr(model_field, "flatchoices", None) or ())
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return str(_("Oui") if value else _("Non"))
    if isinstance(value, datetime.datetime):
        return date_text(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_text(value, "DATE_FORMAT")
    if cents and isinstance(value, int):
        return money(value, currency or "EUR")
    if isinstance(value, decimal.Decimal | float | int):
        return number_format(value)
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(plain(value), ensure_ascii=False)
    return str(plain(value))


def trail_columns(parent: str, parent_label) -> dict:
    """The columns of an audit trail's table: the row it is about, then each step's change."""
    return {
        parent: parent_label,
        "action": _("Action"),
        "from_status": _("De"),
        "to_status": _("À"),
        "reason": _("Motif"),
        "at": _("Le"),
    }


def trail_labels(actions: Mapping, statuses) -> dict:
    """How the summary names the values of a trail's table: its actions' and statuses' labels."""
    return {"action": actions, "from_status": statuses, "to_status": statuses}


def table(
    key: str,
    label: str,
    queryset: models.QuerySet,
    fields: Sequence[str] | Mapping[str, str],
    *,
    labels: Mapping[str, Labels] | None = None,
    data: Sequence[str] = (),
) -> Table:
    """A Table of the queryset's rows, reading only `fields` (lookups allowed), in one query
    (and one for each column written by Words).

    `fields` is a list of lookups, labelled by the model's verbose names, or a mapping of
    lookups to labels; `labels` name the values of some columns for the summary (see Labels);
    `data` are lookups written into the rows only (for programs), not into the summary.
    """
    if isinstance(fields, Mapping):
        columns = {lookup: str(name) for lookup, name in fields.items()}
    else:
        columns = {lookup: _label(queryset.model, lookup) for lookup in fields}
    labels = labels or {}
    words = {lookup: how for lookup, how in labels.items() if isinstance(how, Words)}
    exported = [*columns, *(lookup for lookup in data if lookup not in columns)]
    reads = [extra for how in words.values() for extra in how.reads if extra not in exported]
    values = list(queryset.values(*exported, *dict.fromkeys(reads)))
    rows = [{lookup: plain(row[lookup]) for lookup in exported} for row in values]
    model_fields = {lookup: _field(queryset.model, lookup) for lookup in columns}
    with request_memo():
        written = {lookup: how.write(values) if values else [] for lookup, how in words.items()}
    cells = [
        [
            written[lookup][index]
            if lookup in written
            else readable(
                row[lookup],
                model_fields[lookup],
                choices=labels.get(lookup),
                cents=lookup.endswith("_cents"),
                currency=row.get("currency") or "EUR",
            )
            for lookup in columns
        ]
        for index, row in enumerate(values)
    ]
    return Table(key, str(label), columns, rows, cells)
