"""Business rules of the courses app: enrolment, progress, quizzes, reflections, attestations."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses import quiz as quiz_rules
from courses import selectors, signals
from courses.models import (
    ENROLMENT_TRANSITIONS,
    CompletionRule,
    CoursePage,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
    TrainingAttestation,
)
from courses.reasons import Reason, enrolment_reason
from institut import roles
from institut.lib.references import new_reference
from institut.locks import require_atomic
from institut.outbox.documents import StoredDocument, numbered_pdf
from institut.outbox.services import email_enqueue
from institut.reasons import reason_columns

logger = logging.getLogger(__name__)


class CourseActionRefused(Exception):
    """An action the rules refuse, with a message for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Enrolment -----------------------------------------------------------------------------------


def check_may_enrol(*, user, course: CoursePage, prerequisites: bool = True) -> None:
    """Who may enrol in a course: a trainee, in a live course, whose prerequisites are complete.

    The one rule of enrolment, whatever the path (free, paid, funded); it refuses with the reason.
    `prerequisites=False` leaves them out: a caller that checks them later, or staff who waive
    them with a recorded reason.
    """
    if not getattr(user, "is_authenticated", False) or not roles.is_trainee(user):
        raise CourseActionRefused(_("Seuls les comptes stagiaires peuvent s'inscrire."))
    if not course.live:
        raise CourseActionRefused(_("Cette formation n'est pas ouverte aux inscriptions."))
    missing = selectors.missing_prerequisites(user=user, course=course) if prerequisites else []
    if missing:
        titles = ", ".join(f"« {page.title} »" for page in missing)
        raise CourseActionRefused(
            ngettext(
                "Pour vous inscrire, terminez d'abord la formation %(titles)s.",
                "Pour vous inscrire, terminez d'abord les formations %(titles)s.",
                len(missing),
            )
            % {"titles": titles}
        )


def enrolment_open(
    *,
    user,
    course: CoursePage,
    source: str,
    actor,
    reason: str | Reason,
    status: str = EnrolmentStatus.ACTIVE,
) -> Enrolment:
    """The one place where an enrolment is written, with its first audit row (in the caller's
    transaction; check_may_enrol first). Two requests at once: the other's enrolment, locked."""
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                course_key=course.translation_key,
                course_title=course.title,
                status=status,
                source=source,
            )
    except IntegrityError:
        return Enrolment.objects.select_for_update().get(
            user=user, course_key=course.translation_key
        )
    EnrolmentEvent.objects.create(
        enrolment=enrolment, actor=actor, to_status=enrolment.status, **reason_columns(reason)
    )
    return enrolment


def enrolment_for_update(*, user, course: CoursePage) -> Enrolment | None:
    """The user's enrolment in the course (any status), locked for the transaction, or None."""
    require_atomic("enrolment_for_update")
    return (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_key=course.translation_key)
        .first()
    )


def enrolment_note(*, enrolment: Enrolment, actor, reason: str | Reason) -> EnrolmentEvent:
    """An audit row beside an enrolment whose status stays (a completed course refunded)."""
    return EnrolmentEvent.objects.create(
        enrolment=enrolment,
        actor=actor,
        from_status=enrolment.status,
        to_status=enrolment.status,
        **reason_columns(reason),
    )


def enrolment_transition(
    *, enrolment: Enrolment, to_status: str, actor, reason: str | Reason, source: str | None = None
) -> Enrolment:
    """The one place where an enrolment's status (and the path it came by) changes, with its
    audit row; the table of allowed changes is ENROLMENT_TRANSITIONS."""
    from_status = enrolment.status
    if to_status not in ENROLMENT_TRANSITIONS[from_status]:
        raise ValueError(f"Enrolment cannot go from {from_status} to {to_status}.")
    enrolment.status = to_status
    fields = ["status"]
    if source is not None and source != enrolment.source:
        enrolment.source = source
        fields.append("source")
    if to_status == EnrolmentStatus.COMPLETED:
        enrolment.completed_at = timezone.now()
        fields.append("completed_at")
    enrolment.save(update_fields=fields)
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        **reason_columns(reason),
    )
    return enrolment


