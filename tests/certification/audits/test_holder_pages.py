"""The holder's certificate page and space say that a renewal audit waits for their evidence,
by when, and that it is late once the deadline's day is over (Paris); the committee's list says
which audits are late. Dates come from the project's clock."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from certification.audits import services as audits
from institut import personal_pages
from institut.roles import Role
from institut.templatetags.dates import date as page_date
from tests.certification.audits.test_audits import at, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

CERTIFICATE_PAGE_QUERIES = 4  # 3, and the open audit
SPACE_QUERIES = 8  # 7, and the open audit
PATH = "/certification/"


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def long_date(day: dt.date, language: str) -> str:
    """As the pages write it, through the site's `date` filter (« 1er mars 2027 »)."""
    with translation.override(language):
        return page_date(day, "j F Y")


@pytest.fixture
def audit(audit):
    """The holder follows the training too: their space has the certification panel."""
    audit.certificate.holder.groups.add(Group.objects.get(name=Role.TRAINEE.value))
    return audit


def pages(audit, prefix=""):
    number = audit.certificate.number
    return (f"{prefix}/certification/certificats/{number}/", f"{prefix}/espace/")


def test_the_certificate_page_and_the_space_say_by_when_to_upload(client, audit):
    client.force_login(audit.certificate.holder)
    link = f'href="/certification/audits/{audit.pk}/"'
    for url in pages(audit):
        response = client.get(url)
        deadline = long_date(audit.deadline, "fr")
        assert f"Audit de renouvellement : justificatifs à déposer avant le {deadline}." in text(
            response
        ), url
        assert link in response.content.decode(), url
        assert "en retard" not in text(response)
    for url in pages(audit, "/en"):
        response = client.get(url)
        deadline = long_date(audit.deadline, "en")
        assert f"Renewal audit: evidence to upload by {deadline}." in text(response), url
        assert f'href="/en/certification/audits/{audit.pk}/"' in response.content.decode()


def test_they_say_it_is_late_once_the_deadline_s_day_is_over(client, audit):
    client.force_login(audit.certificate.holder)
    with at(audit.deadline, hour=23):  # the last day, late in the evening: still in time
        for url in pages(audit):
            assert "à déposer avant le" in text(client.get(url)), url
    # A kept space lives PERSONAL_PAGE_SECONDS at most, by the cache's own clock, which the
    # test's travel does not move: forget it as those seconds would.
    personal_pages.forget_person(audit.certificate.holder.pk)
    with at(audit.deadline + dt.timedelta(days=1), hour=0):
        for url in pages(audit):
            deadline = long_date(audit.deadline, "fr")
            assert f"justificatifs en retard depuis le {deadline}." in text(client.get(url))
        for url in pages(audit, "/en"):
            deadline = long_date(audit.deadline, "en")
            assert f"Renewal audit: evidence late since {deadline}." in text(client.get(url))


def test_once_the_evidence_is_sent_the_line_says_it_waits_for_the_committee(
    client, audit, committee_member
):
    """The space is kept per person (institut.personal_pages): each step shows at once."""
    holder = audit.certificate.holder
    client.force_login(holder)
    certificate_page, space = pages(audit)
    audits.audit_evidence_add(audit=audit, holder=holder, category="training", upload=pdf())
    assert "justificatifs à déposer avant le" in text(client.get(space))  # added, not yet sent
    audits.audit_submit(audit=audit, holder=holder)
    audit.refresh_from_db()
    link = f'href="/certification/audits/{audit.pk}/"'
    for url in (certificate_page, space, PATH):
        response = client.get(url)
        sent = long_date(timezone.localdate(audit.submitted_at), "fr")
        assert (
            f"Audit de renouvellement : justificatifs déposés le {sent}, en attente de la "
            "décision de la commission."
        ) in text(response), url
        assert f"{link}>Voir mon audit</a>" in response.content.decode(), url
        assert "à déposer avant le" not in text(response), url
    for url in (*pages(audit, "/en"), "/en" + PATH):
        sent = long_date(timezone.localdate(audit.submitted_at), "en")
        content = text(client.get(url))
        assert f"Renewal audit: evidence sent on {sent}, awaiting the committee's decision." in (
            content
        ), url
        assert ">See my audit</a>" in content, url
    audits.audit_decide(audit=audit, actor=committee_member, passed=True, reason="Complet.")
    for url in (certificate_page, space, PATH):
        assert "Audit de renouvellement" not in text(client.get(url)), url


