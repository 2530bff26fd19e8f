"""Benchmark volume for certification: loaded with COPY by `seed_scale` (see benchmarks/scale/).

One certificate per holder of `ctx.holder_ids`, first issued over the last ten years, with the
history the services would have written: the issue, each renewal (early, or after a lapse), and
every status change (suspension, reinstatement, voluntary withdrawal, revocation, expiry), each
with its actor, public reason, detailed reason and effective date. Then the registry profiles:
`ctx.sizes.listed` holders of an active certificate listed, with public fields and a French bio,
and unlisted profiles for others.

Certificates are issued without an application (`Certificate.application` is optional, as for the
demo's practitioners): applications belong to the committee's workflow, not to the registry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random

from django.db import connection
from django.utils import timezone

from benchmarks.scale.institut import ScaleContext, Timer, copy_rows, reserve_ids
from certification.links import new_certificate_number
from certification.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificationScheme,
    PublicReason,
)
from certification.registry import cache as registry_cache
from certification.registry.models import PracticeField, Region, RegistryProfile
from certification.registry.services import (
    new_profile_slug,
    practice_fields_value,
    proposed_family_name,
    set_name_keys,
)
from certification.services import add_years
from institut.models import User
from institut.roles import Role

S = CertificateStatus
R = PublicReason

# Final statuses and their shares: most certificates are active; the rest as a registry that has
# lived ten years would show them.
STATUS_SHARES = [
    (S.ACTIVE, 0.765),
    (S.EXPIRED, 0.13),
    (S.INACTIVE, 0.05),
    (S.SUSPENDED, 0.04),
    (S.REVOKED, 0.015),
]
HISTORY_YEARS = 10
EARLY_RENEWAL = 0.85  # the others lapse, expire, and are renewed some weeks later
LISTED_ONCE = 0.3  # of non-active holders: a profile kept (half of them still marked listed)
UNLISTED_PROFILE = 0.15  # of active holders not listed: a profile opened, left private

# The texts the services write (certification/services.py and the holder's status form).
ISSUED_REASON = "Certification accordée par la commission."
RENEWED_REASON = "Renouvellement accordé par la commission."
EXPIRED_REASON = "La période de validité s'est achevée le {date}."
SUSPENSION_REASONS = {
    R.SUPERVISION: [
        "Aucune séance de supervision depuis plus d'un an ; suspension jusqu'à la reprise "
        "d'une supervision régulière.",
        "Heures de supervision très en deçà du minimum sur la période ; suspension le temps de "
        "reprendre un rythme régulier.",
        "Supervision interrompue depuis quatorze mois malgré deux relances.",
    ],
    R.ETHICS: [
        "Signalement d'un manquement au cadre de confidentialité ; suspension conservatoire "
        "pendant l'instruction par la commission.",
        "Plainte d'un commanditaire sur la neutralité de l'intervention ; suspension pendant "
        "l'examen du dossier.",
    ],
    R.ADMINISTRATIVE: [
        "Usage de la marque TST® hors du champ certifié ; suspension jusqu'à régularisation.",
        "Pièces du dossier de renouvellement incohérentes ; suspension dans l'attente des "
        "justificatifs.",
    ],
}
REVOCATION_REASONS = {
    R.ETHICS: [
        "Manquement grave à la confidentialité établi après audition : des propos tenus en "
        "sous-groupe ont été rapportés nominativement au commanditaire.",
        "Prise de parti répétée pour une des parties, contraire à la charte, établie après "
        "audition.",
        "Violation de la charte éthique établie par la commission après examen contradictoire.",
    ],
    R.ADMINISTRATIVE: [
        "Usage persistant de la marque TST® pendant la suspension, malgré mise en demeure.",
        "Certificat obtenu sur la foi d'attestations de pratique inexactes.",
    ],
}
REINSTATED_REASONS = [
    "Supervision reprise et régulière depuis trois mois : la suspension est levée.",
    "Instruction close sans manquement établi : la suspension est levée.",
    "Justificatifs reçus et conformes : rétablissement du certificat.",
]
WITHDRAWAL_REASONS = [
    "Congé parental : je suspends mes interventions pour un an.",
    "Reprise d'études : je n'interviens plus pendant cette période.",
    "Changement de poste, je n'exerce plus comme intervenant·e pour le moment.",
    "Raisons de santé : retrait temporaire.",
    "Expatriation de quelques mois sans activité d'intervention.",
    "Année sabbatique.",
]
RETURN_REASONS = [
    "Reprise de mon activité d'intervention.",
    "Retour de congé : je reprends les interventions.",
    "Je reprends des missions d'intervention à la rentrée.",
]


@dataclass
class History:
    """One certificate as the services would have left it, and its events in order."""

    first_issued_on: date
    issued_on: date
    valid_until: date
    status: str = S.ACTIVE
    status_changed_on: date | None = None
    events: list[tuple] = field(default_factory=list)  # see _event

    def last_day(self) -> date:
        return self.events[-1][5] if self.events else self.first_issued_on


# --- Certificates and their events --------------------------------------------------------------


class _Writer:
    """Builds histories with the seeded generator, the scheme's validity and the committee."""

    def __init__(self, ctx: ScaleContext, validity_years: int, committee_ids: list[int]):
        self.rng: Random = ctx.rng
        self.today = timezone.localdate(ctx.now)
        self.tz = timezone.get_current_timezone()
        self.validity = validity_years
        self.committee_ids = committee_ids

    def _at(self, day: date, *, automatic: bool = False) -> datetime:
        if automatic:  # the daily renewal run, early in the morning
            return datetime.combine(day, time(3, self.rng.randrange(60)), tzinfo=self.tz)
        moment = time(self.rng.randint(8, 18), self.rng.randrange(60), self.rng.randrange(60))
        return datetime.combine(day, moment, tzinfo=self.tz)

    def _event(self, h: History, actor, from_status, to_status, public, reason, day) -> None:
        at = self._at(day, automatic=actor is None)
        if h.events and at <= h.events[-1][7]:  # two changes the same day: keep their order
            at = h.events[-1][7] + timedelta(minutes=self.rng.randint(5, 90))
        h.events.append((actor, from_status, to_status, public, reason, day, h.valid_until, at))
        h.status = to_status
        h.status_changed_on = day

    def _committee(self) -> int:
        return self.rng.choice(self.committee_ids)

    def _day_between(self, start: date, end: date) -> date:
        """A day in [start, end] (end when the span is empty)."""
        span = (end - start).days
        return end if span <= 0 else start + timedelta(days=self.rng.randint(0, span))

    def _first_issue(self, min_age_days: int) -> date:
        # More certificates in recent years: the density of the age falls linearly.
        oldest = HISTORY_YEARS * 365
        age = int(oldest * (1 - self.rng.random() ** 0.5))
        return self.today - timedelta(days=max(min_age_days, min(age, oldest)))

    def _issue(self, first: date) -> History:
        h = History(first, first, add_years(first, self.validity))
        self._event(h, self._committee(), "", S.ACTIVE, R.ISSUED, ISSUED_REASON, first)
        return h

    def _renew(self, h: History, *, until: date, allow_lapse: bool = True) -> None:
        """Renew at the end of the period, as `certificate_renew` does (early, or after expiry)."""
        end = h.valid_until
        late = end + timedelta(days=self.rng.randint(10, 150))
        if allow_lapse and self.rng.random() > EARLY_RENEWAL and late < until:
            self._expire(h)  # the daily run expired it; renewed from the day of the decision
            decided = start = late
        else:  # renewed before the end: the new period follows on
            early = end - timedelta(days=self.rng.randint(5, 90))
            decided, start = max(early, h.last_day() + timedelta(days=1)), end
        h.issued_on, h.valid_until = start, add_years(start, self.validity)
        self._event(h, self._committee(), h.status, S.ACTIVE, R.RENEWED, RENEWED_REASON, decided)

    def _expire(self, h: History) -> None:
        end = h.valid_until
        reason = EXPIRED_REASON.format(date=end.strftime("%d/%m/%Y"))
        self._event(h, None, h.status, S.EXPIRED, R.EXPIRED, reason, end)

    def _renew_until(self, h: History, day: date) -> None:
        """Renew period after period while the validity ends on or before `day`."""
        while h.valid_until <= day:
            self._renew(h, until=day)

    def _suspend(self, h: History, day: date) -> None:
        public = self.rng.choices([R.SUPERVISION, R.ETHICS, R.ADMINISTRATIVE], [7, 2, 1])[0]
        reason = self.rng.choice(SUSPENSION_REASONS[public])
        self._event(h, self._committee(), h.status, S.SUSPENDED, public, reason, day)

    def _withdraw(self, h: History, holder_id: int, day: date) -> None:
        reason = self.rng.choice(WITHDRAWAL_REASONS)
        self._event(h, holder_id, h.status, S.INACTIVE, R.HOLDER_REQUEST, reason, day)

    def _next_day(self, h: History, until: date) -> date:
        """A day after the last event and before `until` (the day after the last if none)."""
        return self._day_between(h.last_day() + timedelta(days=1), until)

    def build(self, holder_id: int, target: str) -> History:
        today, yesterday = self.today, self.today - timedelta(days=1)
        rng = self.rng
        if target == S.EXPIRED:
            return self._build_expired(holder_id)
        if target == S.REVOKED:
            h = self._issue(self._first_issue(60))
            revoked_on = self._day_between(h.first_issued_on + timedelta(days=30), yesterday)
            self._renew_until(h, revoked_on)
            if (revoked_on - h.last_day()).days >= 2 and rng.random() < 0.4:
                self._suspend(h, self._next_day(h, revoked_on - timedelta(days=1)))
            public = rng.choices([R.ETHICS, R.ADMINISTRATIVE], [4, 1])[0]
            reason = rng.choice(REVOCATION_REASONS[public])
            self._event(h, self._committee(), h.status, S.REVOKED, public, reason, revoked_on)
            return h
        # Active, suspended or inactive: the current period covers today.
        h = self._issue(self._first_issue(3))
        self._renew_until(h, today)
        if target == S.SUSPENDED:
            self._suspend(h, self._next_day(h, yesterday))
        elif target == S.INACTIVE:
            self._withdraw(h, holder_id, self._next_day(h, yesterday))
        elif (yesterday - h.last_day()).days > 60 and rng.random() < 0.08:
            # An active certificate with an episode behind it, closed within this period.
            if rng.random() < 0.5:
                self._suspend(h, self._next_day(h, yesterday - timedelta(days=30)))
                reason = rng.choice(REINSTATED_REASONS)
                day = self._next_day(h, yesterday)
                self._event(h, self._committee(), h.status, S.ACTIVE, R.REINSTATED, reason, day)
            else:
                self._withdraw(h, holder_id, self._next_day(h, yesterday - timedelta(days=30)))
                reason = rng.choice(RETURN_REASONS)
                day = self._next_day(h, yesterday)
                self._event(h, holder_id, h.status, S.ACTIVE, R.HOLDER_REQUEST, reason, day)
        return h

    def _build_expired(self, holder_id: int) -> History:
        """Not renewed at the end of a period that ended before today (some were inactive)."""
        today = self.today
        h = self._issue(self._first_issue(self.validity * 366 + 1))
        # Renew while a renewal would still leave a period ending before today, and the holder
        # chooses to; the daily run then expires the certificate on its last day.
        while add_years(h.valid_until, self.validity) < today and self.rng.random() < 0.5:
            self._renew(h, until=today, allow_lapse=False)
        if self.rng.random() < 0.2 and (h.valid_until - h.last_day()).days > 30:
            self._withdraw(h, holder_id, self._next_day(h, h.valid_until - timedelta(days=1)))
        self._expire(h)
        return h


