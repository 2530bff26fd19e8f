"""Reads of the practice logbook, each with a bounded number of queries whatever the data size.

The certification app reads approved practice through practice_totals().
"""

from __future__ import annotations

from datetime import date as Date
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from institut import person_cache, practice
from institut.formats import duration
from institut.lib.request_memo import memoised
from institut.method import Step
from institut.practice import PracticeSuggestion
from institut.roles import Role
from supervision.formats import DateWriter
from supervision.logbook.models import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    PeriodSummary,
    PracticeEntry,
    PracticeEntryEvent,
    PracticeEntryStep,
)
from supervision.logbook.permissions import can_keep_logbook
from supervision.models import SupervisorAssignment
from supervision.selectors import practice_key_booking, session_practice_key

if TYPE_CHECKING:
    from institut.models import User

Status = PracticeEntry.Status


def _in_range(queryset: QuerySet, start: Date | None, end: Date | None) -> QuerySet:
    if start is not None:
        queryset = queryset.filter(date__gte=start)
    if end is not None:
        queryset = queryset.filter(date__lte=end)
    return queryset


def with_steps(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("steps", queryset=PracticeEntryStep.objects.order_by("pk"))
    )


# --- Totals -----------------------------------------------------------------------------------


def _practice_rows(trainee: User, start: Date | None, end: Date | None) -> dict:
    """The trainee's entries summed per month and per step (two queries).

    "months": per month, counted minutes in total and per setting, pending minutes and entries
    per status (FILTER clauses over one scan); "steps": counted minutes per step. Memoised within a
    request scope (institut.lib.request_memo): on /espace/ the logbook panel and the certification
    panel both read them. Kept across requests for the pages that show them
    (institut.person_cache.for_display) until one of the trainee's entries changes.
    """
    return memoised(
        ("logbook.practice_rows", trainee.pk, start, end),
        lambda: person_cache.from_records(
            trainee.pk,
            f"logbook.practice_rows:{start}:{end}",
            lambda: {
                "months": _month_rows(trainee, start, end),
                "steps": _step_rows(trainee, start, end),
            },
        ),
    )


def _month_rows(trainee: User, start: Date | None, end: Date | None) -> list[dict]:
    # An approved entry that an approved correction replaces is left out once, in the WHERE
    # clause; every other entry is kept for the pending minutes and the counts per status.
    replaced = PracticeEntry.objects.filter(corrects=OuterRef("pk"), status=Status.APPROVED)
    entries = _in_range(PracticeEntry.objects.filter(trainee=trainee), start, end).exclude(
        Q(status=Status.APPROVED) & Q(Exists(replaced))
    )
    counted = Q(status=Status.APPROVED)
    per_setting = {
        f"setting_{setting}": Coalesce(
            Sum("duration_minutes", filter=counted & Q(setting=setting)), 0
        )
        for setting in PracticeEntry.Setting.values
    }
    return list(
        entries.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            counted_entries=Count("pk", filter=counted),
            minutes=Coalesce(Sum("duration_minutes", filter=counted), 0),
            pending=Coalesce(Sum("duration_minutes", filter=Q(status=Status.SUBMITTED)), 0),
            drafts=Count("pk", filter=Q(status=Status.DRAFT)),
            returned=Count("pk", filter=Q(status=Status.RETURNED)),
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            **per_setting,
        )
        .order_by("month")
    )


def _step_rows(trainee: User, start: Date | None, end: Date | None) -> list[dict]:
    # One join from the steps to their entry, the replaced entries left out by an anti-join on the
    # `corrects` index: a plan that stays linear even before the planner has statistics.
    replaced = PracticeEntry.objects.filter(corrects=OuterRef("entry_id"), status=Status.APPROVED)
    steps = PracticeEntryStep.objects.filter(entry__trainee=trainee, entry__status=Status.APPROVED)
    if start is not None:
        steps = steps.filter(entry__date__gte=start)
    if end is not None:
        steps = steps.filter(entry__date__lte=end)
    return list(
        steps.filter(~Exists(replaced))
        .values("step")
        .annotate(minutes=Sum("entry__duration_minutes"))
        .order_by()
    )


