"""Reads of the certification app. Eligibility is computed from the records of the courses and
supervision apps, through their selectors only, with a bounded number of queries.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import (
    DECISION_ACTIONS,
    Application,
    ApplicationEvent,
    Certificate,
    CertificateStatus,
    CertificationScheme,
    CharterAcceptance,
    CharterVersion,
    RenewalAudit,
    SupervisorOpinion,
)
from certification.reasons import requirement_label
from certification.registry.cache import registry_pages
from courses import selectors as course_selectors
from institut import person_cache
from institut.lib.rates import last_twelve_months, percent
from institut.method import Step
from supervision import selectors as supervision_selectors
from supervision.logbook import selectors as logbook_selectors

if TYPE_CHECKING:
    from institut.models import User


def _url(name: str, anchor: str = "") -> str:
    try:
        return reverse(name) + anchor
    except NoReverseMatch:
        return ""


def _hours(minutes: int) -> float:
    """Exact hours: whether a requirement is met is decided on these, never on a rounded figure
    (19 h 57 is not 20 h); pages write them as hours and minutes."""
    return minutes / 60


@dataclass
class Requirement:
    """A condition of the scheme and where a person stands: done, needed, missing, where to act."""

    code: str
    label: str
    done: float
    needed: float
    unit: str  # "hours", "courses" or "" (yes/no)
    url: str = ""
    action: str = ""
    details: list[dict] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.done >= self.needed

    @property
    def missing(self) -> float:
        return max(0, self.needed - self.done)

    @property
    def percent(self) -> int:
        if not self.needed:
            return 100
        percent = min(100, round(100 * self.done / self.needed))
        # A requirement short by a few minutes never reads as 100 %.
        return min(percent, 99) if not self.met else percent


@dataclass
class Eligibility:
    """Every requirement of a scheme for one person, and whether all are met."""

    scheme: CertificationScheme | None
    requirements: list[Requirement]
    kind: str = Application.Kind.INITIAL

    @property
    def met(self) -> bool:
        return self.scheme is not None and all(r.met for r in self.requirements)

    @property
    def unmet(self) -> list[Requirement]:
        return [r for r in self.requirements if not r.met]

    def snapshot(self) -> dict:
        """Plain data for the audit trail: what was computed, when, against which scheme."""
        return {
            "computed_at": timezone.now().isoformat(),
            "kind": self.kind,
            "scheme_version": self.scheme.version if self.scheme else None,
            "met": self.met,
            "requirements": [
                {**asdict(r), "met": r.met, "label": str(r.label), "details": r.details}
                for r in self.requirements
            ],
        }


def current_scheme() -> CertificationScheme | None:
    return person_cache.from_rules(
        "certification.scheme", lambda: CertificationScheme.objects.current()
    )


def current_charter() -> CharterVersion | None:
    return CharterVersion.objects.current()


def has_accepted(user: User, charter: CharterVersion | None) -> CharterAcceptance | None:
    if charter is None:
        return None
    return CharterAcceptance.objects.filter(user=user, charter=charter).first()


@dataclass(frozen=True)
class CharterState:
    """The charter in force and the person's acceptance of it, if any."""

    charter: CharterVersion | None
    acceptance: CharterAcceptance | None


def charter_state(user: User) -> CharterState:
    """The charter in force and whether this person accepted it (one query; kept for the pages
    that show it until the charter or the person's acceptances change)."""
    return person_cache.from_records(user.pk, "certification.charter", lambda: _charter_state(user))


def _charter_state(user: User) -> CharterState:
    accepted = CharterAcceptance.objects.filter(user=user, charter=OuterRef("pk")).order_by("pk")
    charter = CharterVersion.objects.annotate(
        acceptance_pk=Subquery(accepted.values("pk")[:1]),
        acceptance_at=Subquery(accepted.values("accepted_at")[:1]),
    ).current()
    if charter is None or charter.acceptance_pk is None:
        return CharterState(charter=charter, acceptance=None)
    acceptance = CharterAcceptance(
        pk=charter.acceptance_pk, user=user, charter=charter, accepted_at=charter.acceptance_at
    )
    acceptance._state.adding = False
    acceptance._state.db = charter._state.db
    return CharterState(charter=charter, acceptance=acceptance)


