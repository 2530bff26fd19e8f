"""Demo certification: the scheme and the charter, practitioners with certificates in every status,
a trainee one requirement short of eligibility, an application awaiting the committee, and the
committee's decisions of the past year that the published success rate rests on.

Idempotent: the scheme is found by name, the charter by version, people by e-mail, certificates by
holder. Other apps' records (courses completed, approved practice) are written through their own
services, never directly.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from certification import services
from certification.models import (
    DEFAULT_SCHEME_NAME,
    Application,
    ApplicationEvent,
    Certificate,
    CertificateStatus,
    CertificationScheme,
    CharterAcceptance,
    CharterVersion,
    PublicReason,
    SupervisorOpinion,
)
from certification.reasons import application_reason, certificate_reason
from courses import selectors as course_selectors
from courses import services as course_services
from courses.models import CompletionRule, EnrolmentSource, LessonPage
from courses.quiz import correct_indexes
from courses.services import CourseActionRefused
from institut.demo import ensure_user
from institut.method import Step
from institut.reasons import reason_columns
from institut.roles import Role
from supervision import services as supervision_services
from supervision.logbook import services as logbook_services
from supervision.logbook.models import PracticeEntry

CANDIDATE = ("stagiaire2@demo.institut.test", "Yanis Benali")  # supervised by Karim Haddad
APPLICANT = ("stagiaire3@demo.institut.test", "Léa Nguyen")  # supervised by Hélène Duprè

DESCRIPTION = "Parcours de certification (démo) : "

CHARTER_TEXT = """\
1. Je me place au service de toutes les parties, sans prendre le parti des unes contre les autres.

2. Je fixe avec le groupe un but réaliste et je dis clairement ce que je peux et ne peux pas faire.

3. Je garantis un cadre sûr : chacun·e peut parler sans être humilié·e ni menacé·e.

4. Je respecte la confidentialité de ce qui se dit dans les groupes ; je ne rapporte rien qui \
permette d'identifier une personne sans son accord.

5. Je reconnais la violence comme un symptôme à comprendre, sans jamais la justifier.

6. Je fais superviser ma pratique régulièrement et je rends compte de mes interventions dans mon \
carnet de pratique.

7. Je n'utilise la marque TST® que tant que mon certificat est actif."""

CHARTER_TITLE = "Charte éthique de l'intervenant·e TST®"
CHARTER_TITLE_EN = "Code of ethics of the TST® practitioner"
CHARTER_TEXT_EN = """\
1. I serve every party, without siding with some against others.

2. I set a realistic goal with the group and say plainly what I can and cannot do.

3. I guarantee a safe setting: everyone can speak without being humiliated or threatened.

4. I keep what is said in the groups confidential; I report nothing that could identify a person \
without their consent.

5. I treat violence as a symptom to be understood, never as something to be justified.

6. I have my practice supervised regularly and record my interventions in my practice logbook.

7. I use the TST® mark only while my certificate is active."""

SCHEME_NAME_EN = "Social Therapy TST® practitioner"
SCHEME_DESCRIPTION = (
    "Atteste que la personne a été formée à la Thérapie Sociale à l'Institut Charles "
    "Rojzman, a pratiqué les sept étapes de la méthode sous supervision, est supervisée "
    "régulièrement et respecte la charte éthique."
)
SCHEME_DESCRIPTION_EN = (
    "Certifies that the person was trained in Social Therapy at the Institut Charles Rojzman, "
    "has practised the seven steps of the method under supervision, is supervised regularly "
    "and abides by the ethical charter."
)

# Practitioners certified earlier: (e-mail, name, days until expiry, final status, public reason,
# reason of the last change)
PRACTITIONERS = [
    ("nadia.belkacem@demo.institut.test", "Nadia Belkacem", 700, "active", "", ""),
    ("julien.mercier@demo.institut.test", "Julien Mercier", 28, "active", "", ""),
    (
        "isabelle.roche@demo.institut.test",
        "Isabelle Roche",
        -45,
        "expired",
        PublicReason.EXPIRED,
        "La période de validité s'est achevée sans demande de renouvellement.",
    ),
    (
        "mathieu.lambert@demo.institut.test",
        "Mathieu Lambert",
        400,
        "suspended",
        PublicReason.SUPERVISION,
        "Aucune séance de supervision depuis quatorze mois ; suspension jusqu'à la reprise "
        "d'une supervision régulière.",
    ),
    (
        "claire.dubois@demo.institut.test",
        "Claire Dubois",
        500,
        "revoked",
        PublicReason.ETHICS,
        "Manquement grave à la confidentialité établi après audition : des propos tenus en "
        "sous-groupe ont été rapportés nominativement à la direction.",
    ),
]