def _totals_from_rows(rows: dict) -> dict:
    months = rows["months"]
    by_step = dict.fromkeys(Step.values, 0)
    for row in rows["steps"]:
        by_step[row["step"]] = row["minutes"]
    return {
        "total_minutes": sum(row["minutes"] for row in months),
        "by_step": by_step,
        "by_setting": {
            setting: sum(row[f"setting_{setting}"] for row in months)
            for setting in PracticeEntry.Setting.values
        },
        "by_month": {
            row["month"].strftime("%Y-%m"): row["minutes"]
            for row in months
            if row["counted_entries"]
        },
        "pending_minutes": sum(row["pending"] for row in months),
    }


def practice_totals(trainee: User, *, start: Date | None = None, end: Date | None = None) -> dict:
    """Approved practice of a trainee in minutes, as plain data (two queries).

    Keys: total_minutes, by_step (every step code), by_setting (every setting code), by_month
    ("YYYY-MM", oldest first), pending_minutes (submitted, awaiting review). An entry that an
    approved correction replaces is not counted; the correction is, in its place. An entry counts
    in full for each step practised during it.
    """
    return _totals_from_rows(_practice_rows(trainee, start, end))


def totals_for_display(totals: dict) -> dict:
    """The totals with labels, in the method's and the settings' order, for templates."""
    return {
        **totals,
        "steps": [
            {"code": step.value, "label": step.label, "minutes": totals["by_step"].get(step, 0)}
            for step in Step
        ],
        "settings": [
            {"code": value, "label": label, "minutes": totals["by_setting"].get(value, 0)}
            for value, label in PracticeEntry.Setting.choices
        ],
        "months": [
            {"month": Date(int(key[:4]), int(key[5:7]), 1), "minutes": minutes}
            for key, minutes in totals["by_month"].items()
        ],
    }


