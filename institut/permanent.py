"""Permanent records enforced by PostgreSQL itself (django-pgtrigger triggers in each model's Meta).

A permanent table refuses DELETE, and refuses any UPDATE except of the columns its model names as
`allowed` (e.g. an invoice's PDF, written after the row). Its `personal` columns (a name, a free
text) change only inside a GDPR erasure: the erasure service sets the transaction-local setting
`institut.erasure` (see `erasure_bypass()`), which lasts until its transaction ends, and the
trigger lets those columns, and only those, be rewritten while it is set. Triggers are
PostgreSQL's; on SQLite the models' own guards remain the only check: `PermanentModel` (a row
written once), `PermanentInStatusModel` (a row permanent from a status on, e.g. an approved entry)
and their QuerySets, which refuse a save, a delete or a bulk UPDATE/DELETE through the ORM.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import pgtrigger
from django.conf import settings
from django.db import connection, models
from django.db.models import ProtectedError
from django.utils import timezone

ERASURE_SETTING = "institut.erasure"

# True while the current transaction is an erasure (a setting another transaction never sees).
NOT_ERASING_SQL = f"COALESCE(current_setting('{ERASURE_SETTING}', true), '') = ''"


class Refuse(pgtrigger.Protect):
    """pgtrigger's Protect, with a message that says the row is a permanent record and why."""

    def __init__(self, *, explanation: str, **kwargs):
        self.explanation = explanation.replace("'", "''")
        super().__init__(**kwargs)

    def get_func(self, model):
        return self.format_sql(
            f"""
            RAISE EXCEPTION 'permanent record: % on % refused ({self.explanation})',
                TG_OP, TG_TABLE_NAME;
            """
        )


class _Composed(pgtrigger.Condition):
    """A condition written in SQL around other conditions, resolved against the model."""

    def __init__(self, template: str, **parts: pgtrigger.Condition):
        self.template = template
        self.parts = parts
        self.sql = template

    def resolve(self, model) -> str:
        parts = {name: part.resolve(model) for name, part in self.parts.items()}
        return "(" + self.template.format(**parts) + ")"


def refuse_delete(
    *, rows: pgtrigger.Condition | None = None, erased_with_person: bool = False
) -> Refuse:
    """The trigger that refuses DELETE (of the rows matching `rows`, or of every row); with
    `erased_with_person`, an erasure may still delete them."""
    if erased_with_person:
        not_erasing = pgtrigger.Condition(NOT_ERASING_SQL)
        if rows is None:
            rows = not_erasing
        else:
            rows = _Composed("({rows}) AND ({erasing})", rows=rows, erasing=not_erasing)
    return Refuse(
        name="permanent_no_delete",
        operation=pgtrigger.Delete,
        condition=rows,
        explanation="a permanent record is never deleted",
    )


def permanent_triggers(
    *,
    allowed: Sequence[str] = (),
    personal: Sequence[str] = (),
    rows: pgtrigger.Condition | None = None,
    never_deleted: bool = False,
    erased_with_person: bool = False,
) -> list[pgtrigger.Trigger]:
    """The triggers of a permanent table.

    `allowed`: fields that may change at any time; `personal`: fields that change only inside
    an erasure; `rows`: a condition on OLD that limits both triggers to the permanent rows
    (e.g. approved entries), the others staying free; `never_deleted`: with `rows`, the other
    rows may still change but are not deleted either (e.g. an audit before its outcome);
    `erased_with_person`: an erasure may delete rows (the trail of what it deletes with them,
    e.g. the events of a trainee's unapproved logbook entries).
    """
    explanation = "only " + ", ".join(allowed) + " may change" if allowed else "never changes"
    others = pgtrigger.AnyChange(exclude=[*allowed, *personal])
    if personal:
        changed = _Composed(
            "({others}) OR (({personal}) AND " + NOT_ERASING_SQL + ")",
            others=others,
            personal=pgtrigger.AnyChange(*personal),
        )
    else:
        changed = others
    if rows is not None:
        changed = _Composed("({rows}) AND ({changed})", rows=rows, changed=changed)
    return [
        refuse_delete(rows=None if never_deleted else rows, erased_with_person=erased_with_person),
        Refuse(
            name="permanent_no_update",
            operation=pgtrigger.Update,
            condition=changed,
            explanation=f"a permanent record {explanation}",
        ),
    ]