def _course_requirement(
    user: User, scheme: CertificationScheme, *, with_details: bool = True
) -> Requirement:
    keys = [uuid.UUID(str(key)) for key in scheme.required_course_keys]
    done = course_selectors.completed_course_keys(user=user) if keys else set()
    courses = course_selectors.courses_for_keys(course_keys=keys) if keys and with_details else {}
    details = []
    for key in keys if with_details else ():
        course = courses.get(key)
        details.append(
            {
                "title": course.title if course else str(key),
                "url": course.url if course and course.live else "",
                "met": key in done,
            }
        )
    return Requirement(
        code="courses",
        label=requirement_label("courses"),
        done=sum(1 for key in keys if key in done),
        needed=len(keys),
        unit="courses",
        url=_url("courses:catalogue"),
        action=_("Voir le catalogue des formations"),
        details=details,
    )


def _practice_requirements(user: User, scheme: CertificationScheme) -> list[Requirement]:
    totals = logbook_selectors.practice_totals(user)  # memoised within a request scope
    logbook = _url("supervision:logbook_home")
    action = _("Ouvrir mon carnet de pratique")
    requirements = [
        Requirement(
            code="practice",
            label=requirement_label("practice"),
            done=_hours(totals["total_minutes"]),
            needed=scheme.min_practice_hours,
            unit="hours",
            url=logbook,
            action=action,
            details=[{"pending_hours": _hours(totals["pending_minutes"])}],
        )
    ]
    minimums = scheme.step_minimums()
    for step in Step:
        requirements.append(
            Requirement(
                code=f"step:{step.value}",
                label=requirement_label(f"step:{step.value}"),
                done=_hours(totals["by_step"].get(step.value, 0)),
                needed=minimums[step.value],
                unit="hours",
                url=logbook,
                action=action,
            )
        )
    return requirements


def _supervision_requirement(
    user: User, *, needed: int, since: datetime | None = None, code: str = "supervision"
) -> Requirement:
    minutes = supervision_selectors.supervision_minutes(user, since=since)
    return Requirement(
        code=code,
        label=requirement_label("renewal_supervision" if since else "supervision"),
        done=_hours(minutes["total"]),
        needed=needed,
        unit="hours",
        url=_url("supervision:session_list"),
        action=_("Réserver une séance de supervision"),
        details=[
            {"individual_hours": _hours(minutes["individual"])},
            {"group_hours": _hours(minutes["group"])},
        ],
    )


def _training_requirement(user: User, *, needed: int) -> Requirement:
    minutes = course_selectors.training_hours(user=user)
    return Requirement(
        code="training",
        label=requirement_label("training"),
        done=_hours(minutes["total"]),
        needed=needed,
        unit="hours",
        url=_url("courses:training_sessions"),
        action=_("Choisir une session de formation"),
        details=[
            {"in_person_hours": _hours(minutes["in_person"])},
            {"remote_hours": _hours(minutes["remote"])},
        ],
    )


def _charter_requirement(state: CharterState) -> Requirement:
    charter, acceptance = state.charter, state.acceptance
    return Requirement(
        code="charter",
        label=requirement_label("charter"),
        done=1 if acceptance else 0,
        needed=1,
        unit="",
        url=_url("certification:path", "#charte"),
        action=_("Lire et accepter la charte"),
        details=[
            {
                "version": charter.version if charter else None,
                "accepted_at": acceptance.accepted_at.isoformat() if acceptance else None,
            }
        ],
    )


def eligibility(
    user: User,
    *,
    scheme: CertificationScheme | None = None,
    charter: CharterState | None = None,
    with_details: bool = True,
) -> Eligibility:
    """Each requirement of the scheme for a first certification, from the records (~7 queries).

    A caller that already read the charter state passes it in; one that shows no course titles
    (the /espace/ panel) asks for no details.
    """
    scheme = scheme or current_scheme()
    if scheme is None:
        return Eligibility(scheme=None, requirements=[])
    requirements = [_course_requirement(user, scheme, with_details=with_details)]
    requirements += _practice_requirements(user, scheme)
    if scheme.min_training_hours:
        requirements.append(_training_requirement(user, needed=scheme.min_training_hours))
    requirements.append(_supervision_requirement(user, needed=scheme.min_supervision_hours))
    if scheme.requires_charter:
        requirements.append(_charter_requirement(charter or charter_state(user)))
    return Eligibility(scheme=scheme, requirements=requirements)


