"""PostgreSQL itself refuses UPDATE and DELETE on permanent records (triggers), raw SQL included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from certification import services as certification_services
from certification.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    CertificationScheme,
    PublicReason,
)
from institut.permanent import erasure_bypass
from supervision.logbook.models import PeriodSummary
from tests.certification.factories import make_certificate
from tests.institut.records import added_permanent_rows, audit_rows, permanent_rows
from tests.supervision.logbook.helpers import make_entry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# (row, a change that the record must refuse), one or more per permanent table.
REFUSED_UPDATES = [
    ("invoice", "amount_cents = amount_cents + 1"),
    ("invoice", "buyer_name = 'Quelqu''un d''autre'"),
    ("credit_note", "credited_invoice_id = NULL"),
    ("enrolment_event", "to_status = 'ended'"),
    ("enrolment_event", "reason = 'réécrit'"),
    ("stripe_event", "type = 'charge.refunded'"),
    ("stripe_event", "payload = '{}'::jsonb"),
    ("certificate_event", "valid_until = valid_until + 365"),
    ("certificate_event", "transaction_id = transaction_id + 1"),
    ("attestation", "hours = hours + 1"),
    ("attestation", "trainee_name = 'Quelqu''un d''autre'"),
    ("supervision_record", "minutes = minutes + 60"),
    # The supervision sessions' trail, as the training sessions'.
    ("supervision_event", "to_status = 'cancelled'"),
    ("supervision_event", "reason = 'réécrit'"),
    ("approved_entry", "duration_minutes = 600"),
    ("approved_entry", "description = 'réécrit'"),
    # The logbook's history (who submitted, returned, approved, when, with which comment).
    ("entry_event", "to_status = 'draft'"),
    ("entry_event", "actor_id = NULL"),
    ("entry_event", "comment = 'réécrit'"),
    ("confirmed_period", "totals = '{}'::jsonb"),
    ("decided_application", "status = 'refused'"),
    ("committee_decision", "to_status = 'refused'"),
    ("charter_acceptance", "accepted_at = accepted_at - interval '1 day'"),
    ("certificate", "number = 'TST-2020-AAAAAA'"),
    ("certificate", "holder_name = 'Quelqu''un d''autre'"),
    ("certificate", "valid_until = valid_until + 3650"),
    ("certificate", "status = 'revoked'"),
    ("certificate", "first_issued_on = first_issued_on - 1"),
    # Training: the session's trail, convocations, the signed sheet, certificats de réalisation,
    # satisfaction answered.
    ("session_event", "to_status = 'cancelled'"),
    ("session_event", "reason = 'réécrit'"),
    ("convocation", "body = 'réécrit'"),
    ("attendance", "status = 'present'"),
    ("attendance", "minutes_late = 0"),
    ("attendance", "reason = 'réécrit'"),
    ("attendance", "ip_address = '192.0.2.99'"),
    ("trainer_signature", "sheet_hash = repeat('b', 64)"),
    ("completion_certificate", "hours_done = hours_done + 1"),
    ("completion_certificate", "trainee_name = 'Quelqu''un d''autre'"),
    ("satisfaction_response", "comment = 'réécrit'"),
    ("satisfaction_answer", "score = 1"),
    # Credentials: a credential's bit, the lists' identity, the keys that signed.
    ("status_entry", "index = index + 1"),
    ("status_entry", "certificate_id = NULL"),
    ("status_list", "sequence = sequence + 100"),
    ("status_list", "permutation_key = '\\x00'::bytea"),
    ("issuer_key", "public_key_multibase = 'z6MkAutreCle'"),
    # Renewal audits: the draw, a decided audit, its evidence and its steps.
    ("audit_draw", "drawn = '[]'::jsonb"),
    ("audit", "status = 'failed'"),
    ("audit", "outcome_reason = 'réécrit'"),
    ("audit_evidence", "original_name = 'autre.pdf'"),
    ("audit_evidence", "file = 'certification/audits/autre.pdf'"),
    ("audit_event", "to_status = 'failed'"),
    # Co-signing by link: a used request and the confirmation it led to.
    ("cosign_request", "supervisor_email = 'autre@exemple.org'"),
    ("cosign_request", "used_at = NULL"),
    ("cosign_confirmation", "signer_name = 'Quelqu''un d''autre'"),
    ("cosign_confirmation", "signed_at = signed_at - interval '1 day'"),
    # A fixed reason's code (institut.reasons) and, outside an erasure, its parameters.
    ("certificate_event", "reason_code = 'expired'"),
    ("certificate_event", 'reason_params = \'{"date": "2020-01-01"}\'::jsonb'),
    ("committee_decision", "reason_code = 'account_erased'"),
    ("committee_decision", "reason_params = '{\"x\": 1}'::jsonb"),
    ("supervision_event", "reason_code = 'late_cancellation'"),
    ("supervision_event", "reason_params = '{\"x\": 1}'::jsonb"),
    ("audit_event", "reason_code = 'drawn'"),
    ("audit_event", "reason_params = '{\"x\": 1}'::jsonb"),
]

PERMANENT = sorted({name for name, _change in REFUSED_UPDATES})


@pytest.fixture
def rows(trainee, trainer):
    rows = permanent_rows(trainee, trainer)
    history = rows["approved_entry"].events.order_by("pk").last()
    return {**rows, **added_permanent_rows(trainee, trainer, rows), "entry_event": history}


def execute(sql: str, row) -> None:
    """Run raw SQL on the row's table, in a savepoint so that the test goes on after an error."""
    table = row._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", f'"{table}"'), [row.pk])