# (days ago, minutes, setting, role, group size, steps, what happened)
PRACTICE = [
    (
        150,
        420,
        "neighbourhood",
        "co_intervention",
        14,
        ["confiance", "contrat"],
        "premières rencontres avec les habitant·es et le bailleur d'une cité en tension.",
    ),
    (
        130,
        360,
        "neighbourhood",
        "lead",
        12,
        ["sous_groupes", "conflits"],
        "sous-groupes mêlant jeunes, gardiens et élu·es, puis expression des désaccords.",
    ),
    (
        110,
        420,
        "school",
        "lead",
        18,
        ["informations", "intelligence"],
        "collège : partage de ce qui explique les incidents, jeux de rôle avec les enseignant·es.",
    ),
    (
        90,
        360,
        "school",
        "co_intervention",
        16,
        ["solutions", "confiance"],
        "collège : plan d'action concerté et retour vers la direction.",
    ),
    (
        70,
        420,
        "institution",
        "lead",
        10,
        ["contrat", "sous_groupes"],
        "EHPAD : contrat commun avec l'équipe de nuit et la direction.",
    ),
    (
        50,
        360,
        "institution",
        "lead",
        10,
        ["conflits", "informations"],
        "EHPAD : espace de conflit constructif sur les plannings.",
    ),
    (
        30,
        420,
        "organisation",
        "lead",
        9,
        ["intelligence", "solutions"],
        "entreprise de transport : intelligence collective et solutions retenues ensemble.",
    ),
]


def create_demo(cast: dict) -> None:
    """The seed_demo step of the certification app."""
    with transaction.atomic():
        scheme = ensure_scheme()
        charter = ensure_charter()
        ensure_practitioners(cast, scheme)
        candidate = ensure_user(*CANDIDATE, [Role.TRAINEE])
        supervisor = _supervisor_of(candidate) or cast["trainer"]
        ensure_records(candidate, supervisor, scheme)  # everything but the charter
        applicant = ensure_user(*APPLICANT, [Role.TRAINEE])
        ensure_pending_application(applicant, _supervisor_of(applicant) or cast["trainer"], charter)
        ensure_past_decisions(cast, scheme)


def _supervisor_of(user):
    from supervision.selectors import supervisors_of

    return supervisors_of(user).first()


def ensure_scheme() -> CertificationScheme:
    """The default scheme, with the catalogue's courses that count towards certification."""
    scheme = CertificationScheme.objects.filter(name=DEFAULT_SCHEME_NAME).order_by("pk").first()
    if scheme is not None:
        if not scheme.name_en:  # a demo seeded before the English wording
            scheme.name_en, scheme.description_en = SCHEME_NAME_EN, SCHEME_DESCRIPTION_EN
            scheme.save(update_fields=["name_en", "description_en"])
        return scheme
    catalogue = course_selectors.catalogue_page(language="fr")
    keys = []
    if catalogue is not None:
        keys = [
            str(course.translation_key)
            for course in course_selectors.catalogue_courses(index=catalogue)
            if course.counts_towards_certification
        ]
    return CertificationScheme.objects.create(
        name=DEFAULT_SCHEME_NAME,
        name_en=SCHEME_NAME_EN,
        description=SCHEME_DESCRIPTION,
        description_en=SCHEME_DESCRIPTION_EN,
        required_course_keys=keys,
        # Demo values, lower than a real scheme's, so that demo people can reach them.
        min_practice_hours=40,
        **{f"min_hours_{step.value}": 4 for step in Step},
        min_supervision_hours=4,
        validity_years=3,
        renewal_supervision_hours=4,
    )


def ensure_charter() -> CharterVersion:
    charter, _created = CharterVersion.objects.get_or_create(
        version=1,
        defaults={
            "title": CHARTER_TITLE,
            "body": CHARTER_TEXT,
            "title_en": CHARTER_TITLE_EN,
            "body_en": CHARTER_TEXT_EN,
            "published_on": timezone.localdate() - timedelta(days=400),
        },
    )
    if not charter.body_en:  # a demo seeded before the English wording
        charter.title_en, charter.body_en = CHARTER_TITLE_EN, CHARTER_TEXT_EN
        charter.save(update_fields=["title_en", "body_en"])
    return charter