def renewal_eligibility(
    certificate: Certificate,
    *,
    scheme: CertificationScheme | None = None,
    charter: CharterState | None = None,
) -> Eligibility:
    """What renewal needs: supervision during the validity period and the charter in force."""
    scheme = scheme or current_scheme()
    if scheme is None:
        return Eligibility(scheme=None, requirements=[], kind=Application.Kind.RENEWAL)
    since = datetime.combine(
        certificate.issued_on, time.min, tzinfo=timezone.get_current_timezone()
    )
    requirements = [
        _supervision_requirement(
            certificate.holder,
            needed=scheme.renewal_supervision_hours,
            since=since,
            code="renewal_supervision",
        )
    ]
    if scheme.requires_charter:
        requirements.append(_charter_requirement(charter or charter_state(certificate.holder)))
    return Eligibility(scheme=scheme, requirements=requirements, kind=Application.Kind.RENEWAL)


# --- A certificate's status at a given moment -------------------------------------------------

# The statuses the daily run turns to expired once the validity has ended (revoked is final,
# expired is already so).
EXPIRES_FROM = frozenset(
    {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED, CertificateStatus.INACTIVE}
)


def expiry_date(certificate: Certificate) -> date:
    """The first day the certificate is no longer valid: `valid_until` is its last valid day
    (its badge's validUntil is the midnight after it, Europe/Paris)."""
    return certificate.valid_until + timedelta(days=1)


@dataclass(frozen=True)
class EffectiveStatus:
    """A certificate's status as every page, the API and the badge verification state it."""

    status: str
    since: date
    recorded: bool = True  # False: expired by its dates, not yet recorded by the daily run

    @property
    def label(self) -> str:
        return str(CertificateStatus(self.status).label)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.ACTIVE

    def __str__(self) -> str:
        return self.label


def effective_status(certificate: Certificate, at: datetime | None = None) -> EffectiveStatus:
    """The certificate's status at `at` (now by default): the recorded one, except that a
    certificate past its last valid day reads as expired from the first minute of the next day
    (Europe/Paris) even before the daily run records it, with the date the run will record.
    Reads only: the record itself changes through certificate_expire (the daily run, or first
    of a change made meanwhile)."""
    today = timezone.localdate(at) if at is not None else timezone.localdate()
    if certificate.status in EXPIRES_FROM and today >= expiry_date(certificate):
        return EffectiveStatus(
            CertificateStatus.EXPIRED, since=expiry_date(certificate), recorded=False
        )
    return EffectiveStatus(certificate.status, since=certificate.status_changed_on)


# --- The trainee's path -----------------------------------------------------------------------


OPEN_STATUSES = (Application.Status.SUBMITTED, Application.Status.MORE_REQUESTED)


def open_application(user: User) -> Application | None:
    return (
        Application.objects.filter(applicant=user, status__in=OPEN_STATUSES)
        .order_by("-submitted_at")
        .first()
    )


def certificate_of(user: User) -> Certificate | None:
    """The person's certificate, the most recent if several (revoked ones included)."""
    return Certificate.objects.filter(holder=user).order_by("-first_issued_on", "-pk").first()


_UNKNOWN = object()


def can_apply(
    user: User,
    result: Eligibility,
    certificate: Certificate | None,
    *,
    application: Application | object | None = _UNKNOWN,
) -> bool:
    """Whether the person may apply now; a caller that read the open application passes it."""
    if application is _UNKNOWN:
        application = open_application(user)
    if not result.met or application is not None:
        return False
    if result.kind == Application.Kind.INITIAL:
        return certificate is None
    return certificate is not None and effective_status(certificate).status in (
        CertificateStatus.ACTIVE,
        CertificateStatus.EXPIRED,
    )


def path_context(user: User) -> dict:
    """Everything /certification/ shows: requirements, charter, application, certificate."""
    certificate = certificate_of(user)
    charter = charter_state(user)
    if certificate is not None and certificate.status != CertificateStatus.REVOKED:
        result = renewal_eligibility(certificate, charter=charter)
    else:
        result = eligibility(user, charter=charter)
    # A person has a handful of applications: read them once, the open one among them.
    applications = list(Application.objects.filter(applicant=user).order_by("-submitted_at"))
    application = next((a for a in applications if a.status in OPEN_STATUSES), None)
    return {
        "scheme": result.scheme,
        "eligibility": result,
        "charter": charter.charter,
        "acceptance": charter.acceptance,
        "application": application,
        "certificate": certificate,
        "can_apply": can_apply(user, result, certificate, application=application),
        "opinion_step": opinion_step(user, result, application),
        "pending_audit": pending_audit_of(user) if certificate is not None else None,
        "past_applications": [a for a in applications if a is not application][:10],
    }