@contextlib.contextmanager
def erasure_bypass(*, user_id: int) -> Iterator[None]:
    """Inside an erasure's transaction: the personal columns of permanent rows may be rewritten.

    Only the erasure service (institut.privacy) enters this. The setting is local to the current
    transaction (set_config(..., true)), so it ends with it whatever happens; it is cleared on
    the way out too, so that the rest of a longer transaction is protected again (after an error,
    the rollback of the erasure's transaction or savepoint undoes the setting with the rest).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("The erasure bypass exists only inside a transaction.")
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [ERASURE_SETTING, str(user_id)])
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, '', true)", [ERASURE_SETTING])


class Refusing:
    """The ORM's guard of a permanent model: which exception it raises, and how it is built.

    `refusal` is ProtectedError (message, rows) unless the app names its own exception, which is
    then built from the message alone.
    """

    refusal: type[Exception] = ProtectedError

    @classmethod
    def refused(cls, what: str, *rows) -> Exception:
        message = f"A {cls.__name__} is a permanent record: it is never {what}."
        if issubclass(cls.refusal, ProtectedError):
            return cls.refusal(message, set(rows))
        return cls.refusal(message)


class PermanentQuerySet(models.QuerySet):
    """Rows that are facts: a bulk UPDATE or DELETE through the ORM is refused."""

    def update(self, **kwargs):
        raise self.model.refused("updated in place")

    def delete(self):
        raise self.model.refused("deleted")


class CorrectedQuerySet(PermanentQuerySet):
    """Permanent rows that a correction replaces by a new row pointing at them (`supersedes`)."""

    def current(self):
        """Rows not replaced by a correction."""
        return self.filter(superseded_by__isnull=True)


class PermanentModel(Refusing, models.Model):
    """A row written once: saving it again or deleting it is refused."""

    # Fields that may still be filled in once after creation (e.g. a rendered PDF).
    fill_once_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if not (update_fields and set(update_fields) <= self.fill_once_fields):
                raise self.refused("updated in place", self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refused("deleted", self)


class NeverDeletedModel(Refusing, models.Model):
    """A row that may still change (its status, its dates) but is never deleted: the records
    that follow it point at it."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise self.refused("deleted", self)


class PermanentInStatusQuerySet(models.QuerySet):
    """Rows that become facts in their model's `permanent_status`: a bulk UPDATE or DELETE that
    would touch one of those is refused, the others stay free."""

    def _touches_permanent(self) -> bool:
        return self.filter(status=self.model.permanent_status).exists()

    def update(self, **kwargs):
        if self._touches_permanent():
            raise self.model.refused("updated in place")
        return super().update(**kwargs)

    def delete(self):
        if self._touches_permanent():
            raise self.model.refused("deleted")
        return super().delete()


class PermanentInStatusModel(Refusing, models.Model):
    """A row that is free until it reaches `permanent_status` (as stored), permanent from then."""

    permanent_status: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.permanent_in_database():
            raise self.refused("updated in place", self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.permanent_in_database():
            raise self.refused("deleted", self)
        return super().delete(*args, **kwargs)

    def permanent_in_database(self) -> bool:
        """Whether the stored row (not this instance's unsaved status) is permanent."""
        return (
            self.pk is not None
            and type(self)
            ._base_manager.filter(pk=self.pk, status=self.permanent_status)
            .order_by()
            .exists()
        )


class AuditRow(PermanentModel):
    """One step in the life of a record: who (None for the platform), when, from which status to
    which, and why. Written once, never edited or deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    ACTIONS: dict = {}

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @property
    def action_label(self) -> str:
        return self.ACTIONS.get(self.action, self.action)