@transaction.atomic
def enrolment_create(*, user, course: CoursePage, source: str = EnrolmentSource.FREE) -> Enrolment:
    """Enrol a trainee in a course (all its translations); enrolling twice changes nothing."""
    check_may_enrol(user=user, course=course, prerequisites=False)
    existing = Enrolment.objects.filter(user=user, course_key=course.translation_key).first()
    if existing is not None:
        return existing
    if source == EnrolmentSource.FREE and not course.is_free:
        raise CourseActionRefused(
            _(
                "Cette formation est payante et le paiement en ligne arrive bientôt : "
                "l'inscription n'est pas encore possible."
            )
        )
    check_may_enrol(user=user, course=course)
    return enrolment_open(
        user=user, course=course, source=source, actor=user, reason=enrolment_reason("enrolled")
    )


def enrolment_lock(*, user, course_key: uuid.UUID) -> Enrolment:
    """The user's enrolment in the course, locked for the transaction; refuses if none."""
    require_atomic("enrolment_lock")
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(user=user, course_key=course_key, status__in=selectors.ACCESS_STATUSES)
        .select_related("user")
        .first()
    )
    if enrolment is None:
        raise CourseActionRefused(
            _("Inscrivez-vous à la formation pour enregistrer votre progression.")
        )
    return enrolment


def enrolment_note_visit(*, enrolment: Enrolment, lesson: LessonPage, request=None) -> None:
    """Remember the lesson the trainee opened last, for "continue where I left off".

    No write when nothing changes: none when the enrolment read says so, and the UPDATE only
    touches the row if another request has not already noted the same lesson. Given the
    request, the UPDATE runs once the page is sent (the person does not wait for it), and the
    lesson kept whole for this person notes the visit again each time it is served
    (`enrolment_note_kept_visit`).
    """
    key = lesson.translation_key
    if request is not None:
        from institut import personal_pages

        personal_pages.on_hit(request, enrolment_note_kept_visit, enrolment.pk, key)
    if enrolment.last_lesson_key != key:
        _note_visit(enrolment_pk=enrolment.pk, user_id=enrolment.user_id, key=key, request=request)
        enrolment.last_lesson_key = key


def enrolment_note_kept_visit(request, enrolment_pk: int, key) -> None:
    """The visit note of a lesson served from the cache: written unless it is the visit the
    person's last note wrote (read with the page, institut.personal_pages.last_visit)."""
    from institut import personal_pages

    if personal_pages.last_visit(request) == (enrolment_pk, str(key)):
        return
    _note_visit(enrolment_pk=enrolment_pk, user_id=request.user.pk, key=key, request=request)


def _note_visit(*, enrolment_pk: int, user_id: int, key, request=None) -> None:
    from institut import personal_pages

    def note() -> None:
        _enrolment_set_last_lesson(enrolment_pk=enrolment_pk, key=key)
        # "continue" on /espace/ made again once the row says so, the visit noted with it.
        personal_pages.forget_visits(user_id, visit=(enrolment_pk, str(key)))

    if request is None:
        note()
    else:
        from institut.middleware import after_response

        after_response(request, note)


def _enrolment_set_last_lesson(*, enrolment_pk: int, key) -> None:
    """UPDATE the enrolment's last lesson unless it is already that one, in one statement.

    Written in SQL: it runs on every lesson opened, even one served whole from the cache, where
    building the ORM's query cost more than the rest of the request (issue 16).
    """
    field = Enrolment._meta.get_field("last_lesson_key")
    quote = connection.ops.quote_name
    table, column = quote(Enrolment._meta.db_table), quote(field.column)
    value = field.get_db_prep_value(key, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s "
            f"WHERE {quote(Enrolment._meta.pk.column)} = %s "
            f"AND ({column} IS NULL OR {column} <> %s)",
            [value, enrolment_pk, value],
        )


def _enrolment_complete_if_done(*, enrolment: Enrolment, actor) -> bool:
    """Complete the enrolment when every required lesson is done; schedule the attestation."""
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    if not selectors.course_requirements_met(user=enrolment.user, course_key=enrolment.course_key):
        return False
    enrolment_transition(
        enrolment=enrolment,
        to_status=EnrolmentStatus.COMPLETED,
        actor=actor,
        reason=enrolment_reason("lessons_complete"),
    )
    from courses.tasks import generate_attestation

    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: generate_attestation.delay(enrolment_id))
    transaction.on_commit(
        lambda: signals.course_completed.send(sender=Enrolment, enrolment=enrolment)
    )
    return True


