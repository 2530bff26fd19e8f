"""Demo practice logbook: entries in every state over several months, covering the seven steps.

Idempotent: an entry is found again by its trainee and description, a period by its trainee,
so running the demo twice (even on another day) adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from institut.demo import ensure_user
from institut.roles import Role
from supervision.logbook import services
from supervision.logbook.models import PeriodSummary, PracticeEntry
from supervision.models import SupervisorAssignment

SECOND_TRAINEE = ("stagiaire3@demo.institut.test", "Léa Nguyen")

# (months ago, day, minutes, setting, role, group size, steps, final state, description)
# A final state "returned" carries the supervisor's comment in RETURN_COMMENTS.
CAMILLE = [
    (
        5,
        4,
        120,
        "neighbourhood",
        "observation",
        14,
        ["confiance"],
        "approved",
        "Première réunion publique dans une cité en tension après des dégradations : j'ai "
        "observé comment l'intervenante a posé le cadre et garanti la parole de chacun.",
    ),
    (
        5,
        18,
        180,
        "school",
        "co_intervention",
        22,
        ["confiance", "contrat"],
        "approved",
        "Collège : rencontre avec l'équipe éducative, qui doute de l'utilité de la démarche. "
        "Nous avons écouté les réticences avant de formuler un objectif commun modeste.",
    ),
    (
        4,
        9,
        150,
        "institution",
        "co_intervention",
        10,
        ["sous_groupes"],
        "approved",
        "Foyer d'hébergement : petits groupes mêlant résidents, veilleurs de nuit et cadres, "
        "pour parler des peurs de chacun autour des nuits agitées.",
    ),
    (
        4,
        23,
        240,
        "organisation",
        "lead",
        12,
        ["conflits", "informations"],
        "approved",
        "Service d'une collectivité : j'ai animé un temps où les désaccords entre deux équipes "
        "ont pu s'exprimer, puis chacune a expliqué les contraintes qu'ignorait l'autre.",
    ),
    (
        3,
        7,
        90,
        "association",
        "lead",
        8,
        ["intelligence"],
        "approved",
        "Association de quartier : jeux de rôle sur une altercation à la sortie de l'école, "
        "pour que chacun raconte la scène de sa place.",
    ),
    (
        3,
        21,
        180,
        "neighbourhood",
        "co_intervention",
        25,
        ["informations", "solutions"],
        "approved",
        "Habitants et bailleur : mise en commun des informations sur les pannes d'ascenseur, "
        "puis recherche de solutions réalistes que chacun peut porter.",
    ),
    (
        2,
        12,
        120,
        "school",
        "lead",
        18,
        ["confiance", "sous_groupes", "conflits"],
        "approved",
        "Lycée professionnel : groupes mêlés d'élèves et d'enseignants après une série "
        "d'incidents ; la colère a pu se dire sans que personne ne soit mis en accusation.",
    ),
    (
        1,
        6,
        210,
        "institution",
        "lead",
        9,
        ["intelligence", "solutions"],
        "submitted",
        "Centre médico-social : analyse collective d'une situation où l'équipe se sent "
        "impuissante, puis pistes concrètes pour mieux se relayer.",
    ),
    (
        1,
        15,
        60,
        "other",
        "observation",
        6,
        ["contrat"],
        "returned",
        "Entretien préalable avec le commanditaire d'une intervention.",
    ),
    (
        0,
        1,
        120,
        "association",
        "co_intervention",
        11,
        ["conflits"],
        "submitted",
        "Club sportif : un conflit entre parents et entraîneurs a pu être mis sur la table ; "
        "chacun a entendu ce que l'autre vivait.",
    ),
    (
        0,
        2,
        90,
        "neighbourhood",
        "lead",
        15,
        ["informations"],
        "draft",
        "Préparation d'une réunion d'information avec les commerçants d'une place de marché.",
    ),
]

# The approved entry of 2 months ago is corrected: the duration was wrong.
CORRECTION = (
    "Lycée professionnel : groupes mêlés d'élèves et d'enseignants après une série "
    "d'incidents ; la colère a pu se dire sans que personne ne soit mis en accusation. "
    "(Durée corrigée : la séance a duré deux heures et demie.)",
    150,
)

RETURN_COMMENTS = {
    "returned": "Pouvez-vous préciser ce que vous avez fait pendant cet entretien, et quelle "
    "étape vous y avez travaillée ? Une heure d'observation seule est difficile à évaluer.",
}

LEA = [
    (
        1,
        10,
        120,
        "school",
        "co_intervention",
        20,
        ["confiance", "contrat"],
        "submitted",
        "École élémentaire : première rencontre avec des parents inquiets après une bagarre ; "
        "nous avons posé ensemble les règles de l'échange.",
    ),
    (
        0,
        1,
        90,
        "organisation",
        "observation",
        7,
        ["sous_groupes"],
        "submitted",
        "Entreprise de transport : observation d'un atelier en petits groupes mêlant "
        "conducteurs et encadrement.",
    ),
]


def _day(months_ago: int, day: int) -> date:
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(months_ago):
        first = (first - timedelta(days=1)).replace(day=1)
    return min(first.replace(day=min(day, 28)), today)


def _ensure_entries(trainee, trainer, rows) -> dict[str, PracticeEntry]:
    found = {}
    for months_ago, day, minutes, setting, role, size, steps, state, text in rows:
        entry = PracticeEntry.objects.filter(trainee=trainee, description=text).first()
        if entry is None:
            entry = services.practice_entry_create(
                trainee=trainee,
                date=_day(months_ago, day),
                duration_minutes=minutes,
                setting=setting,
                role=role,
                group_size=size,
                steps=steps,
                description=text,
            )
            if state != "draft":
                entry = services.practice_entry_submit(entry=entry, actor=trainee)
            if state == "approved":
                entry = services.practice_entry_approve(entry=entry, reviewer=trainer)
            elif state == "returned":
                entry = services.practice_entry_return(
                    entry=entry, reviewer=trainer, comment=RETURN_COMMENTS["returned"]
                )
        found[text] = entry
    return found


def _ensure_correction(trainee, trainer, entries: dict[str, PracticeEntry]) -> None:
    text, minutes = CORRECTION
    if PracticeEntry.objects.filter(trainee=trainee, description=text).exists():
        return
    original = entries[CAMILLE[6][-1]]
    correction = services.practice_entry_correct(
        entry=original,
        actor=trainee,
        date=original.date,
        duration_minutes=minutes,
        setting=original.setting,
        role=original.role,
        group_size=original.group_size,
        steps=original.step_codes,
        description=text,
    )
    services.practice_entry_submit(entry=correction, actor=trainee)
    services.practice_entry_approve(entry=correction, reviewer=trainer)


def _ensure_periods(trainee, trainer) -> None:
    """Month -5 confirmed by the supervisor, month -4 closed and awaiting confirmation."""
    if PeriodSummary.objects.filter(trainee=trainee).exists():
        return
    for months_ago, confirm in ((5, True), (4, False)):
        start = _day(months_ago, 1)
        end = _day(months_ago - 1, 1) - timedelta(days=1)
        period = services.period_summary_close(trainee=trainee, start=start, end=end)
        if confirm:
            services.period_summary_confirm(period=period, supervisor=trainer)


@transaction.atomic
def create_demo(cast: dict) -> None:
    """The seed_demo step of the practice logbook."""
    trainee, trainer = cast["trainee"], cast["trainer"]
    SupervisorAssignment.objects.get_or_create(
        trainee=trainee, supervisor=trainer, defaults={"assigned_by": cast.get("admin")}
    )
    lea = ensure_user(*SECOND_TRAINEE, [Role.TRAINEE])
    SupervisorAssignment.objects.get_or_create(
        trainee=lea, supervisor=trainer, defaults={"assigned_by": cast.get("admin")}
    )
    entries = _ensure_entries(trainee, trainer, CAMILLE)
    _ensure_correction(trainee, trainer, entries)
    _ensure_periods(trainee, trainer)
    _ensure_entries(lea, trainer, LEA)
