"""A certificate that reads « expiré » (past its last valid day, Europe/Paris) changes as an
expired one does, before the daily run records it: the committee may only revoke it, the holder
may neither pause nor resume it, and the personal-data summary says « expiré » too."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from certification import services
from certification.models import CertificateEvent, CertificateStatus, PublicReason
from institut.privacy.export import personal_data
from tests.certification.factories import make_certificate

pytestmark = pytest.mark.calendar

PARIS = ZoneInfo("Europe/Paris")
LAST_DAY = dt.date(2027, 3, 27)
LAST_MINUTE = dt.datetime(2027, 3, 27, 23, 59, 59, tzinfo=PARIS)
FIRST_MINUTE_AFTER = dt.datetime(2027, 3, 28, 0, 0, 0, tzinfo=PARIS)


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def certificate_ending(trainee, scheme, *, status="active"):
    with at(dt.datetime(2026, 3, 27, 12, tzinfo=PARIS)):
        return make_certificate(trainee, scheme=scheme, valid_until=LAST_DAY, status=status)


def suspend(certificate, committee_member, client):
    client.force_login(committee_member)
    return client.post(
        reverse("certification:committee_certificate", args=[certificate.pk]),
        {
            "to_status": "suspended",
            "public_reason": "supervision",
            "reason": "Aucune supervision depuis un an.",
            "effective_on": "2027-03-28",
        },
    )


def text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def test_the_committee_may_suspend_on_the_last_minute(client, trainee, scheme, committee_member):
    certificate = certificate_ending(trainee, scheme)
    with at(LAST_MINUTE):
        response = suspend(certificate, committee_member, client)

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED


def test_the_committee_may_not_suspend_a_certificate_that_reads_expired(
    client, trainee, scheme, committee_member
):
    certificate = certificate_ending(trainee, scheme)
    events = CertificateEvent.objects.count()
    with at(FIRST_MINUTE_AFTER):
        response = suspend(certificate, committee_member, client)

    assert response.status_code == 400
    assert "Un certificat « expiré » ne peut pas devenir « suspendu »." in text(response)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE  # nothing written
    assert CertificateEvent.objects.count() == events


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Un certificat « expiré » ne peut pas devenir « valide »."),
        ("en", "A certificate that is “expired” cannot become “valid”."),
    ],
)
def test_a_suspended_certificate_past_its_end_is_refused_as_a_recorded_expired_one(
    trainee, scheme, committee_member, language, message
):
    """Reinstating it is refused with the words used for a certificate recorded as expired."""
    certificate = certificate_ending(trainee, scheme, status=CertificateStatus.SUSPENDED)

    def reinstate() -> list[str]:
        with pytest.raises(services.TransitionError) as refused:
            services.certificate_change_status(
                certificate=certificate,
                to_status=CertificateStatus.ACTIVE,
                actor=committee_member,
                reason="Supervision reprise.",
                public_reason=PublicReason.REINSTATED,
                effective_on=dt.date(2027, 3, 28),
            )
        return refused.value.messages

    refusals = []
    with at(FIRST_MINUTE_AFTER), translation.override(language):
        refusals.append(reinstate())
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.SUSPENDED  # nothing written
        (certificate,) = services.certificates_expire_due()  # now recorded as expired
        refusals.append(reinstate())

    assert refusals[0] == refusals[1] == [message]


def test_the_committee_may_still_revoke_a_certificate_that_reads_expired(
    client, trainee, scheme, committee_member
):
    certificate = certificate_ending(trainee, scheme)
    client.force_login(committee_member)
    url = reverse("certification:committee_certificate", args=[certificate.pk])
    with at(FIRST_MINUTE_AFTER):
        offered = "Ce statut est définitif." not in text(client.get(url))
        response = client.post(
            url,
            {
                "to_status": "revoked",
                "public_reason": "ethics",
                "reason": "Manquement à la charte.",
                "effective_on": "2027-03-28",
            },
        )

    assert offered
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED


def test_the_holder_may_not_resume_a_paused_certificate_past_its_end(client, trainee, scheme):
    certificate = certificate_ending(trainee, scheme, status=CertificateStatus.INACTIVE)
    client.force_login(trainee)
    url = reverse("certification:certificate_status", args=[certificate.number])
    with at(FIRST_MINUTE_AFTER):
        response = client.post(url, {"reason": "Reprise de l'activité."})

    assert response.status_code == 404  # as for a certificate recorded as expired
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.INACTIVE


def summary_row(user) -> dict:
    (section,) = [s for s in personal_data(user) if s.key == "certification"]
    (table,) = [t for t in section.tables if t.key == "certificats"]
    (cells,) = table.cells
    (row,) = table.rows
    return dict(zip(table.columns, cells, strict=True)), row


def test_the_export_summary_says_expire_from_the_first_minute_after(trainee, scheme):
    certificate_ending(trainee, scheme)
    with at(LAST_MINUTE), translation.override("fr"):
        before, _ = summary_row(trainee)
    with at(FIRST_MINUTE_AFTER), translation.override("fr"):
        after, data = summary_row(trainee)

    assert before["status"] == "valide"
    assert (after["status"], after["status_changed_on"]) == ("expiré", "28 mars 2027")
    # donnees.json keeps what is stored until the daily run records the expiry.
    assert data["status"] == "active" and data["status_changed_on"] < "2027"
    assert before["status_changed_on"] != after["status_changed_on"]


# --- Revoking a certificate that reads « expiré » records its expiry first ---------------------


def revoke(certificate, committee_member, client):
    client.force_login(committee_member)
    return client.post(
        reverse("certification:committee_certificate", args=[certificate.pk]),
        {
            "to_status": "revoked",
            "public_reason": "ethics",
            "reason": "Manquement à la charte.",
            "effective_on": "2027-03-28",
        },
    )


FIELDS = ("from_status", "to_status", "public_reason", "reason_code", "reason_params")


def changes(certificate) -> list[tuple]:
    """Each event: its fields above, who made it, from when."""
    events = CertificateEvent.objects.filter(certificate=certificate).order_by("at", "pk")
    return [(*(getattr(e, f) for f in FIELDS), e.actor_id, e.effective_on) for e in events]


def history(response) -> list[str]:
    """The lines of the page's « Historique », dates and statuses only."""
    body = response.content.decode()
    items = body.split('<ol class="history">', 1)[1].split("</ol>", 1)[0]
    lines = [re.sub(r"<[^>]+>", "", line) for line in items.split("<li>")[1:]]
    return [" — ".join(" ".join(html.unescape(line).split()).split(" — ")[:2]) for line in lines]


