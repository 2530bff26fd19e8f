"""Reads of in-person training: sessions, the attendance sheet, hours carried out, satisfaction
results and the BPF figures. Each keeps a bounded number of queries whatever the data size.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Avg, Count, Exists, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Enrolment,
    EnrolmentSource,
    Funding,
    FundingSource,
    LessonPage,
    LessonProgress,
)
from courses.training import ics, permissions
from courses.training.models import (
    ATTENDED_STATUSES,
    CLOSABLE_STATUSES,
    Attendance,
    CompletionCertificate,
    EvidencePack,
    PlacementStatus,
    SatisfactionAnswer,
    SatisfactionKind,
    SatisfactionQuestion,
    SatisfactionRequest,
    SatisfactionResponse,
    SessionMode,
    SessionPlacement,
    SessionStatus,
    TrainerSignature,
    TrainingSession,
    TrainingSlot,
)
from institut import practice
from institut.lib.rates import last_twelve_months, percent
from institut.lib.request_memo import memoised

if TYPE_CHECKING:
    from institut.models import User


def hours(minutes: int) -> Decimal:
    """Minutes as hours with two decimals (7 h 30 -> 7.50)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Sessions ------------------------------------------------------------------------------------


def _with_people(queryset):
    return queryset.prefetch_related(
        Prefetch("slots", queryset=TrainingSlot.objects.order_by("starts_at")),
        "trainers",
    )


def upcoming_sessions(*, course_key=None):
    """Sessions still open for placement whose first half-day has not begun, soonest first."""
    now = timezone.now()
    first = TrainingSlot.objects.filter(session=OuterRef("pk")).order_by("starts_at")
    queryset = (
        TrainingSession.objects.open_for_placement()
        .with_counts()
        .filter(~Exists(TrainingSlot.objects.filter(session=OuterRef("pk"), starts_at__lte=now)))
        .filter(Exists(first))
    )
    if course_key is not None:
        queryset = queryset.filter(course_key=course_key)
    sessions = list(_with_people(queryset))
    sessions.sort(key=lambda s: s.slots.all()[0].starts_at)
    return sessions


def _managed_by(user: User, queryset):
    """The sessions of `queryset` this person runs (all of them for staff)."""
    return queryset if permissions.can_manage_training(user) else queryset.led_by(user)


def sessions_with_failed_evidence():
    """Sessions whose latest evidence pack failed (a query of sessions)."""
    later = EvidencePack.objects.filter(
        session=OuterRef("session"), requested_at__gt=OuterRef("requested_at")
    )
    failed = EvidencePack.objects.filter(session=OuterRef("pk"), status=EvidencePack.Status.FAILED)
    return TrainingSession.objects.filter(Exists(failed.exclude(Exists(later))))


# The filters of the sessions list, by their query parameter (?a_cloturer=1): each narrows a
# query of sessions to those the Institut's team has to act on.
SESSION_FILTERS = {
    "a_cloturer": lambda queryset: queryset.filter(pk__in=sessions_to_close().values("pk")),
    "preuves_en_echec": lambda queryset: queryset.filter(
        pk__in=sessions_with_failed_evidence().values("pk")
    ),
}


def sessions_for_manager(user: User, *, only: str | None = None):
    """The sessions this person runs (all of them for staff), latest first, with their counts;
    only those of one of the SESSION_FILTERS when `only` names it."""
    queryset = _managed_by(user, TrainingSession.objects.with_counts())
    if only in SESSION_FILTERS:
        queryset = SESSION_FILTERS[only](queryset)
    return list(_with_people(queryset.order_by("-created_at")))


def course_sessions_for_manager(user: User, course_key: str):
    """The sessions of a course that this person runs (all of them for staff), as a query."""
    return _managed_by(user, TrainingSession.objects.filter(course_key=course_key))