def _targets(rng: Random, count: int) -> list[str]:
    """Final statuses in their shares; every status at least once when there is room for it."""
    statuses = [status for status, _share in STATUS_SHARES]
    weights = [share for _status, share in STATUS_SHARES]
    targets = rng.choices(statuses, weights, k=count)
    if count >= len(statuses) * 4:
        most_common = max(statuses, key=targets.count)
        for status in statuses:
            if status not in targets:
                targets[targets.index(most_common)] = status
    return targets


def _numbers(histories: list[History]) -> list[str]:
    """A new number per certificate, from the year of its first issue, none drawn twice."""
    taken = set(Certificate.objects.values_list("number", flat=True))
    numbers = []
    for h in histories:
        number = new_certificate_number(year=h.first_issued_on.year)
        while number in taken:
            number = new_certificate_number(year=h.first_issued_on.year)
        taken.add(number)
        numbers.append(number)
    return numbers


def seed_certificates(ctx: ScaleContext) -> dict[int, History]:
    """One certificate per holder, with its events; returns the histories by holder id."""
    scheme = CertificationScheme.objects.current()
    committee_ids = list(
        User.objects.filter(groups__name=Role.COMMITTEE, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if scheme is None or not committee_ids:
        raise RuntimeError("Certification scale data needs the demo's scheme and committee.")
    holder_ids = ctx.holder_ids[: ctx.sizes.certificates]
    writer = _Writer(ctx, scheme.validity_years, committee_ids)
    targets = _targets(ctx.rng, len(holder_ids))
    histories = [writer.build(hid, t) for hid, t in zip(holder_ids, targets, strict=True)]
    numbers = _numbers(histories)
    ids = reserve_ids(Certificate, len(histories))
    snapshot = json.dumps(scheme.snapshot())
    copy_rows(
        Certificate,
        [
            "id",
            "number",
            "holder_id",
            "holder_name",
            "scheme_id",
            "scheme_name",
            "scheme_version",
            "scheme_snapshot",
            "first_issued_on",
            "issued_on",
            "valid_until",
            "status",
            "status_changed_on",
            "pdf",
            "created_at",
        ],
        (
            (
                cid,
                number,
                hid,
                ctx.names[hid],
                scheme.pk,
                scheme.name,
                scheme.version,
                snapshot,
                h.first_issued_on,
                h.issued_on,
                h.valid_until,
                h.status,
                h.status_changed_on,
                "",
                h.events[0][7],
            )
            for cid, number, hid, h in zip(ids, numbers, holder_ids, histories, strict=True)
        ),
    )
    # The table's insert trigger (the transaction id, through pgtrigger's ignore check, whose
    # exception block is a subtransaction per row) made this load take hours: the rows carry the
    # transaction id the trigger would write, and the triggers are off for this COPY only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")
        transaction_id = cursor.fetchone()[0]
        cursor.execute("SET LOCAL session_replication_role = replica")
    events = copy_rows(
        CertificateEvent,
        [
            "certificate_id",
            "actor_id",
            "from_status",
            "to_status",
            "public_reason",
            "reason",
            "effective_on",
            "valid_until",
            "at",
            "transaction_id",
        ],
        (
            (cid, *event, transaction_id)
            for cid, h in zip(ids, histories, strict=True)
            for event in h.events
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    counts = {status: 0 for status, _share in STATUS_SHARES}
    for h in histories:
        counts[h.status] += 1
    ctx.log(
        f"  {len(histories):,} certificates ({', '.join(f'{s} {n:,}' for s, n in counts.items())}),"
        f" {events:,} events"
    )
    return dict(zip(holder_ids, histories, strict=True))


# --- Registry profiles ----------------------------------------------------------------------------

# Share of the population (INSEE, 2024, rounded) and the main cities of each region; abroad and
# the smaller overseas territories get a plausible small share of practitioners.
REGIONS: dict[str, tuple[float, list[str]]] = {
    Region.ILE_DE_FRANCE: (
        12.3,
        [
            "Paris",
            "Saint-Denis",
            "Montreuil",
            "Créteil",
            "Nanterre",
            "Argenteuil",
            "Évry-Courcouronnes",
            "Cergy",
            "Vitry-sur-Seine",
            "Aubervilliers",
            "Versailles",
            "Sarcelles",
        ],
    ),
    Region.AUVERGNE_RHONE_ALPES: (
        8.2,
        [
            "Lyon",
            "Grenoble",
            "Villeurbanne",
            "Saint-Étienne",
            "Clermont-Ferrand",
            "Vénissieux",
            "Annecy",
            "Valence",
            "Chambéry",
            "Vaulx-en-Velin",
        ],
    ),
    Region.HAUTS_DE_FRANCE: (
        6.0,
        [
            "Lille",
            "Roubaix",
            "Amiens",
            "Tourcoing",
            "Dunkerque",
            "Calais",
            "Beauvais",
            "Valenciennes",
        ],
    ),
    Region.NOUVELLE_AQUITAINE: (
        6.1,
        ["Bordeaux", "Limoges", "Poitiers", "Pau", "La Rochelle", "Mérignac", "Bayonne", "Niort"],
    ),
    Region.OCCITANIE: (
        6.1,
        ["Toulouse", "Montpellier", "Nîmes", "Perpignan", "Béziers", "Narbonne", "Albi", "Tarbes"],
    ),
    Region.GRAND_EST: (
        5.6,
        [
            "Strasbourg",
            "Reims",
            "Metz",
            "Mulhouse",
            "Nancy",
            "Colmar",
            "Troyes",
            "Charleville-Mézières",
        ],
    ),
    Region.PROVENCE_ALPES_COTE_D_AZUR: (
        5.1,
        ["Marseille", "Nice", "Toulon", "Aix-en-Provence", "Avignon", "Cannes", "Antibes", "Gap"],
    ),
    Region.PAYS_DE_LA_LOIRE: (
        3.9,
        ["Nantes", "Angers", "Le Mans", "Saint-Nazaire", "La Roche-sur-Yon", "Cholet", "Laval"],
    ),
    Region.BRETAGNE: (
        3.4,
        ["Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Brieuc", "Saint-Malo"],
    ),
    Region.NORMANDIE: (
        3.3,
        ["Rouen", "Le Havre", "Caen", "Cherbourg-en-Cotentin", "Évreux", "Dieppe", "Alençon"],
    ),
    Region.BOURGOGNE_FRANCHE_COMTE: (
        2.8,
        ["Dijon", "Besançon", "Belfort", "Chalon-sur-Saône", "Auxerre", "Nevers", "Mâcon"],
    ),
    Region.CENTRE_VAL_DE_LOIRE: (
        2.6,
        ["Tours", "Orléans", "Bourges", "Blois", "Chartres", "Châteauroux"],
    ),
    Region.CORSE: (0.35, ["Ajaccio", "Bastia", "Porto-Vecchio", "Corte"]),
    Region.LA_REUNION: (0.9, ["Saint-Denis", "Saint-Paul", "Saint-Pierre", "Le Tampon"]),
    Region.GUADELOUPE: (0.38, ["Pointe-à-Pitre", "Les Abymes", "Baie-Mahault", "Basse-Terre"]),
    Region.MARTINIQUE: (0.35, ["Fort-de-France", "Le Lamentin", "Le Robert", "Schœlcher"]),
    Region.GUYANE: (0.29, ["Cayenne", "Saint-Laurent-du-Maroni", "Kourou", "Matoury"]),
    Region.MAYOTTE: (0.32, ["Mamoudzou", "Koungou", "Dzaoudzi"]),
    Region.OTHER_OVERSEAS: (0.25, ["Papeete", "Nouméa", "Saint-Pierre", "Mata-Utu"]),
    Region.ABROAD: (
        0.9,
        [
            "Bruxelles",
            "Genève",
            "Lausanne",
            "Montréal",
            "Liège",
            "Luxembourg",
            "Dakar",
            "Québec",
            "Tunis",
            "Casablanca",
            "Barcelone",
            "Berlin",
        ],
    ),
}

# Extra languages: (language, probability), per region where it is spoken, then everywhere.
REGIONAL_LANGUAGES: dict[str, list[tuple[str, float]]] = {
    Region.BRETAGNE: [("breton", 0.08)],
    Region.NOUVELLE_AQUITAINE: [("basque", 0.04), ("occitan", 0.03)],
    Region.OCCITANIE: [("occitan", 0.05), ("catalan", 0.03)],
    Region.CORSE: [("corse", 0.4), ("italien", 0.15)],
    Region.GRAND_EST: [("allemand", 0.12), ("alsacien", 0.05)],
    Region.GUADELOUPE: [("créole", 0.6)],
    Region.MARTINIQUE: [("créole", 0.6)],
    Region.GUYANE: [("créole", 0.5), ("portugais", 0.1)],
    Region.LA_REUNION: [("créole", 0.6)],
    Region.MAYOTTE: [("shimaoré", 0.6), ("kibushi", 0.15)],
    Region.OTHER_OVERSEAS: [("tahitien", 0.3)],
    Region.ABROAD: [("anglais", 0.4), ("néerlandais", 0.1), ("allemand", 0.1)],
}
COMMON_LANGUAGES = [
    ("anglais", 0.22),
    ("espagnol", 0.08),
    ("arabe", 0.07),
    ("italien", 0.03),
    ("portugais", 0.03),
    ("allemand", 0.03),
    ("kabyle", 0.015),
    ("turc", 0.01),
    ("wolof", 0.01),
    ("langue des signes française", 0.01),
]

PRACTICE_WEIGHTS = {
    PracticeField.NEIGHBOURHOODS: 16,
    PracticeField.EDUCATION: 18,
    PracticeField.SOCIAL_WORK: 16,
    PracticeField.HEALTH: 12,
    PracticeField.LOCAL_AUTHORITIES: 10,
    PracticeField.WORKPLACE: 12,
    PracticeField.JUSTICE: 6,
    PracticeField.ASSOCIATIONS: 8,
    PracticeField.INTERNATIONAL: 2,
}

# Bios: one sentence of each part, drawn at random; inclusive forms since names do not say gender.
BIO_OPENINGS = [
    "Intervenant·e en Thérapie Sociale TST® depuis {year}, ",
    "Certifié·e TST® en {year} après plusieurs années de terrain, ",
    "Éducateur·rice spécialisé·e de formation, ",
    "Ancien·ne enseignant·e devenu·e intervenant·e TST®, ",
    "Issu·e du monde associatif, ",
    "Psychologue de formation, ",
    "Après quinze ans dans le travail social, ",
    "Consultant·e en organisation formé·e à l'Institut Charles Rojzman, ",
    "Médiateur·rice de formation, certifié·e TST® en {year}, ",
    "Cadre de santé formé·e à la Thérapie Sociale, ",
]
BIO_PRACTICES = [
    "j'accompagne les équipes et les collectifs dont la coopération est bloquée.",
    "j'interviens là où les tensions empêchent de vivre ou de travailler ensemble.",
    "j'aide les groupes à sortir de la violence en ouvrant des espaces où les désaccords peuvent "
    "se dire sans danger.",
    "je crée avec les groupes les conditions d'un conflit constructif, où chacun·e peut dire la "
    "réalité telle qu'il ou elle la vit.",
    "je réunis en petits groupes mêlés des personnes qui ne se rencontrent plus, pour apaiser les "
    "peurs et défaire les préjugés.",
    "je fais circuler entre toutes les parties d'une organisation les informations qui expliquent "
    "les blocages.",
    "je m'appuie sur l'intelligence collective pour construire avec le groupe des solutions "
    "réalistes à des problèmes complexes.",
    "j'aide les institutions à retrouver un projet commun quand la méfiance s'est installée.",
]
BIO_METHODS = [
    " Je commence toujours par un contrat clair avec toutes les parties : un objectif atteignable, "
    "un cadre sûr et confidentiel.",
    " Mon premier travail est de gagner la confiance de tous, sans prendre le parti des uns "
    "contre les autres.",
    " La violence, je la regarde comme un symptôme à comprendre, jamais comme une fatalité.",
    " Les conflits, bien tenus, sont pour moi une source d'information plutôt qu'une menace.",
    " Je travaille dans la durée, en sous-groupes puis en grand groupe, jusqu'au plan d'action "
    "partagé.",
    "",
]
BIO_CLOSINGS = [
    " Je travaille surtout dans ces champs : {fields}.",
    " Mes terrains d'intervention : {fields}.",
    " J'interviens principalement auprès de ces secteurs : {fields}.",
]
BIO_PLACES = [
    " Basé·e à {city}, je me déplace volontiers.",
    " J'interviens à {city} et alentour.",
    " Interventions à {city} et dans toute la région.",
    "",
]
BIO_SUPERVISION = " Je suis supervisé·e régulièrement et je respecte la charte éthique TST®."


def _languages(rng: Random, region: str) -> str:
    spoken = ["français"]
    for language, chance in REGIONAL_LANGUAGES.get(region, []) + COMMON_LANGUAGES:
        if language not in spoken and rng.random() < chance:
            spoken.append(language)
    return ", ".join(spoken)


def _practice_codes(rng: Random) -> list[str]:
    codes, weights = list(PRACTICE_WEIGHTS), list(PRACTICE_WEIGHTS.values())
    wanted = rng.choices([1, 2, 3], [4, 4, 2])[0]
    chosen: list[str] = []
    while len(chosen) < wanted:
        code = rng.choices(codes, weights)[0]
        if code not in chosen:
            chosen.append(code)
    return chosen


def _bio(rng: Random, year: int, city: str, codes: list[str]) -> str:
    labels = dict(PracticeField.choices)
    fields = ", ".join(str(labels[code]).lower() for code in codes)
    parts = [
        rng.choice(BIO_OPENINGS).format(year=year) + rng.choice(BIO_PRACTICES),
        rng.choice(BIO_METHODS),
        rng.choice(BIO_CLOSINGS).format(fields=fields),
        rng.choice(BIO_PLACES).format(city=city),
        BIO_SUPERVISION if rng.random() < 0.3 else "",
    ]
    return "".join(parts)


def _listed_row(rng: Random, history: History, when: datetime) -> dict:
    """The public fields a listed holder filled in, each shown or kept private by choice."""
    regions = list(REGIONS)
    region = rng.choices(regions, [REGIONS[r][0] for r in regions])[0]
    cities = REGIONS[region][1]
    city = rng.choices(cities, [1 / (rank + 1) for rank in range(len(cities))])[0]
    codes = _practice_codes(rng)
    return {
        "city": city,
        "region": region,
        "languages": _languages(rng, region),
        "practice_fields": practice_fields_value(codes),
        "bio": _bio(rng, history.first_issued_on.year, city, codes),
        "show_city": rng.random() < 0.85,
        "show_region": rng.random() < 0.92,
        "show_languages": rng.random() < 0.7,
        "show_practice_fields": rng.random() < 0.85,
        "show_bio": rng.random() < 0.8,
        "contact_enabled": rng.random() < 0.35,
        "updated_at": when,
    }


PROFILE_FIELDS = [
    "holder_id",
    "slug",
    "listed",
    "family_name",
    "search_key",
    "search_words",
    "sort_key",
    "city",
    "region",
    "languages",
    "practice_fields",
    "bio",
    "photo",
    "show_city",
    "show_region",
    "show_languages",
    "show_practice_fields",
    "show_bio",
    "show_photo",
    "contact_enabled",
    "updated_at",
]
PRIVATE = {
    "city": "",
    "region": "",
    "languages": "",
    "practice_fields": "",
    "bio": "",
    "show_city": False,
    "show_region": False,
    "show_languages": False,
    "show_practice_fields": False,
    "show_bio": False,
    "contact_enabled": False,
}


def _profile_date(rng: Random, history: History, today: date, tz) -> datetime:
    """When the holder last saved the profile: after the first issue, before today."""
    span = max(0, (today - history.first_issued_on).days - 1)
    day = history.first_issued_on + timedelta(days=rng.randint(0, span))
    return datetime.combine(day, time(rng.randint(7, 22), rng.randrange(60)), tzinfo=tz)


def seed_registry(ctx: ScaleContext, histories: dict[int, History]) -> None:
    """Listed profiles for active holders, unlisted ones for some others; search keys as the
    registry's services write them."""
    rng = ctx.rng
    today = timezone.localdate(ctx.now)
    tz = timezone.get_current_timezone()
    active = [
        hid for hid, h in histories.items() if h.status == S.ACTIVE and h.valid_until >= today
    ]
    listed_count = ctx.sizes.listed
    if listed_count > len(active):
        ctx.log(f"  --listed {listed_count:,} capped to the {len(active):,} active certificates")
        listed_count = len(active)
    listed = set(rng.sample(active, listed_count))
    rows = {}  # holder id -> (listed, fields)
    for hid, h in histories.items():
        when = _profile_date(rng, h, today, tz)
        if hid in listed:
            rows[hid] = (True, _listed_row(rng, h, when))
        elif h.status != S.ACTIVE and rng.random() < LISTED_ONCE:
            # Listed before the certificate stopped being active: the registry must hide them.
            rows[hid] = (rng.random() < 0.5, _listed_row(rng, h, when))
        elif h.status == S.ACTIVE and rng.random() < UNLISTED_PROFILE:
            filled = rng.random() < 0.4  # some filled their profile but did not opt in
            rows[hid] = (
                False,
                _listed_row(rng, h, when) if filled else {**PRIVATE, "updated_at": when},
            )
    slugs = set(RegistryProfile.objects.values_list("slug", flat=True))

    def slug_of(name: str) -> str:
        slug = new_profile_slug(User(full_name=name))
        while slug in slugs:
            slug = new_profile_slug(User(full_name=name))
        slugs.add(slug)
        return slug

    def profile_rows():
        for hid, (is_listed, values) in rows.items():
            name = ctx.names[hid]
            keys = RegistryProfile(family_name=proposed_family_name(name))  # as for a new one
            set_name_keys(keys, name)
            values = {
                **values,
                "holder_id": hid,
                "slug": slug_of(name),
                "listed": is_listed,
                "family_name": keys.family_name,
                "search_key": keys.search_key,
                "search_words": keys.search_words,
                "sort_key": keys.sort_key,
                "photo": "",
                "show_photo": False,
            }
            yield [values[column] for column in PROFILE_FIELDS]

    written = copy_rows(RegistryProfile, PROFILE_FIELDS, profile_rows())
    ctx.log(f"  {written:,} registry profiles, {listed_count:,} listed and shown")


def seed(ctx: ScaleContext) -> None:
    """Certificates with their histories, then the registry; the registry's cache is cleared."""
    with Timer(ctx, "certificates and events"):
        histories = seed_certificates(ctx)
    with Timer(ctx, "registry profiles"):
        seed_registry(ctx, histories)
    registry_cache.invalidate()