# --- Progress ------------------------------------------------------------------------------------


def _lesson_progress_record(*, enrolment: Enrolment, lesson: LessonPage, rule: str) -> bool:
    """Record the lesson as complete, once; returns whether this call created the record."""
    _progress, created = LessonProgress.objects.get_or_create(
        user=enrolment.user,
        lesson_key=lesson.translation_key,
        defaults={"course_key": enrolment.course_key, "rule": rule},
    )
    if created:
        _enrolment_complete_if_done(enrolment=enrolment, actor=enrolment.user)
    return created


def _lesson_is_complete(*, user, lesson: LessonPage) -> bool:
    return LessonProgress.objects.filter(user=user, lesson_key=lesson.translation_key).exists()


@transaction.atomic
def lesson_mark_done(*, user, lesson: LessonPage) -> bool:
    """The trainee says they finished a lesson; a second call changes nothing."""
    if lesson.completion_rule != CompletionRule.MARK_DONE:
        raise CourseActionRefused(
            _("Cette leçon se termine en réussissant son quiz.")
            if lesson.completion_rule == CompletionRule.PASS_QUIZ
            else _("Cette leçon se termine en soumettant votre réflexion.")
        )
    course = selectors.lesson_course(lesson)
    enrolment = enrolment_lock(user=user, course_key=course.translation_key)
    return _lesson_progress_record(enrolment=enrolment, lesson=lesson, rule=lesson.completion_rule)


@transaction.atomic
def quiz_submit(*, user, lesson: LessonPage, answers: Mapping[str, Sequence[int]]) -> QuizAttempt:
    """Score an attempt at the lesson's quiz; passing completes a lesson whose rule says so."""
    quiz = lesson.quiz_block()
    if quiz is None:
        raise CourseActionRefused(_("Cette leçon n'a pas de quiz."))
    course = selectors.lesson_course(lesson)
    enrolment = enrolment_lock(user=user, course_key=course.translation_key)
    previous = list(
        QuizAttempt.objects.filter(user=user, lesson_key=lesson.translation_key).values_list(
            "number", "passed"
        )
    )
    if any(passed for _number, passed in previous):
        raise CourseActionRefused(_("Vous avez déjà réussi ce quiz."))
    limit = quiz["max_attempts"]
    if limit and len(previous) >= limit:
        raise CourseActionRefused(
            ngettext(
                "Vous avez utilisé votre unique tentative pour ce quiz.",
                "Vous avez utilisé vos %(count)d tentatives pour ce quiz.",
                limit,
            )
            % {"count": limit}
        )
    given = quiz_rules.normalise_answers(quiz, answers)
    unanswered = [index for index, chosen in given.items() if not chosen]
    if unanswered:
        raise CourseActionRefused(_("Répondez à chaque question avant de valider."))
    for index, question in enumerate(quiz["questions"]):
        if question["kind"] == "single" and len(given[str(index)]) != 1:
            raise CourseActionRefused(
                _("Une seule réponse est possible à la question %d.") % (index + 1)
            )
    points = quiz_rules.score(quiz, given)
    attempt = QuizAttempt.objects.create(
        user=user,
        lesson_key=lesson.translation_key,
        course_key=course.translation_key,
        lesson_title=lesson.title,
        number=max((number for number, _passed in previous), default=0) + 1,
        answers=given,
        score=points,
        pass_mark=quiz["pass_mark"] or 0,
        passed=quiz_rules.passed(quiz, points),
    )
    if attempt.passed and lesson.completion_rule == CompletionRule.PASS_QUIZ:
        _lesson_progress_record(enrolment=enrolment, lesson=lesson, rule=lesson.completion_rule)
    return attempt