def sessions_to_close(user: User | None = None, *, now: datetime | None = None):
    """Sessions whose last half-day ended and that nobody closed yet, the longest waiting first,
    each with ``last_ends_at`` and ``unsigned_count`` (its half-days no trainer signed), as one
    query: those this person runs (all of them for staff), or all of them without a person."""
    unsigned = (
        TrainingSlot.objects.filter(session=OuterRef("pk"))
        .exclude(Exists(TrainerSignature.objects.filter(slot=OuterRef("pk"))))
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        TrainingSession.objects.filter(status__in=CLOSABLE_STATUSES)
        .annotate(last_ends_at=Max("slots__ends_at"))
        .filter(last_ends_at__lte=now or timezone.now())
        .annotate(unsigned_count=Coalesce(Subquery(unsigned), 0))
        .order_by("last_ends_at", "pk")
    )
    return queryset if user is None else _managed_by(user, queryset)


def session_for_manager(user: User, pk: int) -> TrainingSession | None:
    """A session this person may manage, or None (another trainer's session does not exist)."""
    return _with_people(_managed_by(user, TrainingSession.objects.filter(pk=pk))).first()


def session_public(pk: int) -> TrainingSession | None:
    return _with_people(TrainingSession.objects.with_counts().filter(pk=pk)).first()


def first_and_last_day(session: TrainingSession):
    slots = list(session.slots.all())
    if not slots:
        return None, None
    return slots[0].date, slots[-1].date


def days_of(session: TrainingSession) -> list[dict]:
    """The session's days, each with its half-days and the day's first start and last end."""
    days: dict = {}
    for slot in session.slots.all():
        day = days.setdefault(slot.date, {"date": slot.date, "slots": []})
        day["slots"].append(slot)
    for day in days.values():
        day["starts_at"] = day["slots"][0].starts_at
        day["ends_at"] = day["slots"][-1].ends_at
    return list(days.values())


@dataclass
class SessionDocuments:
    """What a person who holds or held a place in a session finds under « Mes documents »: the
    programme, and every convocation sent for their places (oldest first)."""

    convocations: list

    def convocation(self, pk: int):
        return next((c for c in self.convocations if c.pk == pk), None)


def _documents(held: list[SessionPlacement]) -> SessionDocuments | None:
    """The documents of the places (of one session) the person may read them by
    (permissions.can_read_documents), if any."""
    if not held:
        return None
    convocations = [c for p in held for c in p.convocations.all()]
    return SessionDocuments(sorted(convocations, key=lambda c: (c.sent_at, c.pk)))


def _active_place(placements: list[SessionPlacement]) -> SessionPlacement | None:
    return next((p for p in placements if p.status != PlacementStatus.CANCELLED), None)


def places_in(
    user: User, session: TrainingSession
) -> tuple[SessionPlacement | None, SessionDocuments | None]:
    """The person's active place in the session (placed or waiting), if any, and their
    documents of it, if they hold or held a place (cancelled places keep theirs)."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    placements = list(
        SessionPlacement.objects.filter(session=session, trainee=user)
        .select_related("enrolment")
        .prefetch_related("convocations")
        .order_by("-created_at", "-pk")
    )
    held = [p for p in placements if permissions.can_read_documents(user, p)]
    return _active_place(placements), _documents(held)


def enrolment_for_session(user: User, session: TrainingSession) -> Enrolment | None:
    """The trainee's enrolment that gives access to the session's course, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.with_access().filter(user=user, course_key=session.course_key).first()


def trainee_placements(user: User) -> list[SessionPlacement]:
    """The trainee's sessions, one place each (the active one, else the last they held before
    it was cancelled), newest first, with its half-days and its ``documents``."""
    placements = (
        SessionPlacement.objects.filter(trainee=user)
        .select_related("session", "certificate")
        .prefetch_related(
            Prefetch("session__slots", queryset=TrainingSlot.objects.order_by("starts_at")),
            "session__trainers",
            "convocations",
        )
        .order_by("-created_at", "-pk")
    )
    by_session: dict[int, list[SessionPlacement]] = defaultdict(list)
    for placement in placements:
        by_session[placement.session_id].append(placement)
    shown = []
    for places in by_session.values():
        held = [p for p in places if permissions.can_read_documents(user, p)]
        placement = _active_place(places) or next(iter(held), None)
        if placement is not None:
            placement.documents = _documents(held)
            shown.append(placement)
    return shown