def test_the_path_page_says_it_in_the_same_words(client, audit):
    """/certification/ shows the same line as the certificate page, late or not."""
    client.force_login(audit.certificate.holder)
    deadline = long_date(audit.deadline, "fr")
    line = f"Audit de renouvellement : justificatifs à déposer avant le {deadline}."
    assert line in text(client.get(PATH))
    assert f'href="/certification/audits/{audit.pk}/"' in client.get(PATH).content.decode()
    personal_pages.forget_person(audit.certificate.holder.pk)  # the kept page, as in time
    with at(audit.deadline + dt.timedelta(days=1), hour=0):
        assert f"justificatifs en retard depuis le {deadline}." in text(client.get(PATH))


def test_the_line_goes_once_the_committee_decides(client, audit, committee_member):
    client.force_login(audit.certificate.holder)
    certificate_page, space = pages(audit)
    assert "Audit de renouvellement" in text(client.get(space))
    audits.audit_decide(audit=audit, actor=committee_member, passed=False, reason="Rien reçu.")
    for url in (certificate_page, space, PATH):
        assert "Audit de renouvellement" not in text(client.get(url)), url


def test_no_line_without_an_audit_and_another_person_s_audit_stays_404(
    client, audit, other_trainee
):
    client.force_login(other_trainee)
    assert "Audit de renouvellement" not in text(client.get("/espace/"))
    assert client.get(f"/certification/audits/{audit.pk}/").status_code == 404
    number = audit.certificate.number
    assert client.get(f"/certification/certificats/{number}/").status_code == 404


def test_the_pages_read_the_audit_in_one_query_whether_there_is_one_or_not(
    client, audit, settings, committee_member
):
    """Made every time (not kept), the certificate page and the space read the same number of
    queries with an audit waiting for evidence, or for the committee, as without one: the line
    costs its one query."""
    settings.PERSONAL_PAGE_SECONDS = 0
    holder = audit.certificate.holder

    def counts() -> list[int]:
        found = []
        for url in pages(audit):
            client.get(url)  # warm the caches (site root, the person's totals)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            found.append(len(queries))
        return found

    client.force_login(holder)
    with_audit = counts()
    audits.audit_evidence_add(audit=audit, holder=holder, category="training", upload=pdf())
    audits.audit_submit(audit=audit, holder=holder)
    assert counts() == with_audit
    audits.audit_decide(audit=audit, actor=committee_member, passed=True, reason="Complet.")
    assert counts() == with_audit
    certificate_page, space = with_audit
    assert certificate_page <= CERTIFICATE_PAGE_QUERIES and space <= SPACE_QUERIES, with_audit


def test_the_committee_list_says_which_audits_are_late(client, audit, committee_member):
    client.force_login(committee_member)
    with at(audit.deadline):
        assert "en retard" not in text(client.get("/certification/commission/audits/"))
    with at(audit.deadline + dt.timedelta(days=1)):
        assert "justificatifs demandés · <strong>en retard</strong>" in text(
            client.get("/certification/commission/audits/")
        )
        with at(audit.deadline + dt.timedelta(days=1), hour=8):
            audits.audits_run()  # the reminder
        content = text(client.get("/certification/commission/audits/"))
        assert "justificatifs demandés · <strong>en retard</strong>" in content
        assert "rappel envoyé" in content
        english = text(client.get("/en/certification/commission/audits/"))
        assert "evidence requested · <strong>late</strong>" in english
    holder = audit.certificate.holder
    audits.audit_evidence_add(audit=audit, holder=holder, category="training", upload=pdf())
    audits.audit_submit(audit=audit, holder=holder)
    with at(audit.deadline + dt.timedelta(days=2)):
        assert "en retard" not in text(client.get("/certification/commission/audits/"))
