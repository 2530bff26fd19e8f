"""Benchmark volume for supervision: loaded with COPY by `seed_scale` (see benchmarks/scale/).

What the services would have written, row for row, without going through them: assignments,
sessions (some in series, a few cancelled) with their bookings, waitlists, attendance records and
audit rows; practice entries with their steps, audit rows and a few corrections. The invariants
of the services hold: a session never holds more places than it has, a waitlist exists only on a
full session, a trainee never holds two bookings at once, an entry is reviewed by one of the
trainee's supervisors, an approved entry is corrected at most once.

Sessions sit in half-days (morning 9:00 to 12:30, afternoon 14:00 to 18:00, Paris time): a trainer
runs at most one session per half-day and a trainee books at most one, so no two overlap.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from benchmarks.scale.institut import ScaleContext, Timer, copy_rows, reserve_ids
from institut.method import Step
from supervision.logbook.models import PracticeEntry, PracticeEntryEvent, PracticeEntryStep
from supervision.models import (
    Booking,
    SessionSeries,
    SupervisionEvent,
    SupervisionRecord,
    SupervisionSession,
    SupervisorAssignment,
)

PARIS = ZoneInfo("Europe/Paris")

PAST_DAYS = 548  # sessions over the past ~18 months
UPCOMING_DAYS = 91  # and the next ~3 months
LOGBOOK_DAYS = 730  # practice over the past two years

# The persona trainer's load, and the persona trainee's (reduced for small runs).
PERSONA_TRAINEES = 100
PERSONA_SESSIONS = 200
PERSONA_QUEUE = 300
PERSONA_ENTRIES = 150

SECOND_SUPERVISOR_SHARE = 0.08
CORRECTION_SHARE = 0.01

# Half-days: (earliest start, latest end) in local time.
HALVES = ((time(9), time(12, 30)), (time(14), time(18)))

ADDRESSES = [
    "Institut Charles Rojzman, 12 rue de la Coopération, 75011 Paris",
    "Maison des associations, 8 place du Marché, 69003 Lyon",
    "Centre social des Tilleuls, 3 allée des Tilleuls, 13014 Marseille",
    "Espace Simone-Veil, 21 boulevard de la Liberté, 59000 Lille",
    "Salle du Parvis, 5 rue des Remparts, 33000 Bordeaux",
    "Maison de quartier Bellevue, 14 rue du Moulin, 44000 Nantes",
    "Tiers-lieu La Passerelle, 40 quai des Tanneurs, 67000 Strasbourg",
    "Centre culturel Jean-Moulin, 2 avenue de la Gare, 31000 Toulouse",
]
VIDEO = "https://visio.institut-charlesrojzman.test/supervision/{}"

GROUP_TOPICS = [
    "inspirer confiance dès la première rencontre",
    "préparer un contrat commun avec un collectif qui doute",
    "calmer les peurs en sous-groupes hétérogènes",
    "traverser les conflits sans les étouffer",
    "faire circuler les informations qui éclairent les blocages",
    "construire l'intelligence collective par la mise en situation",
    "accompagner un groupe vers des solutions réalistes",
    "analyse de cas apportés par les participant·es",
    "relire une intervention difficile",
]
SESSION_DESCRIPTIONS = [
    "Chacun·e apporte une situation de terrain ; nous la relisons au fil des étapes de la méthode.",
    "Analyse de cas : ce qui a bloqué, ce qui a permis d'avancer, ce que l'on ferait autrement.",
    "Un temps pour déposer les difficultés rencontrées en intervention et chercher ensemble des "
    "pistes concrètes.",
    "Retours d'expérience et jeux de rôle courts autour des situations apportées.",
    "Apportez vos notes d'intervention : nous travaillerons sur la posture de l'intervenant·e.",
]
CANCELLATION_REASONS = [
    "Indisponibilité de la superviseure : la séance sera reprogrammée.",
    "Trop peu d'inscrit·es pour que le groupe puisse travailler.",
    "Grève des transports : impossible de se réunir sur place.",
    "Salle indisponible ce jour-là.",
]

# --- Logbook text: short French paraphrases of the method, combined ------------------------------

CONTEXTS = {
    "neighbourhood": [
        "Réunion d'habitants dans une cité où les tensions montent après des dégradations",
        "Rencontre entre jeunes du quartier et agents de la police municipale",
        "Atelier avec le conseil citoyen et les gardiens d'immeuble",
        "Temps d'échange au centre social après une altercation devant la maison de quartier",
        "Réunion publique sur la rénovation d'une résidence, entre habitants et bailleur",
    ],
    "school": [
        "Collège en éducation prioritaire, après une série d'incidents dans la cour",
        "Lycée professionnel : élèves et enseignants ne se parlent plus depuis des exclusions",
        "École élémentaire : parents inquiets et équipe enseignante sur la défensive",
        "Réunion de l'équipe éducative d'un collège qui doute de l'utilité de la démarche",
    ],
    "institution": [
        "Foyer de l'enfance : éducateurs et veilleurs de nuit épuisés par des nuits agitées",
        "Hôpital de jour : équipe soignante divisée sur l'accueil des familles",
        "Service de protection de l'enfance où les équipes se renvoient les responsabilités",
        "Centre d'hébergement : résidents, travailleurs sociaux et direction réunis",
    ],
    "organisation": [
        "Service technique d'une mairie : deux équipes en conflit ouvert",
        "Entreprise de logistique après un conflit entre encadrement et préparateurs",
        "Agence d'un bailleur social confrontée aux menaces de locataires",
        "Direction d'une collectivité qui veut relancer la coopération entre services",
    ],
    "association": [
        "Association d'aide alimentaire où bénévoles anciens et nouveaux s'opposent",
        "Club sportif amateur : conflit entre parents et entraîneurs",
        "Centre socioculturel : salarié·es et administrateurs ne se font plus confiance",
        "Association de quartier qui prépare une fête malgré les rivalités entre groupes",
    ],
    "other": [
        "Entretien préalable avec le commanditaire d'une intervention",
        "Réunion d'élus et de techniciens sur un projet qui divise",
        "Rencontre entre commerçants et riverains d'une place de marché",
    ],
}
ROLES = {
    "lead": "J'animais la séance",
    "co_intervention": "En binôme avec une intervenante expérimentée",
    "observation": "En observation",
}
ACTIONS = {
    "confiance": [
        "nous avons posé un cadre sûr, participatif et confidentiel pour que chacun ose parler",
        "il a fallu se montrer au service de toutes les parties et fixer un but modeste",
    ],
    "contrat": [
        "nous avons écouté les doutes et la méfiance avant de nous accorder sur un objectif commun",
        "l'objectif commun a été reformulé jusqu'à ce que chacun puisse s'y reconnaître",
    ],
    "sous_groupes": [
        "des petits groupes mêlés ont réuni des personnes qui ne se côtoient jamais",
        "le travail en sous-groupes hétérogènes a fait baisser les craintes de part et d'autre",
    ],
    "conflits": [
        "les désaccords ont pu s'exprimer sans que personne ne soit mis en accusation",
        "le conflit a été mis sur la table et chacun a entendu ce que l'autre vivait",
    ],
    "informations": [
        "chacun a partagé ce qu'il savait des blocages, et les responsabilités sont apparues "
        "partagées",
        "les contraintes que chaque équipe ignorait de l'autre ont enfin circulé",
    ],
    "intelligence": [
        "des mises en situation ont permis à chacun de raconter la scène depuis sa place",
        "le groupe a pris conscience ensemble des causes de ses difficultés",
    ],
    "solutions": [
        "le groupe a construit des pistes réalistes que chacun peut porter",
        "nous avons cherché des réponses inventives à un problème que personne ne savait prendre",
    ],
}
REFLECTIONS = [
    "J'ai eu tendance à vouloir rassurer trop vite ; laisser la tension exister a été plus utile.",
    "La colère exprimée au début m'a déstabilisé·e, je veux en parler en supervision.",
    "Je mesure l'importance de la préparation avec le commanditaire.",
    "Le cadre posé au départ a tenu, même au moment le plus tendu.",
    "J'ai pris parti sans m'en rendre compte pendant quelques minutes.",
    "Les sous-groupes ont mieux fonctionné que la grande réunion.",
    "Prochaine fois : prévoir plus de temps pour la circulation des informations.",
    "Je me suis senti·e plus à l'aise dans la posture d'écoute que la dernière fois.",
    "Un participant a quitté la salle ; je me demande comment j'aurais pu le retenir.",
    "Observer une intervenante expérimentée m'a montré la valeur des silences.",
]
RETURN_COMMENTS = [
    "Pouvez-vous préciser ce que vous avez fait vous-même pendant cette séance ?",
    "Quelle étape de la méthode avez-vous travaillée ? La description reste trop générale.",
    "La durée indiquée me semble longue pour une observation : pouvez-vous la vérifier ?",
    "Décrivez la situation sans détail qui permettrait de reconnaître les personnes.",
]
APPROVE_COMMENTS = ["", "", "", "Belle description, merci.", "Bien vu, on en reparle en séance."]
CORRECTION_NOTES = [
    " (Correction : la durée avait été mal saisie.)",
    " (Correction : nombre de participant·es rectifié.)",
    " (Correction : étapes travaillées précisées.)",
]


# --- Who supervises whom ------------------------------------------------------------------------


@dataclass
class _Cast:
    """The people of the supervision volume and who supervises whom."""

    trainers: list[int]  # every trainer, the persona last
    trainees: list[int]  # every trainee, the persona first
    persona_trainer: int
    persona_trainee: int
    supervisors: dict[int, list[int]] = field(default_factory=dict)  # trainee -> trainers
    supervisees: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def assign(self, trainee: int, trainer: int) -> None:
        if trainer not in self.supervisors.setdefault(trainee, []):
            self.supervisors[trainee].append(trainer)
            self.supervisees[trainer].append(trainee)


def _assign(ctx: ScaleContext) -> _Cast:
    rng = ctx.rng
    persona_trainer, persona_trainee = ctx.personas["trainer"], ctx.personas["trainee"]
    others = list(ctx.trainer_ids)
    cast = _Cast(
        trainers=[*others, persona_trainer],
        trainees=[persona_trainee, *ctx.trainee_ids],
        persona_trainer=persona_trainer,
        persona_trainee=persona_trainee,
    )
    pool = list(ctx.trainee_ids)
    rng.shuffle(pool)
    # The persona's share: ~100 at full size, a quarter of the trainees (all with no other
    # trainer) in small runs.
    share = len(pool) if not others else min(PERSONA_TRAINEES - 1, len(pool) // 4)
    cast.assign(persona_trainee, persona_trainer)
    for trainee in pool[:share]:
        cast.assign(trainee, persona_trainer)
    for index, trainee in enumerate(pool[share:]):
        cast.assign(trainee, others[index % len(others)])
    if others:
        for trainee in pool:
            if rng.random() < SECOND_SUPERVISOR_SHARE:
                cast.assign(trainee, rng.choice(others))
    admin_created = ctx.now - timedelta(days=PAST_DAYS + 30)
    copy_rows(
        SupervisorAssignment,
        ["trainee_id", "supervisor_id", "assigned_by_id", "created"],
        (
            (trainee, trainer, None, admin_created + timedelta(minutes=rng.randrange(40 * 1440)))
            for trainee, trainers in cast.supervisors.items()
            for trainer in trainers
        ),
    )
    return cast


# --- Sessions, bookings, attendance ---------------------------------------------------------------


@dataclass
class _Slot:
    """When a session takes place: a day, a half-day, and the times."""

    day: date
    half: int
    starts_at: datetime
    ends_at: datetime

    @property
    def key(self) -> tuple[int, int]:
        return (self.day.toordinal(), self.half)


def _times(rng, kind: str, half: int) -> tuple[time, int]:
    """A start time and a duration (minutes) that fit in the half-day."""
    earliest, latest = HALVES[half]
    room = (latest.hour * 60 + latest.minute) - (earliest.hour * 60 + earliest.minute)
    if kind == SupervisionSession.Kind.INDIVIDUAL:
        minutes = rng.choice((45, 60, 60, 60, 90))
    else:
        minutes = rng.choice((90, 120, 120, 150, 180))
    start = earliest.hour * 60 + rng.randrange(0, room - minutes + 1, 30)
    return time(start // 60, start % 60), minutes


def _slot(day: date, half: int, start: time, minutes: int) -> _Slot:
    starts = datetime.combine(day, start, tzinfo=PARIS)
    return _Slot(day, half, starts, starts + timedelta(minutes=minutes))


class _Calendar:
    """The half-days a trainer has free, in the past and upcoming windows."""

    def __init__(self, rng, today: date):
        self.rng, self.today = rng, today
        self.taken: set[tuple[int, int]] = set()

    def free(self, day: date, half: int) -> bool:
        return day.weekday() < 5 and (day.toordinal(), half) not in self.taken

    def take(self, day: date, half: int) -> None:
        self.taken.add((day.toordinal(), half))

    def random_free(self, upcoming: bool) -> tuple[date, int]:
        for _ in range(10_000):
            if upcoming:
                day = self.today + timedelta(days=self.rng.randint(1, UPCOMING_DAYS))
            else:
                day = self.today - timedelta(days=self.rng.randint(1, PAST_DAYS))
            half = self.rng.randrange(2)
            if self.free(day, half):
                return day, half
        raise ValueError("Too many supervision sessions for the trainers' half-days.")


def _sessions_per_trainer(ctx: ScaleContext, cast: _Cast) -> dict[int, int]:
    total = ctx.sizes.sessions
    others = cast.trainers[:-1]
    persona = total if not others else min(PERSONA_SESSIONS, total // 5)
    counts = dict.fromkeys(cast.trainers, 0)
    counts[cast.persona_trainer] = persona
    for index in range(total - persona):
        counts[others[index % len(others)]] += 1
    return counts


@dataclass
class _SessionPlan:
    """A session to write, before its id is known."""

    trainer: int
    slot: _Slot
    kind: str
    series: int | None = None
    created_at: datetime | None = None
    template: dict | None = None  # shared fields of a series


def _plan_sessions(ctx: ScaleContext, cast: _Cast) -> tuple[list[_SessionPlan], list[tuple]]:
    """Every session of every trainer, some in weekly or fortnightly series."""
    rng, today = ctx.rng, ctx.now.astimezone(PARIS).date()
    plans, series_rows = [], []
    counts = _sessions_per_trainer(ctx, cast)
    series_count = sum(n // 25 for n in counts.values())
    series_ids = iter(reserve_ids(SessionSeries, series_count))
    upcoming_share = UPCOMING_DAYS / (PAST_DAYS + UPCOMING_DAYS)
    for trainer, count in counts.items():
        calendar = _Calendar(rng, today)
        mine: list[_SessionPlan] = []
        for _ in range(count // 25):
            mine += _plan_series(ctx, trainer, calendar, count - len(mine), series_ids, series_rows)
        singles = count - len(mine)
        for index in range(singles):
            # At least one past and one upcoming session, then ~1 in 7 upcoming.
            upcoming = index == 1 or (index > 1 and rng.random() < upcoming_share)
            day, half = calendar.random_free(upcoming)
            calendar.take(day, half)
            kind = "individual" if rng.random() < 0.35 else "group"
            slot = _slot(day, half, *_times(rng, kind, half))
            created = slot.starts_at - timedelta(hours=rng.randint(24 * 5, 24 * 45))
            created = min(created, ctx.now - timedelta(minutes=rng.randint(30, 60 * 24 * 4)))
            mine.append(_SessionPlan(trainer, slot, kind, created_at=created))
        plans += mine
    return plans, series_rows


def _plan_series(ctx, trainer, calendar, room, series_ids, series_rows) -> list[_SessionPlan]:
    rng = ctx.rng
    frequency = "weekly" if rng.random() < 0.75 else "fortnightly"
    interval = 7 if frequency == "weekly" else 14
    occurrences = min(room, rng.randint(4, 10))
    if occurrences < 2:
        return []
    first = calendar.today - timedelta(days=rng.randint(-UPCOMING_DAYS + 80, PAST_DAYS))
    first -= timedelta(days=first.weekday() - rng.randrange(5))
    half = rng.randrange(2)
    days = [first + timedelta(days=interval * n) for n in range(occurrences)]
    if not all(calendar.free(day, half) for day in days):
        return []
    if days[-1] > calendar.today + timedelta(days=UPCOMING_DAYS) or days[0] >= calendar.today:
        return []
    series_id = next(series_ids)
    start, minutes = _times(rng, "group", half)
    created = min(
        datetime.combine(days[0], time(11), tzinfo=PARIS) - timedelta(days=rng.randint(7, 30)),
        ctx.now - timedelta(days=1),
    )
    series_rows.append((series_id, trainer, frequency, occurrences, created))
    template = _session_fields(ctx, "group")
    template["title"] = f"Groupe de supervision du {_WEEKDAYS[days[0].weekday()]} " + (
        "matin" if half == 0 else "après-midi"
    )
    plans = []
    for day in days:
        calendar.take(day, half)
        plans.append(
            _SessionPlan(
                trainer,
                _slot(day, half, start, minutes),
                "group",
                series=series_id,
                created_at=created,
                template=template,
            )
        )
    return plans


_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]


def _session_fields(ctx: ScaleContext, kind: str) -> dict:
    rng = ctx.rng
    remote = rng.random() < 0.45
    group = kind == "group"
    capacity = rng.randint(3, 12) if group else 1
    if group:
        title = f"Supervision collective : {rng.choice(GROUP_TOPICS)}"
    else:
        title = "" if rng.random() < 0.5 else f"Supervision individuelle : {GROUP_TOPICS[-1]}"
    return {
        "title": title,
        "mode": "remote" if remote else "in_person",
        "address": "" if remote else rng.choice(ADDRESSES),
        "video_url": VIDEO.format(uuid.UUID(int=rng.getrandbits(128)).hex[:12]) if remote else "",
        "capacity": capacity,
        "minimum_participants": rng.choice((None, 2, 3)) if group else None,
        "description": rng.choice(SESSION_DESCRIPTIONS) if group else "",
        "audience": "assigned" if not group or rng.random() < 0.6 else "all",
    }


class _SessionWriter:
    """Turns planned sessions into rows: sessions, bookings, records and their audit rows."""

    def __init__(self, ctx: ScaleContext, cast: _Cast):
        self.ctx, self.cast, self.rng = ctx, cast, ctx.rng
        self.busy: dict[int, set[tuple[int, int]]] = defaultdict(set)  # trainee -> half-days
        self.sessions, self.bookings, self.records, self.events = [], [], [], []
        self.window = timedelta(hours=settings.SUPERVISION_CANCELLATION_WINDOW_HOURS)
        self.persona_forced = {"past": False, "upcoming": False, "waitlist": False}

    def write(self, plans: list[_SessionPlan]) -> None:
        plans.sort(key=lambda p: p.slot.starts_at)
        session_ids = reserve_ids(SupervisionSession, len(plans))
        drafts = []
        for plan in plans:
            fields = dict(plan.template) if plan.template else _session_fields(self.ctx, plan.kind)
            past = plan.slot.starts_at <= self.ctx.now
            cancelled = self.rng.random() < 0.03
            takers = self._takers(plan, fields["capacity"], past, cancelled)
            drafts.append((plan, fields, cancelled, takers))
        self.booking_ids = iter(reserve_ids(Booking, sum(len(d[3]) for d in drafts)))
        for session_id, draft in zip(session_ids, drafts, strict=True):
            self._session(session_id, *draft)

    def _session(self, session_id, plan: _SessionPlan, fields, cancelled, takers) -> None:
        rng, now, slot = self.rng, self.ctx.now, plan.slot
        past = slot.starts_at <= now
        cancelled_at = None
        if cancelled:
            latest = min(slot.starts_at - timedelta(hours=2), now)
            cancelled_at = _between(rng, plan.created_at, latest)
        open_until = cancelled_at or min(slot.starts_at - timedelta(minutes=30), now)
        self.events.append(
            (
                session_id,
                None,
                plan.trainer,
                "session_created",
                "",
                "scheduled",
                "",
                plan.created_at,
            )
        )
        attendance_taken = None
        if past and not cancelled and takers:
            recent = now - slot.ends_at < timedelta(days=10)
            if not (recent and rng.random() < 0.4):
                attendance_taken = min(
                    slot.ends_at + timedelta(minutes=rng.randint(10, 60 * 48)), now
                )
        # Bookings in the order they were made: places first, then the waitlist.
        moments = sorted(_between(rng, plan.created_at, open_until) for _ in takers)
        updated, waiting = plan.created_at, 0
        for (trainee, status), created in zip(takers, moments, strict=True):
            waiting += status == "waitlisted"
            last = self._booking(
                session_id, plan, trainee, status, waiting, created, cancelled_at,
                attendance_taken,
            )  # fmt: skip
            updated = max(updated, last)
        reason = ""
        if cancelled:
            reason = rng.choice(CANCELLATION_REASONS)
            self.events.append(
                (session_id, None, plan.trainer, "session_cancelled", "scheduled", "cancelled",
                 reason, cancelled_at)
            )  # fmt: skip
            updated = max(updated, cancelled_at)
        self.sessions.append(
            (
                session_id, uuid.UUID(int=rng.getrandbits(128), version=4), plan.trainer,
                plan.series, fields["title"], plan.kind, slot.starts_at, slot.ends_at,
                fields["mode"], fields["address"], fields["video_url"], fields["capacity"],
                fields["minimum_participants"], fields["description"], fields["audience"],
                "cancelled" if cancelled else "scheduled", reason, cancelled_at,
                1 if cancelled else 0, attendance_taken, plan.created_at,
                max(updated, attendance_taken or updated),
            )
        )  # fmt: skip

    def _takers(self, plan, capacity, past, cancelled) -> list[tuple[int, str]]:
        """Who booked (status "booked", "waitlisted" or "cancelled"), in order of booking."""
        rng, cast = self.rng, self.cast
        if plan.kind == "individual":
            wanted = 1 if rng.random() < (0.92 if past else 0.7) else 0
        else:
            wanted = max(1, round(capacity * rng.uniform(0.4 if past else 0.2, 1.0)))
        # Some upcoming sessions are full with people waiting; the persona trainer has one at least.
        full = not past and not cancelled and rng.random() < (0.2 if wanted > 1 else 0.05)
        if not past and not cancelled and plan.trainer == cast.persona_trainer:
            full = full or not self.persona_forced["waitlist"]
            self.persona_forced["waitlist"] = True
        waiting = 0
        if full:
            wanted, waiting = capacity, rng.randint(1, 3)
        dropped = 1 if rng.random() < 0.15 else 0
        key = plan.slot.key
        chosen = []
        if plan.trainer == cast.persona_trainer:
            persona = cast.persona_trainee
            moment = "past" if past else "upcoming"
            forced = not cancelled and not self.persona_forced[moment]
            if key not in self.busy[persona] and (forced or rng.random() < 0.45):
                chosen.append(persona)
                wanted = max(wanted, 1)
                self.persona_forced[moment] |= forced
        candidates = [t for t in cast.supervisees[plan.trainer] if t != cast.persona_trainee]
        need = wanted + waiting + dropped - len(chosen)
        for trainee in rng.sample(candidates, min(len(candidates), need + 4)):
            if len(chosen) >= wanted + waiting + dropped:
                break
            if key not in self.busy[trainee]:
                chosen.append(trainee)
        for trainee in chosen:
            self.busy[trainee].add(key)
        held = min(wanted, len(chosen))
        statuses = ["booked"] * held + ["waitlisted"] * min(waiting, len(chosen) - held)
        # The one who gave up: left the waitlist of a full session, or cancelled a place.
        gave_up = "waitlist_left" if waiting else "cancelled"
        statuses += [gave_up] * (len(chosen) - len(statuses))
        return list(zip(chosen, statuses, strict=True))

    def _booking(
        self, session_id, plan, trainee, status, waiting, created, cancelled_at, attendance_taken
    ) -> datetime:
        """One booking with its history; returns the time of its last change."""
        rng, slot = self.rng, plan.slot
        booking_id = next(self.booking_ids)
        event = self.events.append
        waitlist_position = None
        late, sequence, booking_cancelled_at, reminder = False, 0, None, None
        first = "waitlisted" if status in ("waitlisted", "waitlist_left") else "booked"
        status = "cancelled" if status == "waitlist_left" else status
        event((session_id, booking_id, trainee, first, "", first, "", created))
        last = created
        if status == "waitlisted":
            waitlist_position = waiting
        final = status
        if status == "cancelled" and cancelled_at is None:
            latest = min(slot.starts_at - timedelta(minutes=30), self.ctx.now)
            if first == "booked" and rng.random() < 0.3:
                when = _between(rng, max(created, slot.starts_at - self.window), latest)
            else:
                when = _between(rng, created, latest)
            late = first == "booked" and when > slot.starts_at - self.window
            sequence = 1 if first == "booked" else 0
            reason = "annulation tardive" if late else ""
            event((session_id, booking_id, trainee, "booking_cancelled", first, "cancelled",
                   reason, when))  # fmt: skip
            booking_cancelled_at = last = when
        elif cancelled_at is not None:
            # The trainer cancelled the session: every booking or waitlist place goes with it.
            final = "cancelled"
            waitlist_position = None
            reason = "séance annulée"
            event((session_id, booking_id, plan.trainer, "session_cancelled", first,
                   "cancelled", reason, cancelled_at))  # fmt: skip
            booking_cancelled_at = last = cancelled_at
        elif status == "booked" and attendance_taken is not None:
            attended = trainee == self.cast.persona_trainee and rng.random() < 0.95
            attended = attended or rng.random() < 0.88
            final = "attended" if attended else "absent"
            event((session_id, booking_id, plan.trainer, "attendance_taken", "booked", final,
                   "", attendance_taken))  # fmt: skip
            minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
            self.records.append(
                (booking_id, session_id, trainee, plan.kind, final,
                 minutes if attended else 0, plan.trainer, attendance_taken, "")
            )  # fmt: skip
            last = attendance_taken
        day_before = slot.starts_at - timedelta(hours=24)
        if final in Booking.HOLDING_PLACE and created < day_before <= self.ctx.now:
            reminder = day_before
        self.bookings.append(
            (booking_id, session_id, trainee, final, waitlist_position, late, sequence, reminder,
             created, last, booking_cancelled_at)
        )  # fmt: skip
        return last

    def copy(self) -> None:
        copy_rows(
            SupervisionSession,
            ["id", "uid", "trainer_id", "series_id", "title", "kind", "starts_at", "ends_at",
             "mode", "address", "video_url", "capacity", "minimum_participants", "description",
             "audience", "status", "cancellation_reason", "cancelled_at", "sequence",
             "attendance_taken_at", "created_at", "updated_at", "steps"],
            ((*row, "[]") for row in self.sessions),
        )  # fmt: skip
        copy_rows(
            Booking,
            ["id", "session_id", "trainee_id", "status", "waitlist_position", "cancelled_late",
             "sequence", "reminder_sent_at", "created_at", "updated_at", "cancelled_at"],
            self.bookings,
        )  # fmt: skip
        copy_rows(
            SupervisionRecord,
            ["booking_id", "session_id", "trainee_id", "kind", "status", "minutes",
             "recorded_by_id", "recorded_at", "reason"],
            self.records,
        )  # fmt: skip
        self.events.sort(key=lambda row: row[-1])
        copy_rows(
            SupervisionEvent,
            ["session_id", "booking_id", "actor_id", "action", "from_status", "to_status",
             "reason", "created_at"],
            self.events,
        )  # fmt: skip


def _between(rng, start: datetime, end: datetime) -> datetime:
    """A moment between start and end (start itself when the range is empty)."""
    span = (end - start).total_seconds()
    return start + timedelta(seconds=rng.random() * span) if span > 0 else start


def _seed_sessions(ctx: ScaleContext, cast: _Cast) -> None:
    plans, series_rows = _plan_sessions(ctx, cast)
    copy_rows(
        SessionSeries, ["id", "trainer_id", "frequency", "occurrences", "created_at"], series_rows
    )
    writer = _SessionWriter(ctx, cast)
    writer.write(plans)
    writer.copy()
    ctx.log(
        f"    {len(writer.sessions):,} sessions, {len(writer.bookings):,} bookings, "
        f"{len(writer.records):,} records, {len(writer.events):,} events"
    )


# --- Practice logbook ---------------------------------------------------------------------------

DURATIONS = (45, 60, 60, 90, 90, 120, 120, 120, 150, 180, 180, 240, 300, 360, 420)
SETTINGS = list(CONTEXTS)
SETTING_WEIGHTS = (24, 22, 20, 14, 16, 4)
ROLE_CODES = list(ROLES)
ROLE_WEIGHTS = (30, 45, 25)
STEP_CODES = list(Step.values)


@dataclass
class _Entry:
    """A practice entry to write, with the story of its review."""

    id: int
    trainee: int
    day: date
    status: str
    duration: int
    setting: str
    role: str
    group_size: int
    steps: list[str]
    description: str
    reflection: str
    corrects: int | None = None
    not_before: datetime | None = None  # a correction starts after its original's approval


def _status_by_age(rng, age_days: int) -> str:
    roll = rng.random()
    if age_days <= 45:
        for status, share in (("submitted", 0.45), ("draft", 0.6), ("returned", 0.7)):
            if roll < share:
                return status
        return "approved"
    return "returned" if roll < 0.015 else "draft" if roll < 0.03 else "approved"


def _describe(rng, setting: str, role: str, size: int, steps: list[str]) -> str:
    context = rng.choice(CONTEXTS[setting])
    actions = "; ".join(rng.choice(ACTIONS[step]) for step in steps[:2])
    return f"{context} ({size} participant·es). {ROLES[role]} : {actions}."


def _new_entry(rng, entry_id: int, trainee: int, day: date, status: str) -> _Entry:
    setting = rng.choices(SETTINGS, SETTING_WEIGHTS)[0]
    role = rng.choices(ROLE_CODES, ROLE_WEIGHTS)[0]
    size = rng.randint(4, 30)
    steps = sorted(rng.sample(STEP_CODES, rng.choice((1, 1, 2, 2, 3))), key=STEP_CODES.index)
    reflection = ""
    if rng.random() < 0.6:
        reflection = " ".join(rng.sample(REFLECTIONS, rng.randint(1, 3)))
    return _Entry(
        entry_id, trainee, day, status, rng.choice(DURATIONS), setting, role, size, steps,
        _describe(rng, setting, role, size, steps), reflection,
    )  # fmt: skip


def _entry_counts(ctx: ScaleContext, cast: _Cast) -> dict[int, int]:
    """How many base entries (before corrections) each trainee writes; uneven, like people."""
    rng, total = ctx.rng, ctx.sizes.practice_entries
    corrections = round(total * CORRECTION_SHARE)
    base = total - corrections
    persona = min(PERSONA_ENTRIES, base // 10) if ctx.trainee_ids else base
    others = cast.trainees[1:]
    weights = [rng.expovariate(1.0) + 0.2 for _ in others]
    counts = Counter(rng.choices(others, weights, k=base - persona)) if others else Counter()
    counts[cast.persona_trainee] = persona
    return counts


def _plan_entries(ctx: ScaleContext, cast: _Cast) -> list[_Entry]:
    rng, today = ctx.rng, ctx.now.astimezone(PARIS).date()
    counts = _entry_counts(ctx, cast)
    total = ctx.sizes.practice_entries
    ids = iter(reserve_ids(PracticeEntry, total))
    entries = []
    for trainee, count in counts.items():
        ages = sorted((rng.randint(1, LOGBOOK_DAYS) for _ in range(count)), reverse=True)
        mine = [
            _new_entry(rng, next(ids), trainee, today - timedelta(days=age), "") for age in ages
        ]
        for entry, age in zip(mine, ages, strict=True):
            entry.status = _status_by_age(rng, age)
        if trainee == cast.persona_trainee:
            _persona_statuses(mine)
        entries += mine
    entries += _corrections(rng, entries, cast, total - len(entries), ids)
    _fill_persona_queue(ctx, cast, entries)
    return entries


def _persona_statuses(mine: list[_Entry]) -> None:
    """The persona trainee has entries in every state: the latest ones are still moving."""
    recent = ["submitted", "draft", "returned", "submitted", "approved"]
    for index, entry in enumerate(reversed(mine)):
        entry.status = recent[index % len(recent)] if index < 25 else "approved"


def _corrections(rng, entries, cast, count, ids) -> list[_Entry]:
    """`count` corrections of approved entries (the persona trainee's included), one each."""
    approved = [e for e in entries if e.status == "approved"]
    persona = [e for e in approved if e.trainee == cast.persona_trainee][:3]
    others = [e for e in approved if e.trainee != cast.persona_trainee]
    chosen = persona[: min(3, count)]
    chosen += rng.sample(others, min(len(others), count - len(chosen)))
    corrections = []
    for index, original in enumerate(chosen):
        status = rng.choices(("approved", "submitted", "draft"), (75, 18, 7))[0]
        if original.trainee == cast.persona_trainee:
            status = ("approved", "submitted", "approved")[index]
        note = rng.choice(CORRECTION_NOTES)
        corrections.append(
            _Entry(
                next(ids), original.trainee, original.day, status,
                max(15, original.duration + rng.choice((-30, -15, 15, 30, 60))), original.setting,
                original.role, original.group_size, list(original.steps),
                original.description[: 1000 - len(note)] + note, original.reflection,
                corrects=original.id,
            )
        )  # fmt: skip
    return corrections


def _fill_persona_queue(ctx: ScaleContext, cast: _Cast, entries: list[_Entry]) -> None:
    """~300 entries awaiting the persona trainer's review: the most recent of their trainees."""
    supervised = set(cast.supervisees[cast.persona_trainer]) - {cast.persona_trainee}
    group = [e for e in entries if e.trainee in supervised]
    persona_waiting = sum(
        e.status == "submitted" for e in entries if e.trainee == cast.persona_trainee
    )
    target = max(0, min(PERSONA_QUEUE, len(group) // 5) - persona_waiting)
    corrected = {e.corrects for e in entries if e.corrects}
    waiting = sorted((e for e in group if e.status == "submitted"), key=lambda e: e.day)
    for entry in waiting[: max(0, len(waiting) - target)]:
        entry.status = "approved"
    missing = target - len(waiting)
    if missing > 0:
        candidates = [e for e in group if e.status == "approved" and e.id not in corrected]
        candidates.sort(key=lambda e: e.day, reverse=True)
        for entry in candidates[:missing]:
            entry.status = "submitted"


# Histories by final state: the transitions of supervision.logbook.services, in order.
HISTORIES = {
    "draft": [["create"]],
    "submitted": [["create", "submit"]] * 7 + [["create", "submit", "return", "submit"]],
    "returned": [["create", "submit", "return"]],
    "approved": [["create", "submit", "approve"]] * 12
    + [["create", "submit", "return", "submit", "approve"]],
}
MOVES = {
    "create": ("", "draft"),
    "submit": (None, "submitted"),  # from draft or returned
    "return": ("submitted", "returned"),
    "approve": ("submitted", "approved"),
}
# Hours before each action, after the previous one.
DELAYS = {"submit": (1, 72), "return": (4, 240), "approve": (4, 240)}


class _LogbookWriter:
    """Turns planned entries into rows: entries, steps and audit rows, times in order."""

    def __init__(self, ctx: ScaleContext, cast: _Cast):
        self.ctx, self.cast, self.rng = ctx, cast, ctx.rng
        self.entries, self.steps, self.events = [], [], []
        self.approved_at: dict[int, datetime] = {}

    def write(self, plans: list[_Entry]) -> None:
        for entry in plans:  # corrections come after their originals
            self._entry(entry)

    def _reviewer(self, trainee: int) -> int:
        supervisors = self.cast.supervisors[trainee]
        if self.cast.persona_trainer in supervisors and self.rng.random() < 0.85:
            return self.cast.persona_trainer
        return self.rng.choice(supervisors)

    def _moments(self, entry: _Entry, actions: list[str]) -> list[datetime]:
        """When each action happened: after the practice, in order, and before now."""
        rng, now = self.rng, self.ctx.now
        start = datetime.combine(entry.day, time(rng.randint(17, 21), rng.randrange(60)), PARIS)
        start += timedelta(hours=rng.choice((0, 0, 24, 48)))
        if entry.corrects:
            start = self.approved_at[entry.corrects] + timedelta(hours=rng.randint(2, 24 * 30))
        limit = now - timedelta(minutes=5)
        start = min(start, limit - timedelta(minutes=len(actions)))
        moments = [start]
        for action in actions[1:]:
            low, high = DELAYS[action]
            moments.append(moments[-1] + timedelta(minutes=rng.randint(low * 60, high * 60)))
        if moments[-1] > limit:  # squeeze a recent story so that it ends before now
            span = (moments[-1] - start).total_seconds()
            room = (limit - start).total_seconds()
            moments = [start + (m - start) * (room / span) for m in moments]
        return moments

    def _entry(self, entry: _Entry) -> None:
        rng = self.rng
        actions = rng.choice(HISTORIES[entry.status])
        moments = self._moments(entry, actions)
        status, submitted_at, reviewed_by, reviewed_at = "", None, None, None
        for action, moment in zip(actions, moments, strict=True):
            source, target = MOVES[action]
            source = status if source is None else source
            actor, comment = entry.trainee, ""
            if action == "submit":
                submitted_at = moment
            elif action in ("return", "approve"):
                actor = reviewed_by = self._reviewer(entry.trainee)
                reviewed_at = moment
                comment = (
                    rng.choice(RETURN_COMMENTS)
                    if action == "return"
                    else rng.choice(APPROVE_COMMENTS)
                )
            self.events.append((entry.id, actor, action, source, target, comment, moment))
            status = target
        if status == "approved":
            self.approved_at[entry.id] = reviewed_at
        self.entries.append(
            (entry.id, entry.trainee, entry.day, entry.duration, entry.setting, entry.role,
             entry.group_size, entry.description, entry.reflection, status, entry.corrects,
             moments[0], moments[-1], submitted_at, reviewed_by, reviewed_at, "")
        )  # fmt: skip
        self.steps += [(entry.id, step) for step in entry.steps]

    def copy(self) -> None:
        copy_rows(
            PracticeEntry,
            ["id", "trainee_id", "date", "duration_minutes", "setting", "role", "group_size",
             "description", "reflection", "status", "corrects_id", "created_at", "updated_at",
             "submitted_at", "reviewed_by_id", "reviewed_at", "practice_key"],
            self.entries,
        )  # fmt: skip
        copy_rows(PracticeEntryStep, ["entry_id", "step"], self.steps)
        self.events.sort(key=lambda row: row[-1])
        copy_rows(
            PracticeEntryEvent,
            ["entry_id", "actor_id", "action", "from_status", "to_status", "comment",
             "created_at"],
            self.events,
        )  # fmt: skip


def _seed_logbook(ctx: ScaleContext, cast: _Cast) -> None:
    writer = _LogbookWriter(ctx, cast)
    writer.write(_plan_entries(ctx, cast))
    writer.copy()
    ctx.log(
        f"    {len(writer.entries):,} practice entries, {len(writer.steps):,} steps, "
        f"{len(writer.events):,} events"
    )


# --- The step -------------------------------------------------------------------------------------


def seed(ctx: ScaleContext) -> None:
    """Assignments, sessions with bookings and attendance, practice entries with their reviews."""
    with Timer(ctx, "  supervisor assignments"):
        cast = _assign(ctx)
    with Timer(ctx, "  sessions, bookings, attendance"):
        _seed_sessions(ctx, cast)
    with Timer(ctx, "  practice entries"):
        _seed_logbook(ctx, cast)