def placeable_enrolments(session: TrainingSession) -> list[Enrolment]:
    """Enrolments in the session's course whose trainee has no active place in it yet."""
    placed = SessionPlacement.objects.filter(session=session, trainee=OuterRef("user")).exclude(
        status=PlacementStatus.CANCELLED
    )
    return list(
        Enrolment.objects.with_access()
        .filter(course_key=session.course_key)
        .filter(~Exists(placed))
        .select_related("user")
        .order_by("user__full_name")
    )


# --- The attendance sheet ------------------------------------------------------------------------


def _row_payload(row: Attendance) -> list:
    return [
        row.placement_id,
        row.trainee_id,
        row.status,
        row.method,
        row.minutes_late,
        row.reason,
        row.recorded_by_id,
        row.recorded_at.isoformat(),
        row.supersedes_id,
    ]


def sheet_digest(slot: TrainingSlot, rows: list[Attendance]) -> str:
    """SHA-256 of a half-day's sheet: the slot, then every row written so far, in order.

    Any change to a row already written changes every later hash; a row written after a
    trainer's signature makes the sheet's hash differ from the one the trainer signed.
    """
    payload = {
        "session": str(slot.session.uid),
        "slot": slot.pk,
        "starts_at": slot.starts_at.isoformat(),
        "ends_at": slot.ends_at.isoformat(),
        "rows": [_row_payload(row) for row in rows],
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Cell:
    """One trainee's line of one half-day: the current row, its history, hours counted."""

    slot: TrainingSlot
    row: Attendance | None = None
    history: list[Attendance] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return self.row.minutes_carried_out(self.slot.minutes) if self.row else 0

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def corrected(self) -> bool:
        return bool(self.row and self.row.supersedes_id)


@dataclass
class SheetLine:
    """A placed trainee across every half-day of the session, with hours planned and done."""

    placement: SessionPlacement
    cells: list[Cell]
    planned_minutes: int = 0
    done_minutes: int = 0  # on half-days whose sheet a trainer signed
    pending_minutes: int = 0  # on half-days not signed yet

    @property
    def hours_done(self) -> Decimal:
        return hours(self.done_minutes)

    @property
    def hours_planned(self) -> Decimal:
        return hours(self.planned_minutes)

    @property
    def hours_pending(self) -> Decimal:
        return hours(self.pending_minutes)


@dataclass
class SlotSheet:
    """A half-day's sheet: its lines, its trainers' signatures and whether they still hold."""

    slot: TrainingSlot
    lines: list[tuple[SessionPlacement, Cell]]
    signatures: list[TrainerSignature]
    digest: str

    @property
    def signed(self) -> bool:
        return bool(self.signatures)

    @property
    def changed_since_signature(self) -> bool:
        return bool(self.signatures) and self.signatures[-1].sheet_hash != self.digest


@dataclass
class SessionSheet:
    """The whole session's attendance: lines per trainee and one sheet per half-day."""

    session: TrainingSession
    slots: list[TrainingSlot]
    lines: list[SheetLine]
    slot_sheets: dict[int, SlotSheet]

    def sheet(self, slot_id: int) -> SlotSheet:
        return self.slot_sheets[slot_id]

    @property
    def sheets(self) -> list[SlotSheet]:
        return [self.slot_sheets[slot.pk] for slot in self.slots]

    @property
    def sheets_to_sign(self) -> list[SlotSheet]:
        """Half-days whose sheet no trainer signed, or that changed since its last signature:
        the session cannot be closed while there is one."""
        return [s for s in self.sheets if not s.signed or s.changed_since_signature]


def session_sheet(session: TrainingSession) -> SessionSheet:
    """Every trainee and half-day of a session in four queries (slots come prefetched)."""
    slots = list(session.slots.all())
    placements = list(
        SessionPlacement.objects.filter(session=session, status=PlacementStatus.PLACED)
        .select_related("trainee")
        .order_by("trainee__full_name", "pk")
    )
    rows = list(
        Attendance.objects.filter(slot__session=session)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )
    signatures = list(
        TrainerSignature.objects.filter(slot__session=session)
        .select_related("trainer")
        .order_by("signed_at", "pk")
    )
    for slot in slots:
        slot.session = session
    by_slot_rows: dict[int, list[Attendance]] = defaultdict(list)
    superseded = {row.supersedes_id for row in rows if row.supersedes_id}
    history: dict[tuple[int, int], list[Attendance]] = defaultdict(list)
    current: dict[tuple[int, int], Attendance] = {}
    for row in rows:
        by_slot_rows[row.slot_id].append(row)
        history[(row.slot_id, row.placement_id)].append(row)
        if row.pk not in superseded:
            current[(row.slot_id, row.placement_id)] = row
    by_slot_signatures: dict[int, list[TrainerSignature]] = defaultdict(list)
    for signature in signatures:
        by_slot_signatures[signature.slot_id].append(signature)

    lines = []
    slot_sheets = {
        slot.pk: SlotSheet(
            slot=slot,
            lines=[],
            signatures=by_slot_signatures[slot.pk],
            digest=sheet_digest(slot, by_slot_rows[slot.pk]),
        )
        for slot in slots
    }
    for placement in placements:
        line = SheetLine(placement=placement, cells=[])
        for slot in slots:
            key = (slot.pk, placement.pk)
            cell = Cell(slot=slot, row=current.get(key), history=history.get(key, []))
            line.cells.append(cell)
            line.planned_minutes += slot.minutes
            if slot_sheets[slot.pk].signed:
                line.done_minutes += cell.minutes
            else:
                line.pending_minutes += cell.minutes
            slot_sheets[slot.pk].lines.append((placement, cell))
        lines.append(line)
    return SessionSheet(session=session, slots=slots, lines=lines, slot_sheets=slot_sheets)


def slot_rows(slot: TrainingSlot) -> list[Attendance]:
    """Every row of a half-day's sheet in the order written (for its hash)."""
    return list(Attendance.objects.filter(slot=slot).order_by("recorded_at", "pk"))


def current_row(slot: TrainingSlot, placement: SessionPlacement) -> Attendance | None:
    return (
        Attendance.objects.current()
        .filter(slot=slot, placement=placement)
        .order_by("-recorded_at", "-pk")
        .first()
    )


# --- Hours carried out ---------------------------------------------------------------------------


def _signed_slot():
    return Exists(TrainerSignature.objects.filter(slot=OuterRef("slot")))


def training_hours(user: User) -> dict:
    """Hours a trainee carried out in sessions, from attendance on half-days a trainer signed.

    Returns minutes: ``total``, ``in_person``, ``remote``, and ``by_session`` (session id ->
    minutes). Memoised within a request scope; two queries.
    """

    def compute() -> dict:
        rows = (
            Attendance.objects.current()
            .filter(trainee=user, status__in=ATTENDED_STATUSES)
            .exclude(slot__session__status=SessionStatus.CANCELLED)
            .filter(_signed_slot())
            .select_related("slot__session")
        )
        totals = {"total": 0, "in_person": 0, "remote": 0, "by_session": defaultdict(int)}
        for row in rows:
            minutes = row.minutes_carried_out(row.slot.minutes)
            session = row.slot.session
            totals["total"] += minutes
            totals["remote" if session.mode == SessionMode.REMOTE else "in_person"] += minutes
            totals["by_session"][session.pk] += minutes
        totals["by_session"] = dict(totals["by_session"])
        return totals

    return memoised(("courses.training.training_hours", user.pk), compute)


def online_minutes(user: User, course_key) -> int:
    """Time of the course's lessons the trainee completed online (blended courses), in minutes."""
    done = LessonProgress.objects.filter(user=user, course_key=course_key).values("lesson_key")
    durations = dict(
        LessonPage.objects.filter(translation_key__in=done, duration_minutes__isnull=False)
        .order_by("translation_key", "pk")
        .values_list("translation_key", "duration_minutes")
    )
    return sum(durations.values())


def line_of(session: TrainingSession, placement: SessionPlacement) -> SheetLine | None:
    for line in session_sheet(session).lines:
        if line.placement.pk == placement.pk:
            return line
    return None


# --- Certificates and evidence -------------------------------------------------------------------


def certificate_by_number(number: str) -> CompletionCertificate | None:
    return CompletionCertificate.objects.filter(number=number).select_related("session").first()


def latest_funding(enrolment_id: int) -> Funding | None:
    return Funding.objects.filter(enrolment_id=enrolment_id).order_by("-created", "-pk").first()


def latest_pack(session: TrainingSession) -> EvidencePack | None:
    return session.evidence_packs.order_by("-requested_at", "-pk").first()


# --- Satisfaction --------------------------------------------------------------------------------


def questions(kind: str) -> list[SatisfactionQuestion]:
    return list(SatisfactionQuestion.objects.filter(kind=kind, is_active=True))


def request_by_token(token: str) -> SatisfactionRequest | None:
    return (
        SatisfactionRequest.objects.filter(token=token)
        .select_related("placement__session", "placement__trainee", "response")
        .first()
    )


def _question_as_asked(answer, language: str | None) -> dict:
    """The question of an answer in the reader's language while its French text is still the
    one asked; else the French text kept with the answer (`language` "fr" marks it)."""
    question = answer.question
    if answer.question_text == question.text:
        text = question.text_in(language)
        return {"text": text, "language": "" if text != question.text else "fr"}
    return {"text": answer.question_text, "language": "fr"}


def satisfaction_results(*, sessions, kind: str) -> dict:
    """Response rate, average score per question and comments, never with a trainee's name.

    ``sessions`` is a queryset of sessions (one session, or every session of a course). Comments
    and free answers are listed in alphabetical order, not in the order they came in, so that
    they cannot be matched with who signed when.
    """
    session_ids = list(sessions.values_list("pk", flat=True))
    requested = SatisfactionRequest.objects.filter(
        placement__session_id__in=session_ids, kind=kind
    ).count()
    responses = list(
        SatisfactionResponse.objects.filter(session_id__in=session_ids, kind=kind)
        .prefetch_related("answers__question")
        .order_by("pk")
    )
    language = get_language()
    per_question: dict[int, dict] = {}
    comments = []
    for response in responses:
        if response.comment:
            comments.append(response.comment)
        for answer in response.answers.all():
            item = per_question.setdefault(
                answer.question_id,
                {**_question_as_asked(answer, language), "scores": [], "texts": []},
            )
            if answer.score is not None:
                item["scores"].append(answer.score)
            if answer.text:
                item["texts"].append(answer.text)
    rows = []
    for question_id, item in sorted(per_question.items()):
        scores = item["scores"]
        rows.append(
            {
                "question_id": question_id,
                "text": item["text"],
                "language": item["language"],
                "count": len(scores),
                "average": round(sum(scores) / len(scores), 2) if scores else None,
                "distribution": [scores.count(value) for value in range(1, 6)],
                "texts": sorted(item["texts"], key=str.casefold),
            }
        )
    return {
        "kind": kind,
        "requested": requested,
        "answered": len(responses),
        "rate": round(100 * len(responses) / requested) if requested else None,
        "questions": rows,
        "comments": sorted(comments, key=str.casefold),
    }


# --- Results published on the course pages (Qualiopi indicator 2) ------------------------------

RESULTS_MONTHS = 12
SATISFIED_SCORE = 4  # « satisfait·e »: 4 or 5 out of 5


@dataclass(frozen=True)
class CourseResults:
    """What a course page publishes about the course's sessions ended in the last 12 months."""

    since: date
    until: date
    min_responses: int
    responses: int  # à chaud responses the satisfaction rate rests on
    satisfied: int
    placements: int  # trainees placed in those sessions
    completed: int  # ... who attended every half-day
    by_headline: bool  # the rate reads the headline question (else each response's mean)

    @property
    def enough(self) -> bool:
        return self.responses >= self.min_responses

    @property
    def satisfaction_rate(self) -> int | None:
        return percent(self.satisfied, self.responses)

    @property
    def completion_rate(self) -> int | None:
        return percent(self.completed, self.placements)


def ended_sessions(*, course_key, since: datetime, until: datetime):
    """Sessions of a course that were held (confirmed, held or closed: never the cancelled nor
    the never-confirmed ones) and whose last half-day ended between the two moments."""
    return (
        TrainingSession.objects.filter(
            course_key=course_key,
            status__in=(SessionStatus.CONFIRMED, SessionStatus.HELD, SessionStatus.CLOSED),
        )
        .annotate(last_end=Max("slots__ends_at"))
        .filter(last_end__gt=since, last_end__lte=until)
    )


def course_results(*, course_key, min_responses: int, now: datetime | None = None) -> CourseResults:
    """Satisfaction and completion of a course's sessions ended in the last 12 months.

    Satisfaction: the share of à chaud responses scoring 4 or 5 on the questionnaire's headline
    question, or, when staff marked none, whose mean of the scale answers is 4 or more; the
    responses that gave no such score are left out of the count. Completion: the share of the
    trainees placed in those sessions whose current attendance line (corrections applied) is
    present or late on every half-day. Three queries, whatever the number of sessions.
    """
    now = now or timezone.now()
    since, until, start = last_twelve_months(now, ics.session_zone())
    sessions = ended_sessions(course_key=course_key, since=start, until=now).values("pk")
    headline = (
        SatisfactionQuestion.objects.filter(
            kind=SatisfactionKind.HOT, is_headline=True, is_active=True
        )
        .values_list("pk", flat=True)
        .first()
    )
    satisfaction = _satisfaction_counts(sessions, headline)
    completion = _completion_counts(sessions)
    return CourseResults(
        since=since,
        until=until,
        min_responses=min_responses,
        responses=satisfaction["total"],
        satisfied=satisfaction["satisfied"],
        placements=completion["total"],
        completed=completion["completed"],
        by_headline=headline is not None,
    )


def _satisfaction_counts(sessions, headline: int | None) -> dict:
    scores = SatisfactionAnswer.objects.filter(
        response=OuterRef("pk"),
        score__isnull=False,
        **({"question_id": headline} if headline else {}),
    )
    score = scores.values("response").annotate(value=Avg("score")).values("value")
    return (
        SatisfactionResponse.objects.filter(session__in=sessions, kind=SatisfactionKind.HOT)
        .annotate(score=Subquery(score))
        .filter(score__isnull=False)
        .aggregate(total=Count("pk"), satisfied=Count("pk", filter=Q(score__gte=SATISFIED_SCORE)))
    )


def _completion_counts(sessions) -> dict:
    attended = Attendance.objects.current().filter(
        slot=OuterRef("pk"), placement=OuterRef(OuterRef("pk")), status__in=ATTENDED_STATUSES
    )
    missed = TrainingSlot.objects.filter(session=OuterRef("session")).exclude(Exists(attended))
    return (
        SessionPlacement.objects.filter(session__in=sessions, status=PlacementStatus.PLACED)
        .annotate(missed=Exists(missed))
        .aggregate(total=Count("pk"), completed=Count("pk", filter=Q(missed=False)))
    )


# --- BPF -----------------------------------------------------------------------------------------


FUNDERS = {
    "employer": _("Employeurs (plan de développement des compétences)"),
    "opco": _("Opérateurs de compétences (OPCO)"),
    "public": _("Pouvoirs publics (État, régions, France Travail…)"),
    "individual": _("Particuliers à leurs propres frais"),
    "institut": _("L'Institut (fonds propres, gratuité)"),
}

FUNDING_TO_FUNDER = {
    FundingSource.EMPLOYER: "employer",
    FundingSource.TRAINING_FUND: "opco",
    FundingSource.PUBLIC_BODY: "public",
    FundingSource.INSTITUT: "institut",
}


def funder_of(enrolment: Enrolment, funding: Funding | None) -> str:
    """The BPF funder kind of a trainee's enrolment."""
    if enrolment.source == EnrolmentSource.FUNDED and funding is not None:
        return FUNDING_TO_FUNDER.get(funding.source, "institut")
    if enrolment.source == EnrolmentSource.PAID:
        return "individual"
    return "institut"


def bpf_figures(year: int) -> dict:
    """Trainees and trainee-hours of a calendar year, by funder and by in-person / remote.

    Counted from the attendance on half-days of that year that a trainer signed (cancelled
    sessions aside); a trainee is counted once in the total, and once in each split they appear
    in (the BPF asks for people, not placements). Three queries.
    """
    rows = list(
        Attendance.objects.current()
        .filter(status__in=ATTENDED_STATUSES, slot__date__year=year)
        .exclude(slot__session__status=SessionStatus.CANCELLED)
        .filter(_signed_slot())
        .select_related("slot__session", "placement__enrolment")
    )
    enrolment_ids = {row.placement.enrolment_id for row in rows}
    fundings: dict[int, Funding] = {}
    for funding in Funding.objects.filter(enrolment_id__in=enrolment_ids).order_by("created", "pk"):
        fundings[funding.enrolment_id] = funding  # the latest wins
    total_people: set[int] = set()
    total_minutes = 0
    by_funder = {key: {"people": set(), "minutes": 0} for key in FUNDERS}
    by_mode = {key: {"people": set(), "minutes": 0} for key in SessionMode.values}
    sessions: set[int] = set()
    for row in rows:
        minutes = row.minutes_carried_out(row.slot.minutes)
        if not minutes:
            continue
        enrolment = row.placement.enrolment
        funder = funder_of(enrolment, fundings.get(enrolment.pk))
        mode = row.slot.session.mode
        total_people.add(row.trainee_id)
        total_minutes += minutes
        sessions.add(row.slot.session_id)
        for bucket in (by_funder[funder], by_mode[mode]):
            bucket["people"].add(row.trainee_id)
            bucket["minutes"] += minutes
    labels = dict(SessionMode.choices)
    return {
        "year": year,
        "sessions": len(sessions),
        "trainees": len(total_people),
        "hours": hours(total_minutes),
        "by_funder": [
            {
                "key": key,
                "label": FUNDERS[key],
                "trainees": len(by_funder[key]["people"]),
                "hours": hours(by_funder[key]["minutes"]),
            }
            for key in FUNDERS
        ],
        "by_mode": [
            {
                "key": key,
                "label": labels[key],
                "trainees": len(by_mode[key]["people"]),
                "hours": hours(by_mode[key]["minutes"]),
            }
            for key in SessionMode.values
        ],
    }


def bpf_years() -> list[int]:
    """Years that have half-days, most recent first (for the year picker)."""
    dates = TrainingSlot.objects.dates("date", "year", order="DESC")
    return [moment.year for moment in dates]


# --- Practice offered to the logbook --------------------------------------------------------------

DAY_SOURCE = "training-day"  # the name training_days_to_log is registered under (courses.apps)


def days_to_log(user: User, session: TrainingSession) -> list:
    """The days of this session the trainee attended and may still log as practice: their
    logbook's offer (institut.practice), newest first."""
    return practice.still_to_log(user, prefix=f"{DAY_SOURCE}:{session.pk}:")


def training_days_to_log(user: User, since) -> list:
    """The days of sessions the trainee attended, on or after `since`, as pre-filled logbook
    entries (institut.practice): the minutes carried out on the half-days the trainer signed, the
    steps of the session's course. Two queries."""
    from courses.models import CoursePage

    rows = (
        Attendance.objects.current()
        .filter(trainee=user, status__in=ATTENDED_STATUSES, slot__date__gte=since)
        .filter(slot__ends_at__lte=timezone.now())
        .exclude(slot__session__status=SessionStatus.CANCELLED)
        .filter(_signed_slot())
        .select_related("slot__session")
    )
    days: dict = {}
    for row in rows:
        slot = row.slot
        day = days.setdefault((slot.session_id, slot.date), {"session": slot.session, "minutes": 0})
        day["minutes"] += row.minutes_carried_out(slot.minutes)
    steps: dict = {}
    keys = {day["session"].course_key for day in days.values()}
    for key, codes in (
        CoursePage.objects.filter(translation_key__in=keys)
        .order_by("translation_key", "pk")
        .values_list("translation_key", "steps")
    ):
        steps.setdefault(key, tuple(codes or ()))
    return [
        practice.PracticeSuggestion(
            key=f"{DAY_SOURCE}:{session_id}:{date.isoformat()}",
            date=date,
            minutes=day["minutes"],
            steps=steps.get(day["session"].course_key, ()),
            title=day["session"].display_title,
            kind=str(_("Journée de formation")),
            language=settings.LANGUAGE_CODE,  # typed in French, or the course's title as saved
        )
        for (session_id, date), day in days.items()
        if day["minutes"]
    ]
