"""A certificate past its last valid day reads « expiré » everywhere from the first minute of
the next day (Europe/Paris): the holder's pages, the committee's, the public verification, the
JSON API and the badge verification, before the daily run records it and after, the same."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from certification import permissions, selectors, services
from certification.credentials import services as credential_services
from certification.models import CertificateEvent, CertificateStatus, PublicReason
from tests.certification.factories import make_certificate

pytestmark = pytest.mark.calendar

PARIS = ZoneInfo("Europe/Paris")
LAST_DAY = dt.date(2027, 3, 27)  # a Saturday; the clocks change the night after next
LAST_MINUTE = dt.datetime(2027, 3, 27, 23, 59, 59, tzinfo=PARIS)
FIRST_MINUTE_AFTER = dt.datetime(2027, 3, 28, 0, 0, 0, tzinfo=PARIS)
BEFORE_THE_RUN = dt.datetime(2027, 3, 28, 5, 0, tzinfo=PARIS)


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def certificate(trainee, scheme):
    with at(dt.datetime(2026, 3, 27, 12, tzinfo=PARIS)):
        return make_certificate(trainee, scheme=scheme, valid_until=LAST_DAY)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(html.unescape(response.content.decode()).split())


def status_after(body: str, term: str = "Statut") -> str:
    found = re.search(rf"<dt>{term}</dt>\s*<dd[^>]*>(?:<strong>)?([^<]+)<", body)
    assert found, body
    return found.group(1).strip()


def every_answer(client, certificate, holder, committee_member) -> dict[str, str]:
    """The status each place gives for the certificate, at the current moment."""
    client.force_login(holder)
    holder_page = text(client.get(f"/certification/certificats/{certificate.number}/"))
    path = text(client.get("/certification/"))
    dashboard = text(client.get("/espace/"))
    client.logout()
    public = text(client.get(reverse("certification:verify_number", args=[certificate.number])))
    api = client.get(f"/api/v1/certificates/{certificate.number}").json()
    badge = credential_services.certificate_credential(certificate)
    verified = client.post(
        "/api/v1/credentials/verify", data=json.dumps(badge), content_type="application/json"
    ).json()
    client.force_login(committee_member)
    committee = text(
        client.get(reverse("certification:committee_certificate", args=[certificate.pk]))
    )
    committee_list = text(client.get(reverse("certification:committee_certificates")))
    client.logout()
    listed = re.search(
        rf"{certificate.number}</a></th><td[^>]*>[^<]*</td><td[^>]*>([^<]+)<", committee_list
    )
    return {
        "holder": status_after(holder_page),
        "path": re.search(r"statut : <strong>([^<]+)</strong>", path).group(1),
        "dashboard": re.search(rf"{certificate.number}</strong> — ([^—]+) —", dashboard)
        .group(1)
        .strip(),
        "public": status_after(public),
        "api": api["status_label"],
        "badge": "expiré" if verified["expired"] else "valide",
        "badge_registry": verified["certificate"]["status_label"],
        "committee": status_after(committee),
        "committee_list": listed.group(1).strip(),
    }


def test_every_place_says_valide_on_the_last_minute_of_the_last_day(
    client, certificate, trainee, committee_member
):
    with at(LAST_MINUTE):
        answers = every_answer(client, certificate, trainee, committee_member)

    assert set(answers.values()) == {"valide"}, answers


def test_every_place_says_expire_from_the_first_minute_after_before_the_run_records_it(
    client, certificate, trainee, committee_member
):
    with at(FIRST_MINUTE_AFTER):
        answers = every_answer(client, certificate, trainee, committee_member)

    assert set(answers.values()) == {"expiré"}, answers
    # Nothing was written by reading: the record still waits for the daily run.
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
    assert not CertificateEvent.objects.filter(to_status=CertificateStatus.EXPIRED).exists()


def test_the_daily_run_records_what_the_pages_already_said(
    client, certificate, trainee, committee_member
):
    with at(FIRST_MINUTE_AFTER):
        before = selectors.effective_status(certificate)
        public_before = text(
            client.get(reverse("certification:verify_number", args=[certificate.number]))
        )
    with at(dt.datetime(2027, 3, 28, 6, 15, tzinfo=PARIS)):
        (expired,) = services.certificates_expire_due()
        after = selectors.effective_status(expired)
        public_after = text(
            client.get(reverse("certification:verify_number", args=[certificate.number]))
        )

    assert before.recorded is False and after.recorded is True
    assert (before.status, before.since) == (after.status, after.since)
    assert after.since == dt.date(2027, 3, 28)
    assert status_after(public_before) == status_after(public_after) == "expiré"
    assert status_after(public_before, "Depuis le") == status_after(public_after, "Depuis le")
    assert "Fin de la période de validité" in public_before and public_after


def test_the_daily_run_on_the_last_valid_day_leaves_the_certificate_valid(certificate):
    with at(dt.datetime(2027, 3, 27, 6, 15, tzinfo=PARIS)):
        assert services.certificates_expire_due() == []
        assert services.reminders_due()[0][1] == 0  # « expires today »
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE


def test_a_suspended_certificate_past_its_end_reads_expired_as_the_run_will_record(
    certificate, committee_member
):
    with at(dt.datetime(2027, 3, 20, 10, tzinfo=PARIS)):
        suspended = services.certificate_change_status(
            certificate=certificate,
            to_status=CertificateStatus.SUSPENDED,
            actor=committee_member,
            reason="Supervision en attente.",
            public_reason=PublicReason.SUPERVISION,
            effective_on=dt.date(2027, 3, 20),
        )
    assert selectors.effective_status(suspended, LAST_MINUTE).status == "suspended"
    assert selectors.effective_status(suspended, FIRST_MINUTE_AFTER).status == "expired"
    assert selectors.effective_status(suspended, FIRST_MINUTE_AFTER).label == "expiré"


def test_the_holder_may_no_longer_pause_a_certificate_past_its_end(client, certificate, trainee):
    client.force_login(trainee)
    with at(LAST_MINUTE):
        allowed = permissions.can_change_status(trainee, certificate, CertificateStatus.INACTIVE)
        offered = "Me mettre en retrait volontaire" in text(
            client.get(f"/certification/certificats/{certificate.number}/")
        )
    with at(BEFORE_THE_RUN):
        refused = permissions.can_change_status(trainee, certificate, CertificateStatus.INACTIVE)
        still_offered = "Me mettre en retrait volontaire" in text(
            client.get(f"/certification/certificats/{certificate.number}/")
        )

    assert allowed and offered
    assert not refused and not still_offered


def test_a_verification_page_kept_for_visitors_is_not_served_past_midnight(client, certificate):
    """Anonymous visitors get cached pages: one made on the last minute says « valide » no
    later than midnight, when the page says « expiré »."""
    import time

    url = reverse("certification:verify_number", args=[certificate.number])
    with at(LAST_MINUTE):
        before = status_after(text(client.get(url)))
    time.sleep(1.1)  # the cache's own clock (Redis) passes midnight too
    with at(FIRST_MINUTE_AFTER):
        after = status_after(text(client.get(url)))

    assert (before, after) == ("valide", "expiré")
