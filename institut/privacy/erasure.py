"""GDPR erasure (Art. 17): one transaction that erases what may be erased and pseudonymises what
the retention schedule (docs/data-protection.md) keeps.

The person's row stays, pseudonymised (no name, an address that reaches nobody, no password), so
that the permanent records pointing at it (invoices, hours, decisions, certificates) stay whole
without naming anyone. Each app's provider erases its own rows; this module sets the bypass of
the permanent-record triggers for the erasure's transaction only, and offers the providers the
helpers below.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from institut.models import User
from institut.permanent import erasure_bypass
from institut.privacy.registry import Notice, providers

logger = logging.getLogger(__name__)

# What replaces the person's name or address inside a text that is kept.
ERASED_MARK = "[effacé]"


def erased_email(user_id: int) -> str:
    """The pseudonymised row's address: unique, and delivers to nobody (.invalid, RFC 2606)."""
    return f"compte-efface-{user_id}@effacement.invalid"


def blank(model: type[models.Model], name: str):
    """What an erased field holds: None where the column allows it, "" otherwise."""
    return None if model._meta.get_field(name).null else ""


def filled(model: type[models.Model], *fields: str) -> Q:
    """Rows where any of these fields is not blank (see `blank`)."""
    condition = Q(pk__in=[])
    for name in fields:
        if blank(model, name) is None:
            condition |= Q(**{f"{name}__isnull": False})
        else:
            condition |= ~Q(**{name: ""})
    return condition


@dataclass
class Erasure:
    """The helpers a provider uses to erase one person's rows, inside the erasure transaction."""

    user: User
    terms: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    _files: list[tuple[object, str]] = field(default_factory=list)

    def count(self, kind: str, number: int) -> None:
        if number:
            self.counts[kind] = self.counts.get(kind, 0) + number

    # --- Text that mentions the person ----------------------------------------------------

    def scrub_text(self, text):
        """The text with every mention of the person (name, addresses) replaced."""
        if isinstance(text, str):
            for term in self.terms:
                text = re.sub(re.escape(term), ERASED_MARK, text, flags=re.IGNORECASE)
            return text
        if isinstance(text, dict):
            return {key: self.scrub_text(value) for key, value in text.items()}
        if isinstance(text, list):
            return [self.scrub_text(value) for value in text]
        return text

    def mentions(self, *fields: str) -> Q:
        """Rows where any of these text fields mentions the person."""
        condition = Q(pk__in=[])
        for name in fields:
            for term in self.terms:
                condition |= Q(**{f"{name}__icontains": term})
        return condition

    def scrub(self, queryset: models.QuerySet, *fields: str) -> int:
        """Replace every mention of the person in these fields of the queryset's rows."""
        changed = 0
        for row in queryset.filter(self.mentions(*fields)).values("pk", *fields):
            values = {name: self.scrub_text(row[name]) for name in fields}
            changed += self.rewrite(queryset.model.objects.filter(pk=row["pk"]), **values)
        self.count(f"{queryset.model._meta.label}: mentions", changed)
        return changed

    # --- Rows ------------------------------------------------------------------------------

    def rewrite(self, queryset: models.QuerySet, **values) -> int:
        """UPDATE the rows, past the models' own guards (the triggers' bypass is set)."""
        number = models.QuerySet.update(queryset, **values)
        self.count(f"{queryset.model._meta.label}: rewritten", number)
        return number

    def clear(self, queryset: models.QuerySet, *fields: str, **values) -> int:
        """Blank these fields (None where the column allows it, "" otherwise) on the rows where
        any of them is filled, with `values` set as well; the files of cleared file fields are
        removed once the erasure has committed."""
        model = queryset.model
        for name in fields:
            if isinstance(model._meta.get_field(name), models.FileField):
                self.delete_files(getattr(row, name) for row in queryset.exclude(**{name: ""}))
        blanks = {name: blank(model, name) for name in fields}
        return self.rewrite(queryset.filter(filled(model, *fields)), **blanks, **values)

    def delete(self, queryset: models.QuerySet) -> int:
        """DELETE the rows (and what cascades from them), past the models' own guards."""
        number, _by_model = models.QuerySet.delete(queryset)
        self.count(f"{queryset.model._meta.label}: deleted", number)
        return number

    def delete_files(self, files: Iterable[FieldFile]) -> None:
        """Remove these files from storage once the erasure has committed."""
        for fieldfile in files:
            if fieldfile and fieldfile.name:
                self._files.append((fieldfile.storage, fieldfile.name))

    def _remove_files(self) -> None:
        for storage, name in self._files:
            try:
                storage.delete(name)
            except Exception:  # a missing file is already what we want; anything else is logged
                logger.exception("Could not delete an erased person's file %s", name)


def _terms(user: User) -> list[str]:
    """What names or reaches the person, longest first (a name inside an address goes with it)."""
    from allauth.account.models import EmailAddress

    terms = {user.full_name.strip(), user.email.strip()}
    terms.update(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return sorted((term for term in terms if len(term) >= 3), key=len, reverse=True)


@transaction.atomic
def erase_retained(*, user: User, erase: Callable[[Erasure], None]) -> dict[str, int]:
    """For an erased person, rewrite rows the schedule kept until now (the retention job)."""
    if not user.is_erased:
        raise ValueError("Only an erased person's kept rows are erased after their retention.")
    erasure = Erasure(user=user, terms=[])
    with erasure_bypass(user_id=user.pk):
        erase(erasure)
    transaction.on_commit(erasure._remove_files)
    return erasure.counts


def erasure_notices(user: User) -> list[Notice]:
    """What every provider keeps, and its warnings, for the confirmation pages."""
    return [notice for provider in providers() for notice in provider.notices(user)]


@transaction.atomic
def account_erase(*, user: User, actor: User | None = None) -> dict[str, int] | None:
    """Erase a person's data now: idempotent (an erased account is left as it is, None returned).

    `actor` is the person themselves or a staff member (None for the retention job).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_erased:
        return None
    erasure = Erasure(user=user, terms=_terms(user))
    with erasure_bypass(user_id=user.pk):
        for provider in providers():
            provider.erase(user, erasure)
    user.email = erased_email(user.pk)
    user.full_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.set(Group.objects.none())
    user.user_permissions.set(Permission.objects.none())
    transaction.on_commit(erasure._remove_files)
    logger.info(
        "Personal data of account %s erased (by %s).",
        user.pk,
        "the person" if actor is not None and actor.pk == user.pk else getattr(actor, "pk", "job"),
    )
    return erasure.counts