def ensure_practitioners(cast: dict, scheme: CertificationScheme) -> None:
    """Certified practitioners, one per status; status changes go through the service."""
    today = timezone.localdate()
    committee = cast["committee"]
    for email, name, days_left, status, public_reason, reason in PRACTITIONERS:
        holder = ensure_user(email, name, [Role.TRAINEE])
        if Certificate.objects.filter(holder=holder).exists():
            continue
        valid_until = today + timedelta(days=days_left)
        issued = services.add_years(valid_until, -scheme.validity_years)
        certificate, _event = services.certificate_record(
            holder=holder,
            scheme=scheme,
            actor=committee,
            issued_on=issued,
            valid_until=valid_until,
            reason=certificate_reason("granted"),
        )
        if status == CertificateStatus.EXPIRED:
            services.certificate_expire(certificate=certificate)
        elif status != CertificateStatus.ACTIVE:
            services.certificate_change_status(
                certificate=certificate,
                to_status=status,
                actor=committee,
                reason=reason,
                public_reason=public_reason,
                effective_on=today - timedelta(days=20),
            )


def _complete_course(user, course) -> None:
    source = EnrolmentSource.FREE if course.is_free else EnrolmentSource.FUNDED
    course_services.enrolment_create(user=user, course=course, source=source)
    for lesson in LessonPage.objects.child_of(course).live().order_by("path"):
        try:
            if lesson.completion_rule == CompletionRule.PASS_QUIZ:
                quiz = lesson.quiz_block()
                answers = {
                    str(index): sorted(correct_indexes(question))
                    for index, question in enumerate(quiz["questions"])
                }
                course_services.quiz_submit(user=user, lesson=lesson, answers=answers)
            elif lesson.completion_rule == CompletionRule.SUBMIT_REFLECTION:
                course_services.reflection_save(
                    user=user,
                    lesson=lesson,
                    text="Ce que j'observe sur le terrain rejoint la leçon : la peur se dit "
                    "plus facilement en petit groupe mêlé.",
                    submit=True,
                )
            else:
                course_services.lesson_mark_done(user=user, lesson=lesson)
        except CourseActionRefused:
            continue  # already done on an earlier run


def ensure_records(trainee, supervisor, scheme: CertificationScheme) -> None:
    """The required courses completed and the approved practice hours, through their services."""
    done = course_selectors.completed_course_keys(user=trainee)
    for key in scheme.required_course_keys:
        course = course_selectors.course_for_key(course_key=key, language="fr")
        if course is not None and course.translation_key not in done:
            _complete_course(trainee, course)
    if PracticeEntry.objects.filter(trainee=trainee, description__startswith=DESCRIPTION).exists():
        return
    today = timezone.localdate()
    for days_ago, minutes, setting, role, size, steps, text in PRACTICE:
        entry = logbook_services.practice_entry_create(
            trainee=trainee,
            date=today - timedelta(days=days_ago),
            duration_minutes=minutes,
            setting=setting,
            role=role,
            group_size=size,
            steps=steps,
            description=DESCRIPTION + text,
        )
        logbook_services.practice_entry_submit(entry=entry, actor=trainee)
        logbook_services.practice_entry_approve(entry=entry, reviewer=supervisor)


def ensure_pending_application(applicant, supervisor, charter: CharterVersion) -> None:
    """Léa meets every requirement, applied, and her supervisor gave a favourable opinion."""
    if Application.objects.filter(applicant=applicant).exists():
        return
    scheme = CertificationScheme.objects.current()
    ensure_records(applicant, supervisor, scheme)
    CharterAcceptance.objects.get_or_create(user=applicant, charter=charter)
    try:
        application = services.application_submit(
            applicant=applicant,
            statement=(
                "Éducatrice spécialisée, j'interviens depuis trois ans auprès d'équipes "
                "d'établissements scolaires et médico-sociaux. La formation et la supervision "
                "m'ont appris à tenir un cadre où les conflits deviennent constructifs ; je "
                "souhaite aujourd'hui exercer comme intervenante TST®."
            ),
        )
    except services.ValidationError:
        return  # a requirement the demo cannot meet (another app's demo changed): no application
    if not SupervisorOpinion.objects.filter(application=application).exists():
        services.opinion_give(
            application=application,
            supervisor=supervisor,
            verdict=SupervisorOpinion.Verdict.FAVOURABLE,
            text="Léa tient le cadre avec constance et fait circuler l'information avec tact. "
            "Son carnet de pratique couvre les sept étapes.",
        )