def test_revoking_a_certificate_that_reads_expired_records_its_expiry_first(
    client, trainee, scheme, committee_member, other_trainee
):
    certificate = certificate_ending(trainee, scheme)
    run_by_the_day = certificate_ending(other_trainee, scheme)
    with at(FIRST_MINUTE_AFTER):
        response = revoke(certificate, committee_member, client)
        (run_by_the_day,) = services.certificates_expire_due()

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    _issued, expiry, revocation = changes(certificate)
    # The expiry as the daily run records it: same event, reason code, parameters and date.
    assert expiry == changes(run_by_the_day)[1]
    assert expiry[:2] == ("active", "expired") and expiry[3] == "expired"
    assert expiry[5] is None and expiry[6] == dt.date(2027, 3, 28)
    assert revocation[:2] == ("expired", "revoked")
    assert revocation[5] == committee_member.pk


def test_the_daily_run_after_the_revocation_records_no_second_expiry(
    client, trainee, scheme, committee_member
):
    certificate = certificate_ending(trainee, scheme)
    with at(FIRST_MINUTE_AFTER):
        revoke(certificate, committee_member, client)
    with at(dt.datetime(2027, 3, 28, 6, 15, tzinfo=PARIS)):
        assert services.certificates_expire_due() == []
        assert services.renewal_run() == {"reminders": 0, "expired": 0}

    assert [change[1] for change in changes(certificate)] == ["active", "expired", "revoked"]


