"""Fixed reasons written into permanent records, read in the reader's language.

A service records a fixed reason as a code with its parameters (`COURSE_REASONS.reason(
"payment_confirmed", payment=12)`); the row keeps them (`reason_code`, `reason_params`) beside
the text it always kept (`reason`). `Reasons.text` writes a row's reason for a person, in the
current language: « Paiement n° 12 confirmé par Stripe », "Payment no. 12 confirmed by Stripe".
A row without a code (written before codes, or a reason typed by a person) reads as stored;
what a person typed inside a fixed wording stays as typed.

Each app declares its own codes (`courses.reasons`, `supervision.reasons`,
`certification.reasons`) in a `Reasons` table and gives its permanent tables the two columns
with `CodedReason`; `REASON_PERSONAL` are the columns an erasure may rewrite (the parameters
may quote a person: `erasure.scrub(rows, *REASON_PERSONAL)`), and `reason_words` writes an
export's column of reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from institut import content_language

# The columns an erasure may rewrite (the triggers' `personal`, the erasure's scrub).
REASON_PERSONAL = ("reason", "reason_params")


@dataclass(frozen=True)
class Reason:
    """A fixed reason as a service records it: its code, its parameters and its stored text."""

    code: str
    params: dict = field(default_factory=dict)
    stored: str = ""

    @property
    def columns(self) -> dict:
        """The row's columns that hold it."""
        return {"reason": self.stored, "reason_code": self.code, "reason_params": self.params}


def reason_columns(reason: str | Reason) -> dict:
    """A row's reason columns: a fixed reason's code, parameters and text, or text as a person
    typed it."""
    if isinstance(reason, Reason):
        return reason.columns
    return {"reason": reason}


@dataclass(frozen=True)
class Wording:
    """How a code reads: `shown`, the words for a person (a lazy French text with %(name)s
    parameters, or a function of the parameters), and `stored`, the text kept in the row (a
    str.format of the parameters, or a function of them; by default the words in the site's
    language, French)."""

    shown: Promise | Callable[[Mapping], str]
    stored: str | Callable[[Mapping], str] | None = None

    def stored_text(self, params: Mapping) -> str:
        if self.stored is None:
            with translation.override(settings.LANGUAGE_CODE):
                return self.text(params)
        if callable(self.stored):
            return self.stored(params)
        return self.stored.format(**params)

    def text(self, params: Mapping) -> str:
        if callable(self.shown):
            return str(self.shown(params))
        return str(self.shown) % params


class Reasons(dict[str, Wording]):
    """One app's fixed reasons: code → Wording. `stored_length` cuts the stored text to its
    column (the parameters keep it whole)."""

    def __init__(self, wordings: Mapping[str, Wording], *, stored_length: int | None = None):
        super().__init__(wordings)
        self.stored_length = stored_length

    def reason(self, code: str, **params) -> Reason:
        """The reason `code` with its parameters, as a service records it (an unknown code or a
        missing parameter fails here, when it is written, not when it is read)."""
        wording = self[code]
        wording.text(params)
        stored = wording.stored_text(params)
        if self.stored_length is not None:
            stored = stored[: self.stored_length]
        return Reason(code, params, stored)

    def text(self, code: str, params: Mapping | None, stored: str) -> str:
        """A row's reason in the current language: its code's words with its parameters, or
        the stored text for a row without a code (or with one this version does not know)."""
        wording = self.get(code or "")
        if wording is None:
            return stored
        try:
            return wording.text(params or {})
        except (KeyError, TypeError, ValueError):
            return stored

    def texts(self, rows: list[dict]) -> list[str]:
        """Each exported row's reason in the current language (no query)."""
        return [self.text(row["reason_code"], row["reason_params"], row["reason"]) for row in rows]


class CodedReason(models.Model):
    """The columns of a permanent row whose reason may be a fixed one (a code and its
    parameters, beside the stored `reason` each such table declares), and its reading.

    A concrete model sets `REASONS`, its app's table of codes, and lists REASON_PERSONAL in its
    triggers' `personal` (an erasure may scrub the parameters, nothing else may change them).
    """

    # Defaults in the database too: a row written without them (by COPY, or by the code of
    # before while a release rolls out) has no code, and reads as stored.
    reason_code = models.CharField(max_length=40, blank=True, default="", db_default="")
    reason_params = models.JSONField(blank=True, default=dict, db_default={})

    REASONS: Reasons = Reasons({})

    class Meta:
        abstract = True

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (« Certification accordée par la commission. »)."""
        return self.REASONS.text(self.reason_code, self.reason_params, self.reason)

    @property
    def reason_wording(self) -> content_language.Wording:
        """The reason and its language, for `|lang_attr`: a fixed reason reads in the reader's
        language, a typed one as it was typed (French)."""
        if self.reason_code:
            return content_language.Wording(self.reason_text, content_language.active_language())
        return content_language.authored(self.reason)


def reason_words(reasons: Reasons):
    """An export's reason column written in the person's language, and the lookups it reads
    (to be exported in donnees.json too: `data=REASON_DATA`)."""
    from institut.privacy import Words

    return Words(reasons.texts, reads=REASON_DATA)


# The lookups an export carries for programs beside the stored reason.
REASON_DATA = ["reason_code", "reason_params"]