@pytest.mark.parametrize(("name", "change"), REFUSED_UPDATES)
def test_it_refuses_a_raw_update_of_a_permanent_row(rows, name, change):
    with pytest.raises(DatabaseError, match="permanent record: UPDATE"):
        execute("UPDATE {table} SET " + change + " WHERE id = %s", rows[name])


@pytest.mark.parametrize("name", PERMANENT)
def test_it_refuses_a_raw_delete_of_a_permanent_row(rows, name):
    with pytest.raises(DatabaseError, match="permanent record: DELETE"):
        execute("DELETE FROM {table} WHERE id = %s", rows[name])
    assert type(rows[name]).objects.filter(pk=rows[name].pk).exists()


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("invoice", "pdf = 'invoices/2026/f.pdf'"),
        ("stripe_event", "outcome = 'applied later: refunded'"),
        ("attestation", "emailed_at = now()"),
        ("certificate", "pdf = 'certification/certificats/c.pdf', pdf_valid_until = valid_until"),
        ("completion_certificate", "pdf = 'certificats-realisation/2026/r.pdf'"),
        (
            "status_list",
            "bits = set_bit(bits, 7, 1), version = version + 1, allocated = allocated + 1",
        ),
        ("status_list", "signed_credential = '{}'::jsonb, signed_version = version"),
    ],
)
def test_it_lets_the_columns_written_after_the_row_change(rows, name, change):
    execute("UPDATE {table} SET " + change + " WHERE id = %s", rows[name])


def test_it_leaves_entries_periods_and_applications_free_until_they_are_permanent(
    trainee, trainer, rows
):
    draft = make_entry(trainee)
    closed = PeriodSummary.objects.create(
        trainee=trainee, start=timezone.localdate() - timedelta(days=10), end=timezone.localdate()
    )
    application = rows["decided_application"]
    open_application = type(application).objects.create(
        applicant=trainee, scheme=application.scheme, statement="Deuxième candidature."
    )

    execute("UPDATE {table} SET duration_minutes = 30 WHERE id = %s", draft)
    execute("UPDATE {table} SET totals = '{}'::jsonb WHERE id = %s", closed)
    execute("UPDATE {table} SET statement = 'Complétée.' WHERE id = %s", open_application)
    execute("DELETE FROM {table} WHERE id = %s", closed)


def test_it_leaves_an_open_audit_and_an_unused_link_free_but_never_deletes_them(
    trainee, trainer, rows
):
    open_audit = audit_rows(rows["certificate"], trainer, outcome="requested")["audit"]
    link = rows["cosign_request"]
    unused = type(link).objects.create(
        period=link.period,
        supervisor_name="Paul Vidal",
        supervisor_email="paul.vidal@exemple.org",
        requested_by=trainee,
        expires_at=link.expires_at,
    )

    execute(
        "UPDATE {table} SET status = 'submitted', submitted_at = now() WHERE id = %s", open_audit
    )
    execute("UPDATE {table} SET used_at = now() WHERE id = %s", unused)
    for row in (open_audit, unused):
        with pytest.raises(DatabaseError, match="permanent record: DELETE"):
            execute("DELETE FROM {table} WHERE id = %s", row)


# The columns an erasure may rewrite in the tables added by training, audits and co-signing.
ERASABLE = [
    ("session_event", "reason = '[effacé]'"),
    ("supervision_event", "reason = '[effacé]'"),
    ("convocation", "sent_to = '', subject = '', body = ''"),
    ("attendance", "ip_address = NULL, user_agent = ''"),
    ("trainer_signature", "ip_address = NULL, user_agent = ''"),
    ("completion_certificate", "trainee_name = '', employer_name = '', pdf = ''"),
    ("satisfaction_response", "comment = ''"),
    ("satisfaction_answer", "text = ''"),
    ("audit", "outcome_reason = '[effacé]'"),
    ("audit_evidence", "file = '', original_name = '', note = ''"),
    ("audit_event", "reason = '[effacé]'"),
    ("cosign_request", "supervisor_name = '', supervisor_email = ''"),
    ("cosign_confirmation", "ip_address = NULL, user_agent = ''"),
    # A fixed reason's parameters may quote the person (institut.reasons).
    ("supervision_event", 'reason_params = \'{"x": "[effacé]"}\'::jsonb'),
    ("audit_event", 'reason_params = \'{"x": "[effacé]"}\'::jsonb'),
]