@transaction.atomic
def reflection_save(
    *, user, lesson: LessonPage, text: str, submit: bool = False
) -> ReflectionAnswer:
    """Save the trainee's private reflection; submitting completes a lesson whose rule says so."""
    if lesson.reflection_block() is None:
        raise CourseActionRefused(_("Cette leçon n'a pas de question de réflexion."))
    text = (text or "").strip()
    if not text:
        raise CourseActionRefused(_("Écrivez votre réponse avant de l'enregistrer."))
    course = selectors.lesson_course(lesson)
    enrolment = enrolment_lock(user=user, course_key=course.translation_key)
    if _lesson_is_complete(user=user, lesson=lesson):
        raise CourseActionRefused(
            _("Cette leçon est terminée : votre réflexion ne peut plus être modifiée.")
        )
    answer, _created = ReflectionAnswer.objects.update_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"text": text, "course_key": course.translation_key},
    )
    if submit:
        answer.submitted_at = timezone.now()
        answer.save(update_fields=["submitted_at"])
        if lesson.completion_rule == CompletionRule.SUBMIT_REFLECTION:
            _lesson_progress_record(enrolment=enrolment, lesson=lesson, rule=lesson.completion_rule)
    return answer


# --- Attestations --------------------------------------------------------------------------------


def attestation_number(*, year: int | None = None) -> str:
    """A fresh random number such as ATT-2026-7K3M9Q (not enumerable)."""
    year = year or timezone.now().year
    return new_reference(selectors.ATTESTATION_PREFIX, year)


def attestation_check_url(number: str) -> str:
    """The absolute public address where anyone can check an attestation."""
    return settings.SITE_URL + reverse("courses:attestation_check", args=[number])


@transaction.atomic
def attestation_issue(*, enrolment_id: int) -> TrainingAttestation | None:
    """Issue the attestation of a completed course, once, after re-checking the records."""
    from courses.pdf import render_attestation_pdf

    enrolment = Enrolment.objects.select_for_update().select_related("user").get(pk=enrolment_id)
    existing = TrainingAttestation.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    user = enrolment.user
    if enrolment.status != EnrolmentStatus.COMPLETED or not selectors.course_requirements_met(
        user=user, course_key=enrolment.course_key
    ):
        logger.warning("No attestation for enrolment %s: course not complete.", enrolment_id)
        return None
    course = selectors.course_for_key(
        course_key=enrolment.course_key, language=user.preferred_language
    )
    now = timezone.now()
    number = attestation_number(year=now.year)
    while TrainingAttestation.objects.filter(number=number).exists():
        number = attestation_number(year=now.year)
    attestation = TrainingAttestation(
        number=number,
        enrolment=enrolment,
        user=user,
        trainee_name=user.full_name or user.email,
        course_key=enrolment.course_key,
        course_title=course.title if course else enrolment.course_title,
        hours=course.duration_hours if course else 0,
        completed_at=enrolment.completed_at or now,
        issued_at=now,
    )
    with translation.override(user.language):
        pdf = render_attestation_pdf(
            attestation=attestation, check_url=attestation_check_url(number)
        )
    attestation.pdf.save(f"{number}.pdf", ContentFile(pdf), save=False)
    attestation.save()
    return attestation


# The outbox's name for attestations attached by reference (courses/apps.py): their PDF is
# stored at issue, and read when the e-mail is sent.
ATTESTATION_SOURCE = "courses.attestation"


@transaction.atomic
def attestation_document(attestation: TrainingAttestation) -> StoredDocument:
    """The attestation's PDF as an e-mail attaches it and a download names it, in the active
    language: « attestation-de-formation-ATT-2026-7K3M9Q.pdf », « training-attestation-… »."""
    return numbered_pdf(ATTESTATION_SOURCE, attestation, _("attestation de formation"))


def attestation_send(*, attestation_id: int) -> bool:
    """E-mail the attestation to its owner, in their language, once (an outbox row keyed by the
    attestation), its PDF attached by reference; True when owed now, False when it already
    was."""
    attestation = TrainingAttestation.objects.select_related("user").get(pk=attestation_id)
    user = attestation.user
    with translation.override(user.language):
        context = {
            "attestation": attestation,
            "user": user,
            "check_url": attestation_check_url(attestation.number),
            "dashboard_url": settings.SITE_URL + reverse("courses:dashboard"),
        }
        subject = render_to_string("courses/email/attestation_subject.txt", context)
        body = render_to_string("courses/email/attestation_body.txt", context)
        document = attestation_document(attestation)
    email = email_enqueue(
        kind="attestation",
        about=attestation,
        to=user,
        subject=subject,
        text=body,
        documents=[document],
    )
    TrainingAttestation.objects.filter(pk=attestation_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return email is not None