def pending_audit_of(holder: User) -> RenewalAudit | None:
    """The holder's renewal audit not yet decided, if any: one that waits for their evidence
    first, else one whose evidence waits for the committee's outcome."""
    return (
        RenewalAudit.objects.filter(
            certificate__holder=holder,
            status__in=(RenewalAudit.Status.REQUESTED, RenewalAudit.Status.SUBMITTED),
        )
        .order_by(
            Case(When(status=RenewalAudit.Status.REQUESTED, then=Value(0)), default=Value(1)),
            "deadline",
        )
        .first()
    )


def opinion_step(user: User, result: Eligibility, application: Application | None) -> dict | None:
    """The supervisor's opinion, when the scheme requires it before a first grant: who can give
    it and whether it was given. It comes after the application, so it never blocks applying."""
    scheme = result.scheme
    if (
        scheme is None
        or result.kind != Application.Kind.INITIAL
        or not scheme.requires_supervisor_opinion
    ):
        return None
    supervisors = [s.full_name or s.email for s in supervision_selectors.supervisors_of(user)]
    given = application.opinions.count() if application else 0
    return {"supervisors": supervisors, "applied": application is not None, "given": given}


def dashboard_panel_context(user: User) -> dict:
    """The certification panel of /espace/: a short path summary, or the certificate."""
    certificate = certificate_of(user)
    if certificate is not None:
        # One query more: the renewal audit not yet decided, if any.
        return {
            "certification_certificate": certificate,
            "certification_audit": pending_audit_of(user),
        }
    result = eligibility(user, with_details=False)
    return {
        "certification_eligibility": result,
        "certification_met": sum(1 for r in result.requirements if r.met),
        "certification_total": len(result.requirements),
        "certification_application": open_application(user),
    }


# --- Published results -----------------------------------------------------------------------


@dataclass(frozen=True)
class CertificationResults:
    """What the certification publishes (Qualiopi indicator 2): the share of applications the
    committee granted among those it decided in the last 12 months, first certifications and
    renewals apart, and how many practitioners hold a valid certificate today."""

    since: date
    until: date
    min_decisions: int
    decided: int  # first certifications decided in the period
    granted: int  # ... granted (a certificate issued)
    renewals_decided: int
    renewals_granted: int
    holders: int  # practitioners whose certificate is active and unexpired today

    @property
    def enough(self) -> bool:
        return self.decided >= self.min_decisions

    @property
    def success_rate(self) -> int | None:
        return percent(self.granted, self.decided)

    @property
    def renewals_enough(self) -> bool:
        return self.renewals_decided >= self.min_decisions

    @property
    def renewal_rate(self) -> int | None:
        return percent(self.renewals_granted, self.renewals_decided)


def certification_results(
    *, min_decisions: int | None = None, now: datetime | None = None
) -> CertificationResults:
    """The certification's results as of `now`, from the decision events and the certificates:
    two queries, whatever the number of applications. The minimum number of decisions before a
    rate is published is the course pages' (*Réponses minimales pour publier un taux*)."""
    if min_decisions is None:
        from home.selectors import institut_details

        min_decisions = institut_details().results_min_responses
    now = now or timezone.now()
    since, until, start = last_twelve_months(now, timezone.get_default_timezone())
    # A withdrawn application ends as refused too, but nobody decided it: not counted, nor is an
    # application still waiting for a decision or for the applicant's additions.
    initial = Q(application__kind=Application.Kind.INITIAL)
    renewal = Q(application__kind=Application.Kind.RENEWAL)
    granted = Q(action="granted")
    decisions = ApplicationEvent.objects.filter(
        action__in=DECISION_ACTIONS, at__gt=start, at__lte=now
    ).aggregate(
        decided=Count("pk", filter=initial),
        granted=Count("pk", filter=initial & granted),
        renewals_decided=Count("pk", filter=renewal),
        renewals_granted=Count("pk", filter=renewal & granted),
    )
    holders = Certificate.objects.filter(
        status=CertificateStatus.ACTIVE, valid_until__gte=until
    ).aggregate(holders=Count("holder", distinct=True))["holders"]
    return CertificationResults(
        since=since, until=until, min_decisions=min_decisions, holders=holders, **decisions
    )


