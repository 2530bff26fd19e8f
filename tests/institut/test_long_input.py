"""No input is slow: a megabyte in any text field of any form gets its form error, writes nothing.

Each case is one form of the URL map: who posts it, where, a valid post, its text fields, and
what it would write. Each text field in turn gets a megabyte; the answer must be the form again
(200, or 400 where the page says so) with the field's error, and nothing written.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm
from django.urls import reverse
from django.utils import timezone

from institut.roles import Role
from tests.factories import UserFactory

HUGE = "a" * 200_000  # the worst case of the former e-mail detector: one long word
MEGABYTE = "a" * 1_000_000  # half of what a form may send (DATA_UPLOAD_MAX_MEMORY_SIZE)


@dataclass
class Case:
    """One form: `setup(world)` returns (user, url, valid post); `written()` what it writes."""

    id: str
    setup: Callable
    fields: list[str]
    written: Callable[[], object]
    method: str = "post"
    # Our own forms check the length first and say so; third-party ones (allauth) just refuse.
    code: str | None = "max_length"
    statuses: tuple[int, ...] = (200, 400)
    files: dict = field(default_factory=dict)


def url(name: str, *args) -> str:
    return reverse(name, args=args)


# --- What each form needs ---------------------------------------------------------------------


def logbook(world, status):
    from tests.supervision.logbook.helpers import assign, form_post, make_entry

    trainee, trainer = world.trainee, world.trainer
    assign(trainee, trainer)
    entry = make_entry(trainee, status, reviewer=trainer) if status else None
    return trainee, trainer, entry, form_post()


def logbook_create(world):
    trainee, _trainer, _entry, post = logbook(world, None)
    return trainee, url("supervision:logbook_entry_create"), post


def logbook_edit(world):
    trainee, _trainer, entry, post = logbook(world, "draft")
    return trainee, url("supervision:logbook_entry_edit", entry.pk), post


def logbook_correct(world):
    trainee, _trainer, entry, post = logbook(world, "approved")
    return trainee, url("supervision:logbook_entry_correct", entry.pk), post


def logbook_review(world):
    _trainee, trainer, entry, _post = logbook(world, "submitted")
    post = {"decision": "return", "comment": "À revoir."}
    return trainer, url("supervision:logbook_entry_review", entry.pk), post


def session_post() -> dict:
    starts = (timezone.localtime() + timezone.timedelta(days=10)).replace(minute=0)
    return {
        "title": "Supervision du jeudi",
        "kind": "group",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timezone.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "in_person",
        "address": "12 rue de la Paix, Lyon",
        "video_url": "",
        "capacity": "8",
        "minimum_participants": "",
        "description": "Travail sur le contrat commun.",
        "audience": "all_trainees",
    }


def session_create(world):
    return world.trainer, url("supervision:session_create"), session_post()


def session_edit(world):
    from tests.supervision.factories import SessionFactory

    session = SessionFactory(trainer=world.trainer)
    return world.trainer, url("supervision:session_edit", session.pk), session_post()


def session_cancel(world):
    from tests.supervision.factories import SessionFactory

    session = SessionFactory(trainer=world.trainer)
    post = {"reason": "Formatrice malade."}
    return world.trainer, url("supervision:session_cancel", session.pk), post


def record_correct(world):
    from tests.certification.helpers import attend_supervision

    (record,) = attend_supervision(world.trainee, world.trainer)
    post = {"presence": "absent", "minutes": "", "reason": "Erreur de saisie."}
    return world.trainer, url("supervision:record_correct", record.pk), post


def eligible(world):
    from tests.certification.helpers import make_charter, make_eligible, make_scheme
    from tests.courses.conftest import build_course

    course = build_course(world.catalogue, title="Découvrir la Thérapie Sociale", lessons=1)
    charter = make_charter()
    make_scheme(course_keys=[course.translation_key])
    make_eligible(world.trainee, world.trainer, course=course, charter=charter)
    return world.trainee


def application(world):
    from certification import services

    applicant = eligible(world)
    return services.application_submit(applicant=applicant, statement="Mon parcours.")


def apply(world):
    return eligible(world), url("certification:apply"), {"statement": "Mon parcours."}


def application_complete(world):
    from certification import services

    submitted = application(world)
    services.application_decide(
        application=submitted,
        actor=world.committee_member,
        decision=services.Decision.ASK_MORE,
        reason="Ajoutez une attestation.",
    )
    post = {"statement": "Voici l'attestation."}
    return submitted.applicant, url("certification:application_complete", submitted.pk), post


def opinion(world):
    submitted = application(world)
    post = {"verdict": "favourable", "text": "Pratique solide."}
    return world.trainer, url("certification:opinion", submitted.pk), post


def decision(world):
    submitted = application(world)
    post = {"decision": "refuse", "reason": "Heures insuffisantes."}
    return world.committee_member, url("certification:committee_application", submitted.pk), post


def certificate(world):
    from tests.certification.factories import make_certificate
    from tests.certification.helpers import make_scheme

    return make_certificate(world.trainee, scheme=make_scheme())


def committee_status(world):
    cert = certificate(world)
    post = {
        "to_status": "suspended",
        "public_reason": "supervision",
        "reason": "Supervision interrompue.",
        "effective_on": timezone.localdate().isoformat(),
    }
    return world.committee_member, url("certification:committee_certificate", cert.pk), post


def holder_status(world):
    cert = certificate(world)
    post = {"reason": "Congé parental."}
    return world.trainee, url("certification:certificate_status", cert.number), post


def registry_profile(world):
    from certification.registry.services import registry_profile_get_or_create

    certificate(world)
    registry_profile_get_or_create(holder=world.trainee)  # as the first visit of the page does
    post = {"listed": "on", "city": "Lyon", "languages": "français", "bio": "Bonjour."}
    return world.trainee, url("certification:registry_my_profile"), post


def registry_contact(world):
    from tests.certification.helpers import make_scheme
    from tests.certification.registry.helpers import practitioner

    _cert, profile = practitioner("Noël Çelik", scheme=make_scheme(), contact_enabled=True)
    post = {"name": "Paul", "email": "paul@example.org", "message": "Bonjour.", "website": ""}
    return None, url("certification:registry_contact", profile.slug), post


def reflection(world):
    from courses.models import CompletionRule
    from courses.services import enrolment_create
    from tests.courses.conftest import build_course, lessons_of, reflection_body

    course = build_course(
        world.catalogue,
        lessons=1,
        rules=[CompletionRule.SUBMIT_REFLECTION],
        bodies=[reflection_body()],
    )
    enrolment_create(user=world.trainee, course=course)
    (lesson,) = lessons_of(course)
    return world.trainee, lesson.url, {"action": "reflection_save", "text": "Ma réponse."}


def profile(world):
    post = {"full_name": "Camille Martin", "preferred_language": "fr", "time_zone": "Europe/Paris"}
    return world.trainee, url("profile"), post


def signup(world):
    post = {
        "full_name": "Nouvelle Personne",
        "email": "nouvelle@example.org",
        "password1": "un-mot-de-passe-solide-2026",
        "password2": "un-mot-de-passe-solide-2026",
    }
    return None, url("account_signup"), post


def login(world):
    return None, url("account_login"), {"login": world.trainee.email, "password": "wrong"}


def password_reset(world):
    return None, url("account_reset_password"), {"email": world.trainee.email}


def funded_enrolment(world):
    from tests.courses.conftest import build_course

    course = build_course(world.catalogue, title="Formation financée", price_cents=50_000)
    post = {
        "email": world.trainee.email,
        "course": str(course.pk),
        "source": "employer",
        "reference": "BC-2026-01",
        "payer_name": "Mairie de Vaulx",
        "payer_address": "1 place de la Mairie",
        "payer_email": "",
        "amount_euros": "",
    }
    return world.admin, url("courses_funded_enrolment"), post


def registry_search(world):
    return None, url("certification:registry"), {"q": "Noël"}


def verify(world):
    return None, url("certification:verify"), {"numero": "TST-2026-7K3M9Q"}


def training_session(world):
    from tests.courses.conftest import build_course
    from tests.courses.training.conftest import make_session

    course = build_course(world.catalogue, title="Les fondamentaux", lessons=1)
    return course, make_session(course, world.trainer)


def training_cancel(world):
    _course, session = training_session(world)
    post = {"reason": "Salle indisponible."}
    return world.trainer, url("courses:training_cancel", session.pk), post


def training_satisfaction(world):
    from tests.courses.training.conftest import place
    from tests.courses.training.helpers import run_session
    from tests.courses.training.test_satisfaction import answer_post

    course, session = training_session(world)
    placement = place(session, world.trainee, course)
    run_session(session, world.trainer, {placement: ("present", 0)})
    request = placement.satisfaction_requests.get(kind="hot")
    post = {**answer_post(), "comment": "Très utile."}
    return world.trainee, url("courses:training_satisfaction", request.token), post


def logbook_period(world):
    from datetime import timedelta

    from supervision.logbook import services
    from tests.supervision.logbook.helpers import assign, make_entry

    assign(world.trainee, world.trainer)
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    make_entry(world.trainee, "approved", world.trainer, date=start, steps=["contrat"])
    return services.period_summary_close(trainee=world.trainee, start=start, end=end)


def cosign_request(world):
    period = logbook_period(world)
    post = {"supervisor_name": "Élise Fontaine", "supervisor_email": "elise@exemple.org"}
    return world.trainee, url("supervision:logbook_period_cosign_request", period.pk), post


def cosign_confirm(world):
    from supervision.logbook import services
    from supervision.logbook.cosign_links import cosign_token

    period = logbook_period(world)
    asked = services.period_cosign_request(
        period=period,
        trainee=world.trainee,
        supervisor_name="Élise Fontaine",
        supervisor_email="elise@exemple.org",
    )
    post = {"signer_name": "Élise Fontaine", "confirm": "on"}
    return None, url("supervision:logbook_cosign", cosign_token(asked)), post


def audit_outcome(world):
    from certification.audits import services as audits
    from certification.models import RenewalAudit
    from tests.certification.audits.test_audits import renewed_last_month
    from tests.certification.helpers import make_scheme

    scheme = make_scheme()
    scheme.renewal_audit_percent = 100
    scheme.save()
    renewed_last_month(1, scheme)
    audits.audit_draw(month=audits.previous_month(timezone.localdate()))
    post = {"outcome": "failed", "reason": "Aucun justificatif."}
    audit = RenewalAudit.objects.get()
    return world.committee_member, url("certification:committee_audit", audit.pk), post


# --- What each form would write -----------------------------------------------------------------


def rows(*labels: str) -> Callable[[], tuple]:
    def count() -> tuple:
        from django.apps import apps

        return tuple(apps.get_model(label).objects.count() for label in labels)

    return count


def snapshot(label: str, *names: str) -> Callable[[], list]:
    def read() -> list:
        from django.apps import apps

        return list(apps.get_model(label).objects.order_by("pk").values_list(*names))

    return read


LOGBOOK = snapshot("supervision.PracticeEntry", "status", "description", "reflection")
SESSIONS = snapshot("supervision.SupervisionSession", "status", "title", "description")
CERTIFICATES = snapshot("certification.Certificate", "status")
APPLICATIONS = snapshot("certification.Application", "status", "statement")

CASES = [
    Case("logbook entry", logbook_create, ["description", "reflection"], LOGBOOK),
    Case("logbook edit", logbook_edit, ["description", "reflection"], LOGBOOK),
    Case("logbook correction", logbook_correct, ["description", "reflection"], LOGBOOK),
    Case("logbook review", logbook_review, ["comment"], LOGBOOK),
    Case(
        "new session",
        session_create,
        ["title", "address", "description", "video_url"],
        SESSIONS,
        code=None,  # the URL field's own validator checks its length first
    ),
    Case("session edit", session_edit, ["title", "address", "description"], SESSIONS),
    Case("session cancel", session_cancel, ["reason"], SESSIONS),
    Case(
        "attendance correction",
        record_correct,
        ["reason"],
        snapshot("supervision.SupervisionRecord", "status", "reason"),
    ),
    Case("application", apply, ["statement"], APPLICATIONS),
    Case("application completed", application_complete, ["statement"], APPLICATIONS),
    Case("supervisor opinion", opinion, ["text"], snapshot("certification.SupervisorOpinion")),
    Case("committee decision", decision, ["reason"], APPLICATIONS),
    Case("committee status change", committee_status, ["reason"], CERTIFICATES),
    Case("holder status change", holder_status, ["reason"], CERTIFICATES),
    Case(
        "registry profile",
        registry_profile,
        ["city", "languages", "bio"],
        snapshot("certification.RegistryProfile", "listed", "city", "languages", "bio"),
    ),
    Case(
        "registry contact",
        registry_contact,
        ["name", "message", "website"],
        rows("institut.User"),  # and no e-mail: checked below
    ),
    Case("lesson reflection", reflection, ["text"], snapshot("courses.ReflectionAnswer", "text")),
    Case("profile", profile, ["full_name"], snapshot("institut.User", "full_name")),
    Case("sign-up", signup, ["full_name"], rows("institut.User")),
    Case(
        "sign-up, allauth's fields",
        signup,
        ["email", "password1", "password2"],
        rows("institut.User"),
        code=None,
    ),
    Case("log-in", login, ["login", "password"], rows("institut.User"), code=None),
    Case("password reset", password_reset, ["email"], rows("institut.User"), code=None),
    Case(
        "funded enrolment (admin)",
        funded_enrolment,
        ["reference", "payer_name", "payer_address"],
        rows("courses.Enrolment", "courses.Funding"),
    ),
    Case(
        "funded enrolment (admin), e-mails",
        funded_enrolment,
        ["email", "payer_email"],
        rows("courses.Enrolment", "courses.Funding"),
        code=None,
    ),
    Case(
        "training session cancel",
        training_cancel,
        ["reason"],
        snapshot("courses.TrainingSession", "status", "cancellation_reason"),
    ),
    Case(
        "training satisfaction",
        training_satisfaction,
        ["comment"],
        rows("courses.SatisfactionResponse", "courses.SatisfactionAnswer"),
    ),
    Case(
        "logbook co-signature request",
        cosign_request,
        ["supervisor_name"],
        rows("supervision.PeriodCosignRequest"),
    ),
    Case(
        "logbook co-signature by the external supervisor",
        cosign_confirm,
        ["signer_name"],
        snapshot("supervision.PeriodSummary", "status"),
    ),
    Case(
        "renewal audit outcome",
        audit_outcome,
        ["reason"],
        snapshot("certification.RenewalAudit", "status", "outcome_reason"),
    ),
    Case("registry search", registry_search, ["q"], rows("institut.User"), method="get"),
    Case("verification", verify, ["numero"], rows("institut.User"), method="get"),
]


class World:
    """The people and the catalogue the cases need, made on first use."""

    def __init__(self, request):
        self.request = request

    def __getattr__(self, name):
        if name == "admin":
            value = UserFactory(
                is_superuser=True, is_staff=True, roles=[Role.EDITOR], second_factor=True
            )
        else:
            value = self.request.getfixturevalue(name)
        setattr(self, name, value)
        return value


def form_errors(response) -> dict[str, list]:
    """The errors of every form the page was rendered with, by field, as ValidationErrors."""
    contexts = response.context if isinstance(response.context, list) else [response.context]
    values = [value for context in contexts for layer in context.dicts for value in layer.values()]
    # A form may also sit one level down (the lesson page's {"reflection": {"form": ...}}).
    values += [inner for value in values if isinstance(value, dict) for inner in value.values()]
    forms = {id(value): value for value in values if isinstance(value, BaseForm) and value.is_bound}
    errors: dict[str, list] = {}
    for form in forms.values():
        for name, found in form.errors.as_data().items():
            errors.setdefault(name, []).extend(found)
    return errors


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "name"),
    [pytest.param(case, name, id=f"{case.id}: {name}") for case in CASES for name in case.fields],
)
def test_it_answers_a_megabyte_in_a_text_field_with_the_form_error(
    client, request, mailoutbox, case, name
):
    user, target, post = case.setup(World(request))
    if user is not None:
        client.force_login(user)
    before = case.written()
    mailoutbox.clear()

    response = getattr(client, case.method)(target, {**post, name: MEGABYTE})

    assert response.status_code in case.statuses, response.status_code
    errors = form_errors(response)
    assert errors, "the form came back without any error"
    if case.code is not None:
        # The length error, and nothing from a validator that would have read the text (a
        # form's clean() may add that the field is missing).
        codes = [error.code for error in errors[name]]
        assert case.code in codes
        assert not {"contains_email", "contains_phone", "invalid"} & set(codes)
        assert "au plus" in " ".join(message for e in errors[name] for message in e.messages)
    assert case.written() == before
    assert not mailoutbox


# Left out: the pasted badge is bounded in clean_contenu() by a setting read at each post (and
# answered with the verification's own message); passwords are hashed, never kept, and Django's
# password validators bound the work they do (allauth's are checked above, with code=None).
BOUNDED_ELSEWHERE = {"certification.credentials.forms.VerifyFileForm.contenu"}
PASSWORDS = {"password", "password1", "password2"}


def _unbounded(form_class, prefix: str) -> list[str]:
    """The text fields of a form class (and of its inline formsets) without a maximum length."""
    from django import forms as django_forms
    from wagtail.fields import RichTextField
    from wagtail.models import Page

    model = getattr(getattr(form_class, "_meta", None), "model", None)
    wagtails_own = {f.name for f in Page._meta.get_fields()} if model else set()
    found = []
    for name, field_ in form_class.base_fields.items():
        model_field = (
            next((f for f in model._meta.fields if f.name == name), None) if model else None
        )
        if (
            isinstance(field_, django_forms.CharField)
            and field_.max_length is None
            and name not in wagtails_own  # Wagtail's own page fields (title, SEO) are its own
            and name not in PASSWORDS
            and f"{prefix}.{name}" not in BOUNDED_ELSEWHERE
            and not isinstance(model_field, RichTextField)  # HTML, bounded by the request
        ):
            found.append(f"{prefix}.{name}")
    for relation, formset in getattr(form_class, "formsets", {}).items():
        found += _unbounded(formset.form, f"{prefix}.{relation}")
    return found


def test_every_text_field_of_the_sites_forms_is_bounded():
    """Each of our forms' text fields has a maximum length (the guard needs one)."""
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = [
        ".".join(path.relative_to(root).with_suffix("").parts)
        for pattern in ("*/forms.py", "*/*/forms.py")
        for path in sorted(root.glob(pattern))
        if path.parts[-3] not in ("tests", "benchmarks", ".venv")
    ]
    unbounded = [
        found
        for module in map(importlib.import_module, names)
        for form in vars(module).values()
        if isinstance(form, type)
        and issubclass(form, BaseForm)
        and form.__module__ == module.__name__
        for found in _unbounded(form, f"{module.__name__}.{form.__name__}")
    ]
    assert len(names) >= 12
    assert unbounded == []