# First certifications the committee decided in the past year, so that the published success rate
# (Qualiopi indicator 2) rests on more decisions than the Institut's minimum (5): e-mail, name, days
# ago, decision, its reason (as typed; for a grant refused, the requirements not met). The
# renewals' rate stays below the minimum: the pages say so.
PAST_DECISIONS = [
    ("candidature.amina.diallo@demo.institut.test", "Amina Diallo", 320, "granted", ""),
    ("candidature.theo.garnier@demo.institut.test", "Théo Garnier", 250, "granted", ""),
    (
        "candidature.sophie.marchand@demo.institut.test",
        "Sophie Marchand",
        190,
        "refused",
        "Le carnet de pratique ne montre pas encore de travail en sous-groupes hétérogènes ; "
        "la commission vous invite à candidater de nouveau après une année de supervision.",
    ),
    ("candidature.karim.ouali@demo.institut.test", "Karim Ouali", 130, "granted", ""),
    (
        "candidature.elodie.perrin@demo.institut.test",
        "Élodie Perrin",
        80,
        "grant_refused",
        # The requirements not met: the service's fixed reason, read in the reader's language.
        [{"code": "supervision", "done": 3, "needed": 4, "unit": "hours"}],
    ),
    ("candidature.francois.leroux@demo.institut.test", "François Leroux", 45, "granted", ""),
    ("candidature.mariam.toure@demo.institut.test", "Mariam Touré", 14, "granted", ""),
]

PAST_OPINION = (
    "Tient le cadre avec constance et fait circuler l'information avec tact ; le carnet de "
    "pratique couvre les sept étapes."
)

PAST_STATEMENT = (
    "J'interviens auprès d'équipes et d'habitant·es de quartiers où la coopération était bloquée ; "
    "la formation et la supervision m'ont appris à transformer la violence en conflit constructif."
)


def ensure_past_decisions(cast: dict, scheme: CertificationScheme) -> None:
    """Applications decided in the past year, each with its events; a grant issued the
    certificate that day. Written as they were recorded then: the services decide now."""
    committee = cast["committee"]
    supervisor = cast["trainer"]
    now = timezone.now()
    for email, name, days_ago, action, reason in PAST_DECISIONS:
        applicant = ensure_user(email, name, [Role.TRAINEE])
        if Application.objects.filter(applicant=applicant).exists():
            continue
        decided_at = now - timedelta(days=days_ago)
        submitted_at = decided_at - timedelta(days=30)
        status = Application.Status.GRANTED if action == "granted" else Application.Status.REFUSED
        application = Application.objects.create(
            applicant=applicant,
            scheme=scheme,
            statement=PAST_STATEMENT,
            status=Application.Status.SUBMITTED,
            submitted_at=submitted_at,
        )
        ApplicationEvent.objects.create(
            application=application,
            actor=applicant,
            action="submitted",
            to_status=Application.Status.SUBMITTED,
            at=submitted_at,
        )
        if action == "granted":
            # The scheme grants a first certification only after a supervisor's opinion: the
            # committee's page shows the one each granted applicant had.
            supervision_services.supervisor_assign(
                trainee=applicant, supervisor=supervisor, assigned_by=committee
            )
            services.opinion_give(
                application=application,
                supervisor=supervisor,
                verdict=SupervisorOpinion.Verdict.FAVOURABLE,
                text=PAST_OPINION,
                at=decided_at - timedelta(days=10),
            )
        ApplicationEvent.objects.create(
            application=application,
            actor=committee,
            action=action,
            from_status=Application.Status.SUBMITTED,
            to_status=status,
            at=decided_at,
            **reason_columns(
                application_reason(action, missing=reason) if action == "grant_refused" else reason
            ),
        )
        application.status, application.decided_at, application.decided_by = (
            status,
            decided_at,
            committee,
        )
        application.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        if action == "granted":
            services.certificate_record(
                holder=applicant,
                scheme=scheme,
                actor=committee,
                issued_on=timezone.localdate(decided_at),
                application=application,
                reason=certificate_reason("granted"),
            )