def test_the_expiry_and_the_revocation_are_written_together_or_not_at_all(
    client, trainee, scheme, committee_member, monkeypatch
):
    from certification.credentials import services as credential_services

    certificate = certificate_ending(trainee, scheme)
    apply = credential_services.status_bits_apply

    def fail_on_revocation(*, certificate):
        if certificate.status == CertificateStatus.REVOKED:
            raise RuntimeError("the status list could not be written")
        return apply(certificate=certificate)

    monkeypatch.setattr(credential_services, "status_bits_apply", fail_on_revocation)
    with at(FIRST_MINUTE_AFTER), pytest.raises(RuntimeError):
        revoke(certificate, committee_member, client)

    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
    assert [change[1] for change in changes(certificate)] == ["active"]


def test_the_history_pages_and_the_email_read_valide_expire_then_retire(
    client, trainee, scheme, committee_member
):
    from institut.outbox.models import OutboxEmail

    certificate = certificate_ending(trainee, scheme)
    with at(FIRST_MINUTE_AFTER):
        revoke(certificate, committee_member, client)
        committee_page = client.get(
            reverse("certification:committee_certificate", args=[certificate.pk])
        )
        client.force_login(trainee)
        holder_page = client.get(f"/certification/certificats/{certificate.number}/")

    expected = ["28 mars 2027 — valide → expiré", "28 mars 2027 — expiré → retiré"]
    assert history(holder_page)[1:] == history(committee_page)[1:] == expected
    emails = OutboxEmail.objects.filter(to_user=trainee, kind__endswith="certificate_event")
    texts = [" ".join(email.text.split()) for email in emails.order_by("created_at", "pk")]
    assert "passe de « valide » à « expiré » à compter du 28 mars 2027" in texts[-2]
    assert "passe de « expiré » à « retiré » à compter du 28 mars 2027" in texts[-1]
    assert emails.order_by("created_at", "pk").last().subject.endswith(": retiré")


def revoke_on(certificate, committee_member, client, effective_on: str, language: str = "fr"):
    client.force_login(committee_member)
    prefix = "" if language == "fr" else f"/{language}"
    return client.post(
        prefix + reverse("certification:committee_certificate", args=[certificate.pk]),
        {
            "to_status": "revoked",
            "public_reason": "ethics",
            "reason": "Manquement à la charte.",
            "effective_on": effective_on,
        },
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr",
            "La date d'effet ne peut pas précéder le 28 mars 2027, date du dernier événement "
            "de l'historique du certificat.",
        ),
        (
            "en",
            "The effective date cannot be earlier than 28 March 2027, the date of the last "
            "event in the certificate's history.",
        ),
    ],
)
def test_the_committee_may_not_date_a_revocation_before_the_recorded_expiry(
    client, trainee, scheme, committee_member, language, message
):
    certificate = certificate_ending(trainee, scheme)
    with at(dt.datetime(2027, 3, 28, 6, 15, tzinfo=PARIS)):
        services.certificates_expire_due()
    before = changes(certificate)
    with at(dt.datetime(2027, 4, 2, 10, tzinfo=PARIS)):
        refused = revoke_on(certificate, committee_member, client, "2027-03-20", language)
        accepted = revoke_on(certificate, committee_member, client, "2027-03-28")

    assert refused.status_code == 400
    assert message in text(refused)
    assert before[-1][1] == "expired"
    assert accepted.status_code == 302
    assert [change[1] for change in changes(certificate)] == ["active", "expired", "revoked"]


def test_a_revocation_dated_before_an_unrecorded_expiry_writes_nothing(
    client, trainee, scheme, committee_member
):
    certificate = certificate_ending(trainee, scheme)
    with at(FIRST_MINUTE_AFTER):
        response = revoke_on(certificate, committee_member, client, "2027-03-27")

    assert response.status_code == 400
    assert "ne peut pas précéder le 28 mars 2027" in text(response)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
    assert [change[1] for change in changes(certificate)] == ["active"]
