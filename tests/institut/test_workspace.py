"""The person's space per role: where login lands, each role's part, the navigation bar, and the
clear page that keeps signed-in people without admin access out of /admin/ (no redirect loop)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from certification.models import Application
from courses.payments.services import checkout
from courses.services import CourseActionRefused
from institut.roles import Role
from supervision import services as supervision_services
from supervision.models import SupervisionSession
from supervision.workspace import today_bounds
from tests.certification.helpers import attend_supervision, make_scheme
from tests.courses.conftest import build_course
from tests.courses.payments.stripe_standin import pay
from tests.factories import PASSWORD, UserFactory
from tests.supervision.factories import SessionFactory
from tests.supervision.logbook.helpers import assign, days_ago, make_entry

pytestmark = pytest.mark.django_db


def login(client, user, *, prefix: str = "", next_url: str | None = None):
    data = {"login": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(f"{prefix}/comptes/login/", data)


def session_today(trainer, *, minutes: int = 1, **extra) -> SupervisionSession:
    """A session of today (whatever the hour the test runs), `minutes` after midnight."""
    start, _ = today_bounds(timezone.now())
    starts = start + timedelta(minutes=minutes)
    return SessionFactory(trainer=trainer, starts_at=starts, ends_at=starts + timedelta(hours=1))


def make_application(applicant, status=Application.Status.SUBMITTED) -> Application:
    scheme = make_scheme()
    # Written directly: the submission service asks for a complete path, beside the point here.
    return Application.objects.create(
        applicant=applicant, scheme=scheme, statement="Ma pratique de terrain.", status=status
    )


@pytest.fixture
def paid_course(catalogue):
    return build_course(catalogue, title="Fondamentaux", lessons=1, price_cents=45000)


def checkout_refused(stripe_api, user, course) -> None:
    """Stripe answers the Checkout of `user` with an error: the payment is left in error."""
    stripe_api.status = 500
    with pytest.raises(CourseActionRefused):
        checkout.checkout_start(user=user, course=course)
    stripe_api.status = 200


# --- Where login lands ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "attributes",
    [
        {"roles": [Role.TRAINEE]},
        {"roles": [Role.TRAINER]},
        {"roles": [Role.COMMITTEE]},
        {"is_staff": True},
        {"roles": [Role.TRAINER, Role.TRAINEE]},
    ],
    ids=["trainee", "trainer", "committee", "staff", "trainer-and-trainee"],
)
def test_it_lands_each_role_on_their_space_after_login(client, attributes):
    user = UserFactory(**attributes)
    response = login(client, user)
    assert response.status_code == 302
    assert response.url == "/espace/"
    assert client.get(response.url).status_code == 200


def test_it_lands_on_the_english_space_when_logging_in_in_english(client, trainee):
    response = login(client, trainee, prefix="/en")
    assert response.url == "/en/espace/"


def test_it_keeps_next_when_given(client):
    # A trainer without an authenticator: the password completes the login.
    response = login(client, UserFactory(roles=[Role.TRAINER]), next_url="/registre/")
    assert response.url == "/registre/"


def test_it_lands_a_person_without_any_role_on_the_home_page(client):
    response = login(client, UserFactory())
    assert response.url == "/"


# --- The trainer's part -----------------------------------------------------------------------


@pytest.fixture
def two_trainers(trainer, other_trainer, trainee, other_trainee):
    """Each trainer supervises one trainee, who submitted an entry and has a session today."""
    assign(trainee, trainer)
    assign(other_trainee, other_trainer)
    make_entry(trainee, "submitted", description="Atelier au collège Jean-Moulin, en confiance.")
    make_entry(other_trainee, "submitted", description="Réunion du conseil citoyen de Belleville.")
    session_today(trainer).description = "Séance de Hélène"
    SessionFactory(trainer=trainer, starts_at=today_bounds(timezone.now())[1] + timedelta(hours=1))
    session_today(other_trainer, minutes=2)
    return trainer


def test_it_shows_a_trainer_the_entries_to_review_of_their_own_trainees_only(
    client, two_trainers, trainee, other_trainee
):
    client.force_login(two_trainers)
    body = client.get("/espace/").content.decode()
    assert "Entrées de carnet à relire" in body
    assert trainee.full_name in body
    assert other_trainee.full_name not in body
    assert "Voir l'entrée à relire" in body


def test_it_links_each_entry_to_review_to_its_page_not_to_the_form_s_post_address(
    client, two_trainers, trainee
):
    entry = trainee.practice_entries.get()
    client.force_login(two_trainers)
    body = client.get("/espace/").content.decode()
    assert f'href="/carnet-de-pratique/entrees/{entry.pk}/"' in body
    assert f"/carnet-de-pratique/entrees/{entry.pk}/relire/" not in body


def test_it_shows_a_trainer_their_supervision_sessions_of_today_only(client, two_trainers):
    client.force_login(two_trainers)
    response = client.get("/espace/")
    today = response.context["spaces"][0]
    assert today["key"] == "trainer"
    html = "".join(today["panels"])
    mine = SupervisionSession.objects.filter(trainer=two_trainers).order_by("starts_at")
    today_session, tomorrow_session = mine
    assert f"/supervision/seances/{today_session.pk}/" in html
    assert f"/supervision/seances/{tomorrow_session.pk}/" not in html
    theirs = SupervisionSession.objects.exclude(trainer=two_trainers).get()
    assert f"/supervision/seances/{theirs.pk}/" not in html


def test_it_lists_the_trainees_needing_attention_of_this_trainer_only(
    client, trainer, other_trainer, trainee, other_trainee
):
    followed = UserFactory(full_name="Suivie Régulièrement", roles=[Role.TRAINEE])
    for person in (trainee, followed):
        assign(person, trainer)
    assign(other_trainee, other_trainer)
    attend_supervision(followed, trainer, days_ago_=10)
    # The trainee's entry has waited 10 days for a review: they need attention on two counts.
    with_wait = make_entry(trainee, "submitted", date=days_ago(12))
    type(with_wait).objects.filter(pk=with_wait.pk).update(
        submitted_at=timezone.now() - timedelta(days=10)
    )
    client.force_login(trainer)
    html = "".join(client.get("/espace/").context["spaces"][0]["panels"])
    attention = html[html.index("Stagiaires à suivre") :]
    assert trainee.full_name in attention
    assert "une entrée attend votre relecture depuis le" in attention
    assert "aucune séance de supervision suivie" in attention
    assert followed.full_name not in attention
    assert other_trainee.full_name not in attention


def test_it_keeps_the_trainers_space_to_a_bounded_number_of_queries(
    client, trainer, django_assert_max_num_queries
):
    for index in range(12):
        person = UserFactory(full_name=f"Stagiaire {index:02}", roles=[Role.TRAINEE])
        assign(person, trainer)
        make_entry(person, "submitted")
        session = session_today(trainer, minutes=index + 1)
        supervision_services.booking_record_held(session=session, trainee=person, actor=trainer)
    client.force_login(trainer)
    # 17: one more since a holder outside training has « Ma certification » (whether the
    # trainer holds a certificate, read once for the page and its navigation).
    with django_assert_max_num_queries(17):
        response = client.get("/espace/")
    body = response.content.decode()
    assert body.count('<li><a href="/supervision/seances/') == 12
    assert "Voir les 12 entrées à relire" in body


# --- The committee's and the team's parts ------------------------------------------------------


def test_it_shows_the_committee_the_applications_waiting_for_a_decision(
    client, committee_member, trainee, other_trainee
):
    waiting = make_application(trainee)
    make_application(other_trainee, Application.Status.MORE_REQUESTED)
    client.force_login(committee_member)
    body = client.get("/espace/").content.decode()
    assert "Candidatures en attente de décision" in body
    assert f"/certification/commission/candidatures/{waiting.pk}/" in body
    assert "1 candidature attend les compléments demandés." in body
    assert other_trainee.full_name not in body


def test_it_shows_no_committee_part_to_trainers(client, trainer, trainee):
    make_application(trainee)
    client.force_login(trainer)
    body = client.get("/espace/").content.decode()
    assert "Candidatures en attente de décision" not in body
    assert trainee.full_name not in body


def test_it_shows_the_team_the_payments_to_act_on(
    client, trainee, paid_course, stripe_api, django_assert_max_num_queries
):
    checkout_refused(stripe_api, trainee, paid_course)
    pay(client, trainee, paid_course)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    # One count per action item, whatever the number of rows.
    with django_assert_max_num_queries(14):
        body = client.get("/espace/").content.decode()
    assert "Équipe de l&#x27;Institut" in body
    item = 'Paiements en erreur ou bloqués</a> — <strong class="badge badge-warn">1</strong>'
    assert item in body


def test_it_shows_the_team_the_failed_emails_and_held_payments_with_filtered_links(
    client, trainee, paid_course, stripe_api
):
    from institut.outbox.models import OutboxEmail
    from institut.outbox.services import email_enqueue

    pay(client, trainee, paid_course, amount_total=4500)
    for number in range(2):
        email_enqueue(
            kind="test", to=f"personne{number}@example.org", subject="Objet", text="Bonjour"
        )
    OutboxEmail.objects.update(status="failed")
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    body = client.get("/espace/").content.decode()
    assert 'href="/admin/parametres/emails/?status=failed">E-mails en échec</a> — <strong' in body
    assert '<strong class="badge badge-warn">2</strong>' in body
    assert '?status=held">Paiements retenus (montant inattendu)</a>' in body


def test_it_shows_no_team_part_to_trainees(client, trainee):
    client.force_login(trainee)
    body = client.get("/espace/").content.decode()
    assert "Paiements en erreur ou bloqués" not in body
    assert 'id="espace-staff"' not in body


def test_it_shows_a_person_with_several_roles_every_part_with_links_to_each(client):
    person = UserFactory(roles=[Role.TRAINEE, Role.TRAINER, Role.COMMITTEE])
    client.force_login(person)
    body = client.get("/espace/").content.decode()
    for key in ("trainee", "trainer", "committee"):
        assert f'href="#espace-{key}"' in body
        assert f'id="espace-{key}"' in body
    assert "Formations en cours" in body
    assert "Entrées de carnet à relire" in body
    assert "Candidatures en attente de décision" in body


# --- The navigation bar ---------------------------------------------------------------------


def test_it_shows_the_trainers_sections_in_a_navigation_landmark(client, trainer):
    client.force_login(trainer)
    body = client.get("/espace/").content.decode()
    nav = body[body.index('<nav class="space-nav"') : body.index("</nav>", body.index("space-nav"))]
    assert 'aria-label="Mon espace"' in nav
    assert '<a href="/espace/" aria-current="page">Mon espace</a>' in nav
    assert 'href="/supervision/">Supervision</a>' in nav
    assert "Carnets de pratique à relire" in nav
    assert "Mon parcours de certification" not in nav


def test_it_marks_the_current_section_in_the_navigation_bar(client, trainer):
    client.force_login(trainer)
    body = client.get("/supervision/").content.decode()
    assert '<a href="/supervision/" aria-current="page">Supervision</a>' in body
    assert '<a href="/espace/">Mon espace</a>' in body


def test_it_names_the_training_sessions_for_staff_who_lead_none_without_saying_they_lead_them(
    client, db
):
    staff = UserFactory(is_staff=True, is_superuser=True, second_factor=True)
    client.force_login(staff)
    body = client.get("/formation/sessions/").content.decode()
    nav = body[body.index('<nav class="space-nav"') : body.index("</nav>", body.index("space-nav"))]
    assert 'aria-current="page">Sessions de formation</a>' in nav
    assert "à animer" not in nav
    assert "<title>Toutes les sessions de formation" in body


def test_it_shows_no_navigation_bar_to_visitors(client, db):
    assert 'class="space-nav"' not in client.get("/registre/").content.decode()


# --- /admin/ for people without access ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/login/?next=/admin/"])
def test_it_answers_a_clear_page_to_a_trainee_following_admin_links(client, trainee, path):
    client.force_login(trainee)
    response = client.get(path)
    assert response.status_code == 403
    body = response.content.decode()
    assert "<h1>Cet espace est réservé à l'équipe de l'Institut</h1>" in body
    assert 'href="/espace/"' in body
    assert 'class="site-header"' in body  # in the site's layout


def test_it_speaks_english_on_the_admin_refusal_page_to_english_speakers(client, trainer):
    client.force_login(trainer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/admin/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "This area is reserved for the Institut's team" in body
    assert 'href="/en/espace/"' in body


def test_it_still_sends_anonymous_visitors_to_log_in_for_the_admin(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response.url


def test_it_lets_staff_into_the_admin(client):
    staff = UserFactory(is_staff=True, is_superuser=True, second_factor=True)
    client.force_login(staff)  # with the second factor of a real login (tests/conftest.py)
    assert client.get("/admin/").status_code == 200