def test_every_text_field_editors_and_staff_type_in_the_admin_is_bounded():
    """The page editor's forms, the admin's models and the site settings: text typed there is
    bounded too (and, for pages, kept bounded in the translations wagtail-localize builds)."""
    from django.urls import get_resolver
    from wagtail.admin.panels import get_edit_handler
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.model import ModelViewSet
    from wagtail.contrib.settings.registry import registry as settings_registry
    from wagtail.models import get_page_models

    ours = ("courses", "certification", "supervision", "home", "institut")
    assert get_resolver().url_patterns  # loading the URL map registers the admin viewsets
    forms = [
        (model.__name__, get_edit_handler(model).get_form_class())
        for model in [*get_page_models(), *settings_registry]
        if model._meta.app_label in ours
    ]
    forms += [
        (viewset.model.__name__, viewset.get_form_class())
        for viewset in viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and viewset.model._meta.app_label in ours
    ]
    unbounded = [found for name, form in forms for found in _unbounded(form, name)]
    assert {"CoursePage", "CertificationScheme", "CharterVersion", "InstitutSettings"} <= {
        name for name, _form in forms
    }
    assert unbounded == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("R" * 101, "« reference » : 100 caractères au plus"),
        (HUGE, "une valeur dépasse 128 Ko"),  # longer than Python's csv module reads
    ],
    ids=["over the column's length", "200 KB"],
)
def test_it_refuses_a_funding_csv_with_an_over_long_value(client, request, value, message):
    world = World(request)
    funded_enrolment(world)
    client.force_login(world.admin)
    text = f"email,course,funding,reference,payer\n{world.trainee.email},x,employer,{value},M\n"
    upload = SimpleUploadedFile("import.csv", text.encode(), content_type="text/csv")

    response = client.post(url("courses_funding_import"), {"file": upload, "action": "import"})

    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert value not in body
    assert rows("courses.Enrolment", "courses.Funding")() == (0, 0)


@pytest.mark.django_db
def test_it_refuses_a_funding_csv_over_a_megabyte(client, request):
    world = World(request)
    client.force_login(world.admin)
    upload = io.BytesIO(b"email,course,funding,reference,payer\n" + b"x" * (1024 * 1024))
    upload.name = "import.csv"

    response = client.post(url("courses_funding_import"), {"file": upload})

    assert response.status_code == 200
    assert "1 Mo" in str(form_errors(response)["file"][0].messages)