def _minutes_subquery(filter_q: Q):
    rows = (
        PracticeEntry.objects.filter(filter_q, trainee=OuterRef("pk"))
        .order_by()
        .values("trainee")
        .annotate(total=Sum("duration_minutes"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_practice_minutes(users: QuerySet) -> QuerySet:
    """Annotate approved_minutes, pending_minutes and awaiting_count on a queryset of users."""
    replaced = PracticeEntry.objects.filter(corrects=OuterRef("pk"), status=Status.APPROVED)
    counted = Q(status=Status.APPROVED) & ~Q(Exists(replaced))
    waiting = (
        PracticeEntry.objects.filter(trainee=OuterRef("pk"), status=Status.SUBMITTED)
        .order_by()
        .values("trainee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return users.annotate(
        approved_minutes=_minutes_subquery(counted),
        pending_minutes=_minutes_subquery(Q(status=Status.SUBMITTED)),
        awaiting_count=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
    )


# --- Lists ------------------------------------------------------------------------------------


def logbook_entries(trainee: User) -> QuerySet:
    """A trainee's entries, newest first, with their steps and the entry each one corrects."""
    return with_steps(
        PracticeEntry.objects.filter(trainee=trainee)
        .exclude(status=PracticeEntry.Status.DELETED)
        .select_related("corrects", "reviewed_by")
        .annotate(correction_count=Count("corrections"))
        .order_by("-date", "-pk")
    )


def earliest_entry_date(trainee: User) -> Date:
    """The earliest date an entry of this trainee may bear: LOGBOOK_EARLIEST_DATE when set, else
    the day their account was created (an enrolment always comes after it)."""
    if settings.LOGBOOK_EARLIEST_DATE:
        return Date.fromisoformat(settings.LOGBOOK_EARLIEST_DATE)
    return timezone.localdate(trainee.date_joined)


def entry_link(key: str) -> dict:
    """How an entry keeps the practice it logs (the key of institut.practice): an attended
    supervision session by its booking (a foreign key, as entries always did, one entry per
    booking), any other practice by its key (one entry per key and trainee)."""
    booking_id = practice_key_booking(key)
    return {"practice_key": key} if booking_id is None else {"booking_id": booking_id}


def _logged(trainee: User, keys: list[str]) -> set[str]:
    """Which of these keys an entry of the trainee already logs (not a deleted draft). One query."""
    links = [entry_link(key) for key in keys]
    rows = (
        PracticeEntry.objects.filter(trainee=trainee)
        .filter(
            Q(practice_key__in=[link["practice_key"] for link in links if "practice_key" in link])
            | Q(booking_id__in=[link["booking_id"] for link in links if "booking_id" in link])
        )
        .exclude(status=PracticeEntry.Status.DELETED)
        .values_list("practice_key", "booking_id")
    )
    return {key or session_practice_key(booking_id) for key, booking_id in rows}


def practice_to_log(trainee: User, *, key: str | None = None) -> list[PracticeSuggestion]:
    """The trainee's practice offered by the sources of institut.practice (attended supervision
    sessions, attended training days...) not yet in their logbook (a deleted draft frees it
    again), newest first; only the one with this key when given."""
    since = earliest_entry_date(trainee)
    if key is not None:
        found = practice.suggestion(trainee, key, since=since)
        suggestions = [found] if found is not None else []
    else:
        suggestions = practice.suggestions_for(trainee, since=since)
    if not suggestions:
        return []
    logged = _logged(trainee, [item.key for item in suggestions])
    return [item for item in suggestions if item.key not in logged]


def practice_offered(user: User) -> list[PracticeSuggestion]:
    """What the logbook offers this person to log (institut.practice.still_to_log): nothing to
    someone who keeps no logbook."""
    return practice_to_log(user) if can_keep_logbook(user) else []


def _duration_initial(minutes: int) -> dict:
    """Hours and minutes for the form, within an entry's bounds, down to a quarter of an hour."""
    minutes = max(MIN_DURATION_MINUTES, min(minutes, MAX_DURATION_MINUTES))
    hours, minutes = divmod(minutes - minutes % 15, 60)
    return {"hours": hours, "minutes": minutes}


def practice_prefill(suggestion: PracticeSuggestion) -> dict:
    """The initial values of the entry a trainee is offered for a piece of practice."""
    return {
        "date": suggestion.date,
        **_duration_initial(suggestion.minutes),
        "steps": list(suggestion.steps),
        "description": suggestion.title,
    }


def entry_events(entry: PracticeEntry) -> list:
    return list(entry.events.select_related("actor").order_by("created_at", "pk"))


def with_return_comment(queryset: QuerySet) -> QuerySet:
    """Annotate return_comment: the supervisor's comment when they last returned the entry ("" if
    they never did), read in the entry's own query."""
    latest = (
        PracticeEntryEvent.objects.filter(entry=OuterRef("pk"), action="return")
        .order_by("-created_at", "-pk")
        .values("comment")[:1]
    )
    return queryset.annotate(
        return_comment=Coalesce(Subquery(latest), Value(""), output_field=TextField())
    )


def review_queue(supervisor: User) -> QuerySet:
    """Submitted entries of the supervisor's assigned trainees, oldest submission first."""
    assigned = SupervisorAssignment.objects.filter(
        supervisor=supervisor, trainee=OuterRef("trainee")
    )
    return with_steps(
        PracticeEntry.objects.awaiting_review()
        .filter(Exists(assigned))
        .exclude(trainee=supervisor)
        .select_related("trainee", "corrects")
        .order_by("submitted_at", "pk")
    )


def queue_rows(entries: list[PracticeEntry]) -> list[dict]:
    """What the review queue shows of each entry, written here once (dates, hours, steps)."""
    # Every label is translated once per page, not once per row.
    steps = [(step.value, str(step.label)) for step in Step]
    settings = {value: str(label) for value, label in PracticeEntry.Setting.choices}
    dates = DateWriter()
    approve = _("Approuver l'intervention de %(name)s du %(date)s")
    rows = []
    for entry in entries:
        date = dates.day(entry.date)
        codes = {row.step for row in entry.steps.all()}
        rows.append(
            {
                "entry": entry,
                "pk": entry.pk,
                "trainee": entry.trainee.full_name,
                "approve_label": approve % {"name": entry.trainee.full_name, "date": date},
                "submitted": dates.moment(entry.submitted_at) if entry.submitted_at else "",
                "title": f"{date} · {settings.get(entry.setting, entry.setting)}",
                "is_correction": entry.corrects_id is not None,
                "summary": Truncator(entry.description).words(20, truncate=" …"),
                "duration": duration(entry.duration_minutes),
                "steps": ", ".join(label for code, label in steps if code in codes),
            }
        )
    return rows


def review_queue_count(supervisor: User) -> int:
    """How many entries wait for this supervisor (one query, once per request: the menu and the
    queue's paginator share it)."""
    assigned = SupervisorAssignment.objects.filter(
        supervisor=supervisor, trainee=OuterRef("trainee")
    )
    return memoised(
        ("logbook.review_queue_count", supervisor.pk),
        lambda: (
            PracticeEntry.objects.awaiting_review()
            .filter(Exists(assigned))
            .exclude(trainee=supervisor)
            .count()
        ),
    )


def supervised_trainees(supervisor: User) -> list:
    """The supervisor's trainees with their approved and pending minutes (one query)."""
    users = get_user_model().objects.filter(supervisor_assignments__supervisor=supervisor)
    return list(with_practice_minutes(users).order_by("full_name", "email"))


def all_logbook_keepers() -> list:
    """Every trainee, with their practice minutes, for the committee (one query)."""
    users = get_user_model().objects.filter(groups__name=Role.TRAINEE.value).distinct()
    return list(with_practice_minutes(users).order_by("full_name", "email"))


def periods_of(trainee: User) -> list[PeriodSummary]:
    return list(
        PeriodSummary.objects.filter(trainee=trainee)
        .select_related("confirmed_by", "external_confirmation")
        .order_by("-start")
    )


def periods_to_confirm(supervisor: User) -> list[PeriodSummary]:
    assigned = SupervisorAssignment.objects.filter(
        supervisor=supervisor, trainee=OuterRef("trainee")
    )
    return list(
        PeriodSummary.objects.filter(Exists(assigned), status=PeriodSummary.Status.CLOSED)
        .exclude(trainee=supervisor)
        .select_related("trainee")
        .order_by("start")
    )


def unsent_in_period(period: PeriodSummary) -> int:
    """Drafts and returned entries dated in the period: once it is confirmed, they stay unsent."""
    return PracticeEntry.objects.filter(
        trainee_id=period.trainee_id,
        date__range=(period.start, period.end),
        status__in=(Status.DRAFT, Status.RETURNED),
    ).count()


def period_entries(period: PeriodSummary) -> list[PracticeEntry]:
    """The entries a period's totals count, oldest first."""
    entries = PracticeEntry.objects.filter(
        trainee_id=period.trainee_id, date__range=(period.start, period.end)
    ).counted()
    return list(
        with_steps(entries.select_related("reviewed_by", "corrects")).order_by("date", "pk")
    )


# --- The trainee's space ----------------------------------------------------------------------


def trainee_panel_context(user: User) -> dict:
    """The logbook panel of /espace/: approved and pending hours, entries to act on (2 queries)."""
    rows = _practice_rows(user, None, None)
    totals = _totals_from_rows(rows)
    counts = {
        key: sum(row[key] for row in rows["months"]) for key in ("drafts", "returned", "submitted")
    }
    return {"logbook_totals": totals_for_display(totals), "logbook_counts": counts}