def published_certification_results() -> CertificationResults:
    """certification_results() as the registry and the trainee's path publish them: kept under
    the registry's version (a decision, a certificate's change or a new minimum makes a new one)
    and today's date, so that every registry search does not count the holders again."""
    version = registry_pages.version_or_none()
    if version is None:  # the cache is down
        return certification_results()
    key = f"certification-results:{version}:{timezone.localdate().isoformat()}"
    return person_cache.cached(key, certification_results, seconds=settings.REGISTRY_CACHE_SECONDS)


# --- Supervisors ------------------------------------------------------------------------------


def is_supervisor_of(supervisor: User, applicant: User) -> bool:
    return supervision_selectors.supervisors_of(applicant).filter(pk=supervisor.pk).exists()


def _supervised_applications(supervisor: User):
    """Applications of the trainees this trainer supervises, each with the trainer's opinion
    (`my_opinions`, empty or one): one query, and one for the opinions."""
    trainees = supervision_selectors.trainees_of(supervisor).values("pk")
    return (
        Application.objects.filter(applicant__in=trainees)
        .select_related("applicant")
        .prefetch_related(
            Prefetch(
                "opinions",
                queryset=SupervisorOpinion.objects.filter(supervisor=supervisor),
                to_attr="my_opinions",
            )
        )
    )


def applications_for_supervisor(supervisor: User):
    """Open applications of the trainees this trainer supervises, where their opinion may still
    be given: those still without it first, then the longest waiting first."""
    given = SupervisorOpinion.objects.filter(application=OuterRef("pk"), supervisor=supervisor)
    return (
        _supervised_applications(supervisor)
        .filter(status__in=OPEN_STATUSES)
        .annotate(opinion_given=Exists(given))
        .order_by("opinion_given", "submitted_at", "pk")
    )


def decided_applications_for_supervisor(supervisor: User):
    """Decided applications of the trainees this trainer supervises, the latest decided first:
    what became of their opinion."""
    return (
        _supervised_applications(supervisor)
        .exclude(status__in=OPEN_STATUSES)
        .order_by(F("decided_at").desc(nulls_last=True), "-submitted_at", "-pk")
    )


# --- The committee ----------------------------------------------------------------------------


# The committee's list: the applications awaiting its decision first, the longest waiting first;
# then those waiting on more from the applicant; then the decided ones, the latest first.
_WAITING_ORDER = Case(
    When(status=Application.Status.SUBMITTED, then=Value(0)),
    When(status=Application.Status.MORE_REQUESTED, then=Value(1)),
    default=Value(2),
)
COMMITTEE_ORDER = (
    _WAITING_ORDER,
    F("decided_at").desc(nulls_last=True),
    "submitted_at",
    "pk",
)


def committee_applications(*, status: str | None = None):
    """Applications for the committee's list, with counts, in two queries whatever their number."""
    queryset = Application.objects.select_related("applicant", "certificate").annotate(
        opinions_count=Count("opinions", distinct=True),
        documents_count=Count("documents", distinct=True),
        unfavourable_count=Count(
            "opinions",
            filter=Q(opinions__verdict=SupervisorOpinion.Verdict.UNFAVOURABLE),
            distinct=True,
        ),
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(*COMMITTEE_ORDER)


def application_evidence(application: Application) -> dict:
    """What the committee weighs: the path now, logbook totals, supervision, courses, opinions."""
    applicant = application.applicant
    if application.kind == Application.Kind.RENEWAL and application.certificate_id:
        result = renewal_eligibility(application.certificate)
    else:
        result = eligibility(applicant)
    totals = logbook_selectors.totals_for_display(logbook_selectors.practice_totals(applicant))
    return {
        "eligibility": result,
        "practice": totals,
        "supervision": supervision_selectors.supervision_minutes(applicant),
        "completions": course_selectors.course_completions(user=applicant),
        "supervisors": list(supervision_selectors.supervisors_of(applicant)),
        "opinions": list(application.opinions.select_related("supervisor")),
        "opinion_required": application.kind == Application.Kind.INITIAL
        and bool(result.scheme and result.scheme.requires_supervisor_opinion),
        "documents": list(application.documents.all()),
        "events": list(application.events.select_related("actor")),
    }


def committee_certificates():
    return Certificate.objects.select_related("holder").order_by("valid_until", "pk")


def certificate_events(certificate: Certificate) -> list:
    return list(certificate.events.select_related("actor"))


def due_for_expiry(today: date):
    """Certificates that read as expired today (see effective_status) and are not recorded so."""
    return Certificate.objects.filter(status__in=EXPIRES_FROM, valid_until__lt=today)