@pytest.mark.parametrize(("name", "change"), ERASABLE)
def test_only_an_erasure_rewrites_the_personal_columns_of_the_added_records(
    trainee, rows, name, change
):
    with pytest.raises(DatabaseError, match="permanent record: UPDATE"):
        execute("UPDATE {table} SET " + change + " WHERE id = %s", rows[name])

    with transaction.atomic(), erasure_bypass(user_id=trainee.pk):
        execute("UPDATE {table} SET " + change + " WHERE id = %s", rows[name])
        with pytest.raises(DatabaseError, match="permanent record: DELETE"):
            execute("DELETE FROM {table} WHERE id = %s", rows[name])


def test_an_erasure_leaves_the_signed_sheet_as_it_was_signed(trainee, rows):
    with transaction.atomic(), erasure_bypass(user_id=trainee.pk):
        for change in ("reason = ''", "status = 'absent'", "recorded_at = now()"):
            with pytest.raises(DatabaseError, match="permanent record: UPDATE"):
                execute("UPDATE {table} SET " + change + " WHERE id = %s", rows["attendance"])


def test_it_lets_an_erasure_rewrite_personal_columns_and_nothing_else(trainee, rows):
    with transaction.atomic(), erasure_bypass(user_id=trainee.pk):
        execute(
            "UPDATE {table} SET trainee_name = '', buyer_name = '' WHERE id = %s", rows["invoice"]
        )
        execute("UPDATE {table} SET holder_name = '' WHERE id = %s", rows["certificate"])
        execute("UPDATE {table} SET reflection = '' WHERE id = %s", rows["approved_entry"])
        with pytest.raises(DatabaseError, match="permanent record: UPDATE"):
            execute("UPDATE {table} SET amount_cents = 0 WHERE id = %s", rows["invoice"])
        with pytest.raises(DatabaseError, match="permanent record: DELETE"):
            execute("DELETE FROM {table} WHERE id = %s", rows["committee_decision"])

    # Once the erasure is over, the same change is refused again.
    with pytest.raises(DatabaseError, match="permanent record: UPDATE"):
        execute("UPDATE {table} SET holder_name = 'Autre' WHERE id = %s", rows["certificate"])


def test_it_accepts_a_certificate_change_announced_by_its_event_first(trainee, rows):
    certificate = rows["certificate"]
    # Written directly: this proves what the database trigger accepts, without the service.
    CertificateEvent.objects.create(
        certificate=certificate,
        to_status=CertificateStatus.SUSPENDED,
        from_status=CertificateStatus.ACTIVE,
        public_reason=PublicReason.SUPERVISION,
        reason="Pas de supervision.",
        effective_on=timezone.localdate(),
        valid_until=certificate.valid_until,
    )
    execute("UPDATE {table} SET status = 'suspended' WHERE id = %s", certificate)
    # The event announced a suspension, not a new validity date.
    with pytest.raises(DatabaseError, match="only through its status service"):
        execute("UPDATE {table} SET valid_until = valid_until + 365 WHERE id = %s", certificate)


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_status_that_only_an_event_of_another_transaction_announced(
    trainee, committee_member
):
    """Events recorded by an earlier transaction do not allow today's raw change."""
    certificate = make_certificate(
        trainee, scheme=CertificationScheme.objects.create()
    )  # its issue event says "active"
    certification_services.certificate_change_status(
        certificate=certificate,
        to_status=CertificateStatus.SUSPENDED,
        actor=committee_member,
        reason="Pas de supervision depuis un an.",
        public_reason=PublicReason.SUPERVISION,
        effective_on=timezone.localdate(),
    )

    with pytest.raises(DatabaseError, match="only through its status service"):
        execute("UPDATE {table} SET status = 'active' WHERE id = %s", certificate)
    assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED
    assert certificate.events.filter(transaction_id__isnull=True).count() == 0


def test_only_an_erasure_scrubs_or_deletes_the_logbooks_history(trainee, trainer):
    event = make_entry(trainee, "submitted").events.order_by("pk").last()
    with pytest.raises(DatabaseError, match="permanent record: UPDATE"):
        execute("UPDATE {table} SET comment = '[effacé]' WHERE id = %s", event)
    with pytest.raises(DatabaseError, match="permanent record: DELETE"):
        execute("DELETE FROM {table} WHERE id = %s", event)

    with transaction.atomic(), erasure_bypass(user_id=trainee.pk):
        execute("UPDATE {table} SET comment = '[effacé]' WHERE id = %s", event)
        with pytest.raises(DatabaseError, match="permanent record: UPDATE"):
            execute("UPDATE {table} SET to_status = 'approved' WHERE id = %s", event)
        execute("DELETE FROM {table} WHERE id = %s", event)
    assert not type(event).objects.filter(pk=event.pk).exists()
