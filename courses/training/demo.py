"""Demo of in-person training: a three-day session held five weeks ago and closed (signatures, a
late arrival, an excused absence, satisfaction answers, certificats de réalisation), and two
upcoming sessions, for the demo trainee and trainer. A spring day of the workshop on conflict,
held ten weeks ago with six other trainees whom an employer, a fund or a public body paid for,
gives that course enough à chaud answers to publish its results (Qualiopi indicator 2); the
autumn session's three answers are too few for its course.

Idempotent: sessions are found by their course and title. The past session is replayed through
the real services at the moments it happened (``_at``), so that its sheets, hashes and audit
rows are those a real session leaves.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, time, timedelta
from unittest import mock

from django.utils import timezone

from courses.models import CoursePage, Enrolment
from courses.training import ics, services
from courses.training.models import (
    SatisfactionKind,
    SatisfactionQuestion,
    SessionPlacement,
    TrainingSession,
)
from courses.training.services import HalfDay, SessionData
from institut.demo import ensure_user
from institut.roles import Role

PAST_TITLE = "Session d'automne — Paris 11e"
NEXT_TITLE = "Session d'hiver — Paris 11e"
REMOTE_TITLE = "Classe virtuelle — trois jours à distance"
ADDRESS = "Maison des associations, 8 rue du Général Renault, 75011 Paris"

PROGRAMME = (
    "Jour 1 — Inspirer confiance et faire un contrat commun : cadre, sécurité, confidentialité ; "
    "exercices en sous-groupes.\n"
    "Jour 2 — Calmer les peurs et créer des espaces de conflits constructifs : mises en "
    "situation à partir des terrains des participant·es.\n"
    "Jour 3 — Faire circuler les informations, construire l'intelligence collective et "
    "résoudre des problèmes complexes : étude de cas, plan d'action personnel."
)

# The workshop on conflict is a day of six hours (its catalogue's duration), free online and paid
# for in person: the price of its sessions, which employers, funds and public bodies pay.
WORKSHOP_PROGRAMME = (
    "Matin — Préparer le cadre : ce qui est en jeu, qui doit être présent, les règles écrites "
    "avec le groupe.\n"
    "Après-midi — Pendant et après la séance : jeux de rôle en petits groupes mélangés, "
    "accueillir une montée de tension, transformer ce qui a été dit en pistes communes."
)
WORKSHOP_PRICE_CENTS = 28000

# e-mail, name, funding source, payer, employer
CLASSMATES = [
    (
        "yanis.benali@demo.institut.test",
        "Yanis Benali",
        "training_fund",
        "OPCO Cohésion sociale",
        "Association Quartiers Solidaires",
    ),
    (
        "ines.lambert@demo.institut.test",
        "Inès Lambert",
        "employer",
        "Ville de Montreuil",
        "Ville de Montreuil",
    ),
    ("sophie.garnier@demo.institut.test", "Sophie Garnier", "public_body", "France Travail", ""),
]

SPRING_TITLE = "Session de printemps — Paris 11e"

# e-mail, name, funding source, payer, employer: the spring session's trainees.
SPRING_COHORT = [
    ("nadia.haddad@demo.institut.test", "Nadia Haddad", "employer", "Ville de Saint-Denis", ""),
    ("paul.lemoine@demo.institut.test", "Paul Lemoine", "training_fund", "OPCO Santé", ""),
    ("awa.diallo@demo.institut.test", "Awa Diallo", "public_body", "France Travail", ""),
    ("marc.olivier@demo.institut.test", "Marc Olivier", "employer", "Collège Jean Jaurès", ""),
    ("lucie.perrin@demo.institut.test", "Lucie Perrin", "training_fund", "OPCO Santé", ""),
    ("karim.mansouri@demo.institut.test", "Karim Mansouri", "public_body", "Région IDF", ""),
]

# Their à chaud scores (one per scale question) and comment: five of six satisfied on average,
# all six would recommend the course.
SPRING_ANSWERS = [
    ([5, 5, 4, 5, 5], "Enfin des outils pour les réunions où tout le monde se tait."),
    ([4, 4, 5, 4, 4], ""),
    ([5, 4, 4, 4, 5], "Les jeux de rôle étaient exigeants et justes."),
    ([3, 4, 3, 3, 4], "J'aurais aimé plus de temps sur les situations de crise."),
    ([5, 5, 5, 4, 5], ""),
    ([4, 5, 4, 4, 4], ""),
]

# The à chaud question of overall satisfaction (from migration 0005): the published rate's.
HEADLINE_QUESTION = "Recommanderiez-vous cette formation ?"

HOT_ANSWERS = {
    "stagiaire@demo.institut.test": (
        [5, 4, 5, 4, 5],
        "Les mises en situation du deuxième jour m'ont permis de comprendre ce qui se joue "
        "quand une réunion d'équipe dérape.",
    ),
    "yanis.benali@demo.institut.test": (
        [4, 4, 5, 3, 4],
        "Très riche. La salle était un peu petite pour les exercices en sous-groupes.",
    ),
    "ines.lambert@demo.institut.test": ([5, 5, 4, 5, 5], ""),
}


def create_demo(cast: dict) -> None:
    """Create the three demo sessions (once)."""
    trainer, trainee, admin = cast["trainer"], cast["trainee"], cast["admin"]
    _mark_headline()
    process = _course("processus-d-intervention-en-sept-etapes")
    conflict = _course("animer-des-espaces-de-conflits-constructifs")
    if process is None or conflict is None:
        return
    classmates = [_classmate(admin, process, *row) for row in CLASSMATES]
    if not _exists(process, PAST_TITLE):
        _past_session(process, trainer, trainee, classmates)
    if not _exists(conflict, SPRING_TITLE):
        cohort = [
            _classmate(admin, conflict, *row, amount_cents=WORKSHOP_PRICE_CENTS)
            for row in SPRING_COHORT
        ]
        _spring_session(conflict, trainer, cohort)
    if not _exists(conflict, NEXT_TITLE):
        session = _workshop(conflict, trainer, NEXT_TITLE, monday=_monday(21))
        services.placement_create(actor=trainee, session=session, trainee=trainee)
        services.session_confirm(actor=trainer, session=session)
    if not _exists(process, REMOTE_TITLE):
        session = _session(
            process, trainer, REMOTE_TITLE, monday=_monday(42), mode="remote", capacity=8
        )
        for classmate in classmates[:2]:
            services.placement_create(actor=admin, session=session, trainee=classmate)


def _mark_headline() -> None:
    """Make « would you recommend it » the à chaud headline question, unless staff chose one."""
    questions = SatisfactionQuestion.objects.filter(kind=SatisfactionKind.HOT)
    if not questions.filter(is_headline=True).exists():
        questions.filter(text=HEADLINE_QUESTION, answer_type="scale", is_active=True).update(
            is_headline=True
        )


def _course(slug: str) -> CoursePage | None:
    return CoursePage.objects.filter(slug=slug, locale__language_code="fr").first()


def _exists(course: CoursePage, title: str) -> bool:
    return TrainingSession.objects.filter(course_key=course.translation_key, title=title).exists()


def _classmate(admin, course, email, name, source, payer, employer, *, amount_cents=None):
    """Another trainee of the demo, enrolled in the course through a funding (of the course's
    price, unless `amount_cents` says the session's)."""
    from courses.payments.services.fundings import funded_enrolment_create

    user = ensure_user(email, name, [Role.TRAINEE])
    if not Enrolment.objects.filter(user=user, course_key=course.translation_key).exists():
        funded_enrolment_create(
            actor=admin,
            user=user,
            course=course,
            source=source,
            payer_name=payer,
            payer_email=f"contact@{payer.split()[0].lower()}.example.org",
            reference=f"DEMO-{name.split()[0].upper()}",
            amount_cents=amount_cents,
            # Professionals sent by their employer for the in-person days only.
            prerequisites_waived_reason="Stage en présentiel financé par l'employeur : les "
            "modules en ligne se suivent après les journées.",
        )
    user.demo_employer = employer
    return user


def _half_days(first_day) -> list[HalfDay]:
    """Three days of seven hours: the process course's 21 hours."""
    halves = []
    for offset in range(3):
        day = first_day + timedelta(days=offset)
        halves.append(HalfDay(day, "morning", time(9), time(12, 30)))
        halves.append(HalfDay(day, "afternoon", time(13, 30), time(17)))
    return halves


def _workshop_half_days(day) -> list[HalfDay]:
    """One day of six hours: the workshop on conflict."""
    return [
        HalfDay(day, "morning", time(9), time(12)),
        HalfDay(day, "afternoon", time(13, 30), time(16, 30)),
    ]


def _monday(days_ahead: int):
    day = timezone.localdate() + timedelta(days=days_ahead)
    return day - timedelta(days=day.weekday())


def _workshop(course, trainer, title, *, monday):
    """An in-person day of the workshop on conflict, at its price, on the Tuesday."""
    return _session(
        course,
        trainer,
        title,
        monday=monday,
        mode="in_person",
        capacity=12,
        half_days=_workshop_half_days(monday + timedelta(days=1)),
        programme=WORKSHOP_PROGRAMME,
        price_cents=WORKSHOP_PRICE_CENTS,
    )


def _session(
    course,
    trainer,
    title,
    *,
    monday,
    mode: str,
    capacity: int,
    half_days=None,
    programme=PROGRAMME,
    price_cents=None,
):
    return services.session_create(
        actor=trainer,
        data=SessionData(
            course=course,
            mode=mode,
            capacity=capacity,
            half_days=half_days or _half_days(monday),
            trainers=[trainer],
            title=title,
            address=ADDRESS if mode == "in_person" else "",
            room="Salle 2 (rez-de-chaussée, accessible)" if mode == "in_person" else "",
            video_url="https://visio.institut-charlesrojzman.test/formation"
            if mode == "remote"
            else "",
            programme=programme,
            price_cents=price_cents,
        ),
    )


@contextlib.contextmanager
def _at(moment: datetime):
    """The services' clock set to a past moment, to replay the demo's past session."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _local(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), ics.session_zone())


def _past_session(course, trainer, trainee, classmates) -> None:
    monday = _monday(-35)
    with _at(_local(monday - timedelta(days=30), 10)):
        session = _session(
            course, trainer, PAST_TITLE, monday=monday, mode="in_person", capacity=12
        )
    placements = {}
    for person in [trainee, *classmates]:
        with _at(_local(monday - timedelta(days=20), 11)):
            placements[person.email] = services.placement_create(
                actor=person,
                session=session,
                trainee=person,
                employer_name=getattr(person, "demo_employer", ""),
            )
    with _at(_local(monday - timedelta(days=14), 9)):
        services.session_confirm(actor=trainer, session=session)
    for index, slot in enumerate(session.slots.order_by("starts_at")):
        _hold_half_day(index, slot, trainer, placements)
    last = session.slots.order_by("-ends_at").first()
    with _at(last.ends_at + timedelta(minutes=20)):
        services.session_close(actor=trainer, session=session)
    with _at(last.ends_at + timedelta(minutes=25)):
        services.certificates_issue(session_id=session.pk)
    _hot_answers(placements, last.ends_at)


# The half-days (by index) where the trainer records someone's presence or absence instead of
# their signing: (who, status, reason).
RECORDED_BY_TRAINER = {
    0: (
        "ines.lambert@demo.institut.test",
        "present",
        "Pas de téléphone ce matin : présence constatée en salle.",
    ),
    5: ("sophie.garnier@demo.institut.test", "excused", "Rendez-vous médical, justificatif remis."),
}


def _hold_half_day(index: int, slot, trainer, placements) -> None:
    yanis = placements["yanis.benali@demo.institut.test"]
    recorded = RECORDED_BY_TRAINER.get(index)
    recorded_placement = placements[recorded[0]] if recorded else None
    with _at(slot.starts_at - timedelta(minutes=5)):
        services.slot_signing_open(actor=trainer, slot=slot)
    for number, placement in enumerate(placements.values()):
        if placement == recorded_placement:
            continue  # the trainer records them below
        minutes = 25 if (placement.pk == yanis.pk and index == 2) else 2 + number
        slot.refresh_from_db()
        with _at(slot.starts_at + timedelta(minutes=minutes)):
            services.attendance_sign(
                user=placement.trainee,
                slot=slot,
                for_trainee_id=placement.trainee_id,
                ip_address=f"192.0.2.{10 + number}",
                user_agent="Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36",
            )
    if recorded:
        _email, status, reason = recorded
        with _at(slot.starts_at + timedelta(minutes=20)):
            services.attendance_record(
                actor=trainer, slot=slot, placement=recorded_placement, status=status, reason=reason
            )
    with _at(slot.ends_at + timedelta(minutes=5)):
        services.slot_sign(actor=trainer, slot=slot, ip_address="192.0.2.2")


def _hot_answers(placements, ended) -> None:
    _answer(placements, HOT_ANSWERS, ended)


def _answer(placements, answers_by_email: dict, ended) -> None:
    """Each trainee's à chaud answers, an hour or more after the session ended."""
    questions = list(SatisfactionQuestion.objects.filter(kind=SatisfactionKind.HOT, is_active=True))
    for offset, (email, (scores, comment)) in enumerate(answers_by_email.items()):
        placement: SessionPlacement = placements[email]
        request = services.satisfaction_request_for(placement=placement, kind=SatisfactionKind.HOT)
        if hasattr(request, "response"):
            continue
        answers = {}
        for question, score in zip(questions, scores, strict=False):
            answers[question.pk] = score
        with _at(ended + timedelta(hours=1 + offset)):
            services.satisfaction_submit(
                user=placement.trainee, request=request, answers=answers, comment=comment
            )


def _spring_session(course, trainer, cohort) -> None:
    """A workshop day held ten weeks ago: everyone signs each half-day on their phone, but one
    trainee, excused in the afternoon; each answers the à chaud questionnaire."""
    monday = _monday(-70)
    with _at(_local(monday - timedelta(days=30), 10)):
        session = _workshop(course, trainer, SPRING_TITLE, monday=monday)
    with _at(_local(monday - timedelta(days=20), 11)):
        placements = [
            services.placement_create(actor=person, session=session, trainee=person)
            for person in cohort
        ]
    with _at(_local(monday - timedelta(days=14), 9)):
        services.session_confirm(actor=trainer, session=session)
    slots = list(session.slots.order_by("starts_at"))
    for slot in slots:
        with _at(slot.starts_at - timedelta(minutes=5)):
            services.slot_signing_open(actor=trainer, slot=slot)
        for number, placement in enumerate(placements):
            with _at(slot.starts_at + timedelta(minutes=2 + number)):
                if slot == slots[-1] and number == len(placements) - 1:
                    services.attendance_record(
                        actor=trainer,
                        slot=slot,
                        placement=placement,
                        status="excused",
                        reason="Convoqué au tribunal comme témoin, justificatif remis.",
                    )
                else:
                    services.attendance_sign(
                        user=placement.trainee, slot=slot, for_trainee_id=placement.trainee_id
                    )
        with _at(slot.ends_at + timedelta(minutes=5)):
            services.slot_sign(actor=trainer, slot=slot)
    with _at(slots[-1].ends_at + timedelta(minutes=20)):
        services.session_close(actor=trainer, session=session)
    with _at(slots[-1].ends_at + timedelta(minutes=25)):
        services.certificates_issue(session_id=session.pk)
    by_email = {placement.trainee.email: placement for placement in placements}
    _answer(by_email, dict(zip(by_email, SPRING_ANSWERS, strict=True)), slots[-1].ends_at)
