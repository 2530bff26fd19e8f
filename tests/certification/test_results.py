"""The results the certification publishes (Qualiopi indicator 2): the share of applications the
committee granted among those it decided in the last 12 months, first certifications and renewals
apart, and how many practitioners hold a valid certificate today; computed from the decision
events and the certificates, never typed, and a notice below the Institut's minimum."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from certification import services
from certification.models import Application, ApplicationEvent, CertificationScheme
from certification.selectors import certification_results
from certification.services import Decision
from home import demo as home_demo
from home.models import InstitutSettings
from institut.lib.rates import year_before
from tests.certification import helpers
from tests.certification.factories import make_certificate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOT_ENOUGH = "Pas encore assez de décisions de la commission pour publier un taux."
REGISTRY = reverse("certification:registry")
STATEMENT = "J'interviens depuis deux ans dans des quartiers où la coopération était bloquée."
OUTCOMES = {"granted": "granted", "refused": "refused", "grant_refused": "refused"}


@pytest.fixture
def bare_scheme(db):
    return CertificationScheme.objects.create()


def decided(scheme, action: str, at: datetime, *, kind: str = Application.Kind.INITIAL):
    """An application as the committee left it: its status and its deciding event at `at`
    (written directly: a decided application is permanent, and the services decide now)."""
    status = OUTCOMES.get(action, "refused")  # a withdrawal ends as refused too
    application = Application.objects.create(
        applicant=UserFactory(),
        scheme=scheme,
        kind=kind,
        statement=STATEMENT,
        status=status,
        submitted_at=at - timedelta(days=20),
        decided_at=at,
    )
    ApplicationEvent.objects.create(
        application=application, action=action, from_status="submitted", to_status=status, at=at
    )
    return application


def minimum(value: int) -> None:
    details = InstitutSettings.for_site(Site.objects.get(is_default_site=True))
    details.results_min_responses = value
    details.save()


# --- The computation -----------------------------------------------------------------------------

# 00:30 in Paris on 1 March is still 28 February in UTC: the period is counted in Paris.
NOW = datetime(2027, 3, 1, 0, 30, tzinfo=PARIS)
OPENS = datetime(2026, 3, 1, 0, 0, tzinfo=PARIS)  # midnight of the same day a year before


def test_the_period_is_the_twelve_months_before_now_counted_in_paris(bare_scheme):
    figures = certification_results(min_decisions=1, now=NOW)
    assert (figures.since.isoformat(), figures.until.isoformat()) == ("2026-03-01", "2027-03-01")
    leap = certification_results(min_decisions=1, now=datetime(2028, 2, 29, 12, tzinfo=PARIS))
    assert leap.since.isoformat() == "2027-02-28"


def test_only_decisions_after_the_period_opens_and_until_now_count(bare_scheme):
    decided(bare_scheme, "refused", OPENS)  # the very instant it opens: the day before's end
    decided(bare_scheme, "refused", OPENS - timedelta(days=30))
    decided(bare_scheme, "granted", OPENS + timedelta(seconds=1))
    decided(bare_scheme, "granted", NOW)
    decided(bare_scheme, "refused", NOW + timedelta(seconds=1))  # after now: not yet
    figures = certification_results(min_decisions=1, now=NOW)
    assert (figures.decided, figures.granted, figures.success_rate) == (2, 2, 100)


def test_withdrawn_and_open_applications_are_not_counted_a_grant_refused_is(bare_scheme):
    at = NOW - timedelta(days=10)
    decided(bare_scheme, "granted", at)
    decided(bare_scheme, "grant_refused", at)  # a requirement no longer held: not certified
    decided(bare_scheme, "withdrawn", at)
    for status in (Application.Status.SUBMITTED, Application.Status.MORE_REQUESTED):
        Application.objects.create(
            applicant=UserFactory(), scheme=bare_scheme, statement=STATEMENT, status=status
        )
    figures = certification_results(min_decisions=1, now=NOW)
    assert (figures.decided, figures.granted, figures.success_rate) == (2, 1, 50)


def test_renewals_are_counted_apart_from_first_certifications(bare_scheme):
    at = NOW - timedelta(days=40)
    for action in ("granted", "granted", "refused"):
        decided(bare_scheme, action, at)
    decided(bare_scheme, "granted", at, kind=Application.Kind.RENEWAL)
    figures = certification_results(min_decisions=1, now=NOW)
    assert (figures.decided, figures.granted, figures.success_rate) == (3, 2, 67)
    assert (figures.renewals_decided, figures.renewals_granted, figures.renewal_rate) == (1, 1, 100)


def test_below_the_minimum_no_rate_is_published_and_at_the_minimum_it_is(bare_scheme):
    for _index in range(4):
        decided(bare_scheme, "granted", NOW - timedelta(days=5))
    figures = certification_results(now=NOW)  # the Institut's setting: 5 by default
    assert (figures.decided, figures.min_decisions, figures.enough) == (4, 5, False)
    decided(bare_scheme, "refused", NOW - timedelta(days=4))
    figures = certification_results(now=NOW)
    assert figures.enough and figures.success_rate == 80
    assert not figures.renewals_enough


def test_the_minimum_is_the_course_pages_setting(bare_scheme):
    home_demo.create_site()
    decided(bare_scheme, "granted", NOW - timedelta(days=5))
    minimum(1)
    assert certification_results(now=NOW).enough


def test_holders_are_practitioners_with_an_active_unexpired_certificate(bare_scheme):
    today = timezone.localdate()
    make_certificate(UserFactory(), scheme=bare_scheme)
    make_certificate(UserFactory(), scheme=bare_scheme, valid_until=today)  # its last day
    make_certificate(UserFactory(), scheme=bare_scheme, status="suspended")
    make_certificate(UserFactory(), scheme=bare_scheme, status="revoked")
    # Active on paper, past its end date: the daily run has not recorded the expiry yet.
    make_certificate(UserFactory(), scheme=bare_scheme, valid_until=today - timedelta(days=1))
    assert certification_results(min_decisions=1).holders == 2


def test_real_decisions_of_the_committee_are_counted(eligible, committee_member, trainer):
    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    helpers.favourable_opinion(application, trainer)
    services.application_decide(
        application=application, actor=committee_member, decision=Decision.GRANT
    )
    figures = certification_results(min_decisions=1)
    assert (figures.decided, figures.granted, figures.holders) == (1, 1, 1)


def test_the_results_take_two_queries_whatever_the_applications(
    bare_scheme, django_assert_max_num_queries
):
    for days in range(1, 300, 3):
        decided(bare_scheme, "granted" if days % 2 else "refused", NOW - timedelta(days=days))
        decided(bare_scheme, "granted", NOW - timedelta(days=days), kind="renewal")
    with django_assert_max_num_queries(2):
        figures = certification_results(min_decisions=5, now=NOW)
    assert (figures.decided, figures.renewals_decided) == (100, 100)


# --- The pages -----------------------------------------------------------------------------------


@pytest.fixture
def rated(bare_scheme):
    """Six first certifications decided (five granted) and one renewal in the last 12 months;
    two valid certificates."""
    home_demo.create_site()
    now = timezone.now()
    for days, action in ((200, "granted"), (90, "granted"), (60, "refused"), (30, "granted")):
        decided(bare_scheme, action, now - timedelta(days=days))
    decided(bare_scheme, "granted", now - timedelta(days=20))
    decided(bare_scheme, "granted", now - timedelta(days=10))
    decided(bare_scheme, "granted", now - timedelta(days=15), kind=Application.Kind.RENEWAL)
    decided(bare_scheme, "refused", now - timedelta(days=400))  # before the period
    for _index in range(2):
        make_certificate(UserFactory(), scheme=bare_scheme)
    return bare_scheme


def section(response) -> str:
    html = response.content.decode()
    return html.split('id="certification-results-title"', 1)[1].split("</section>", 1)[0]


def test_the_registry_publishes_the_results_in_french(client, rated):
    block = section(client.get(REGISTRY))
    assert ">Résultats de la certification</h2>" in block
    assert (
        "83 % des candidat·es ont obtenu la certification, sur 6 candidatures à une première "
        "certification décidées par la commission" in block
    )
    assert (
        "2 intervenant·es détiennent aujourd'hui un certificat TST® en cours de validité, "
        "figurant ou non au registre" in block
    )
    # One renewal decided: below the minimum, the renewals line says so.
    assert block.split("Renouvellements")[1].count(NOT_ENOUGH) == 1
    since = year_before(timezone.localdate())
    assert f"Candidatures décidées par la commission du {since.day} " in block


def test_the_registry_publishes_the_same_results_in_english(client, rated):
    block = section(client.get("/en/registre/"))
    assert ">Certification results</h2>" in block
    assert (
        "83% of candidates obtained the certification, out of 6 applications for a first "
        "certification decided by the committee" in block
    )
    assert "2 practitioners hold a valid TST® certificate today" in block
    assert "Not enough committee decisions yet to publish a rate." in block
    assert "Applications decided by the committee from " in block
    assert "candidat·es" not in block


def test_below_the_minimum_the_pages_say_there_are_not_enough_decisions(
    client, bare_scheme, eligible
):
    home_demo.create_site()
    decided(bare_scheme, "granted", timezone.now() - timedelta(days=3))
    block = section(client.get(REGISTRY))
    assert block.count(NOT_ENOUGH) == 2
    assert "%" not in block
    assert "Aucun·e intervenant·e ne détient aujourd'hui de certificat TST®" in block
    client.force_login(eligible)
    path = section(client.get(reverse("certification:path")))
    assert path.count(NOT_ENOUGH) == 2


def test_the_path_to_certification_publishes_the_results(client, rated, eligible):
    client.force_login(eligible)
    block = section(client.get(reverse("certification:path")))
    assert "83 % des candidat·es ont obtenu la certification" in block


def test_the_registry_queries_stay_bounded_with_many_applications(
    client, bare_scheme, django_assert_max_num_queries
):
    home_demo.create_site()
    now = timezone.now()
    for days in range(1, 360, 4):
        decided(bare_scheme, "granted" if days % 3 else "refused", now - timedelta(days=days))
    client.get(REGISTRY)  # warm what is kept (the Institut's settings)
    from certification.registry import cache as registry_cache

    registry_cache.invalidate()  # the page is made again, not served from the page cache
    # The page as before (tests/certification/registry/test_search.py), 2 for the results.
    with django_assert_max_num_queries(6):
        response = client.get(REGISTRY)
    assert "sur 90 candidatures" in section(response)


def test_the_minimums_help_text_says_it_governs_the_certifications_rates_too(db):
    help_text = InstitutSettings._meta.get_field("results_min_responses").help_text

    with translation.override("fr"):
        french = str(help_text)
    with translation.override("en"):
        english = str(help_text)

    assert "de décisions de la commission pour le taux d'obtention" in french
    assert "pages des formations" in french
    assert "of committee decisions for the success rate" in english
    assert "course pages" in english


# --- The anonymous page cache --------------------------------------------------------------------


def test_a_refusal_refreshes_the_cached_registry(
    client, bare_scheme, eligible, committee_member, django_capture_on_commit_callbacks
):
    home_demo.create_site()
    minimum(1)
    assert NOT_ENOUGH in client.get(REGISTRY).content.decode()  # now cached
    application = services.application_submit(applicant=eligible, statement=STATEMENT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.application_decide(
            application=application,
            actor=committee_member,
            decision=Decision.REFUSE,
            reason="La pratique des sous-groupes reste à approfondir.",
        )
    assert callbacks
    assert "0 % des candidat·es ont obtenu la certification" in section(client.get(REGISTRY))


def test_a_new_minimum_refreshes_the_cached_registry(client, bare_scheme):
    home_demo.create_site()
    decided(bare_scheme, "granted", timezone.now() - timedelta(days=3))
    assert NOT_ENOUGH in client.get(REGISTRY).content.decode()  # now cached
    minimum(1)
    assert "100 % des candidat·es ont obtenu la certification" in section(client.get(REGISTRY))


def test_searches_read_the_results_kept_until_a_decision_makes_new_ones(client, bare_scheme):
    """Counting the holders costs a scan of the certificates: each search does not pay it again;
    a decision (any change the registry shows) makes the published figures new."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    home_demo.create_site()
    minimum(1)
    decided(bare_scheme, "granted", timezone.now() - timedelta(days=3))
    assert "100 % des candidat·es" in section(client.get(REGISTRY, {"q": "Martin"}))

    with CaptureQueriesContext(connection) as queries:
        again = section(client.get(REGISTRY, {"q": "Durand"}))  # another page, not cached
    assert "100 % des candidat·es" in again
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "certification_applicationevent" not in read
    assert "COUNT(DISTINCT" not in read

    decided(bare_scheme, "refused", timezone.now() - timedelta(days=1))
    assert "50 % des candidat·es" in section(client.get(REGISTRY, {"q": "Bernard"}))
