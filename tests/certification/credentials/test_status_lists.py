"""Bitstring Status Lists: sized and shuffled, allocated at the grant, flipped with each status
change in its transaction, cleared on reinstatement, served signed."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from certification.credentials import bitstrings, selectors
from certification.credentials import services as credential_services
from certification.credentials.models import STATUS_LIST_SIZE, StatusList, StatusListEntry
from certification.models import CertificateStatus, PublicReason
from tests.certification.credentials.helpers import change_status


def bit(certificate, purpose: str) -> bool:
    entry = StatusListEntry.objects.select_related("status_list").get(
        certificate=certificate, status_list__purpose=purpose
    )
    return bitstrings.get_bit(bytes(entry.status_list.bits), entry.index)


def test_it_reads_and_writes_bits_left_to_right():
    bits = bitstrings.with_bit(bytes(2), 0, True)
    assert bits == b"\x80\x00"
    bits = bitstrings.with_bit(bits, 9, True)
    assert bits == b"\x80\x40"
    assert bitstrings.get_bit(bits, 9) and not bitstrings.get_bit(bits, 8)
    assert bitstrings.with_bit(bits, 0, False) == b"\x00\x40"


def test_it_encodes_a_list_as_gzip_base64url_with_a_u_prefix():
    bits = bitstrings.with_bit(bytes(STATUS_LIST_SIZE // 8), 94567, True)
    encoded = bitstrings.encode(bits)
    assert encoded.startswith("u") and "=" not in encoded
    assert bitstrings.decode(encoded) == bits
    with pytest.raises(ValueError):
        bitstrings.decode("uAAAA")


def test_it_shuffles_positions_onto_every_index_once():
    key = b"k" * 32
    for size in (1, 2, 5, 64, 1000):
        indexes = [bitstrings.shuffled_index(key, position, size) for position in range(size)]
        assert sorted(indexes) == list(range(size))
    first = [bitstrings.shuffled_index(key, p, STATUS_LIST_SIZE) for p in range(50)]
    assert first != sorted(first)  # not handed out in order
    other = [bitstrings.shuffled_index(b"o" * 32, p, STATUS_LIST_SIZE) for p in range(50)]
    assert first != other  # each list has its own shuffle


def test_it_gives_a_granted_certificate_one_index_in_each_list(certificate):
    entries = StatusListEntry.objects.filter(certificate=certificate).select_related("status_list")
    assert sorted(e.status_list.purpose for e in entries) == ["revocation", "suspension"]
    for entry in entries:
        assert entry.status_list.size >= 131_072
        assert len(bytes(entry.status_list.bits)) * 8 == entry.status_list.size
        assert entry.status_list.allocated == 1
    assert not bit(certificate, "revocation") and not bit(certificate, "suspension")


def test_it_sets_the_revocation_bit_in_the_same_transaction(certificate, committee_member):
    with transaction.atomic():
        change_status(certificate, CertificateStatus.REVOKED, committee_member, PublicReason.ETHICS)
        assert bit(certificate, "revocation")  # before the commit, with the status
    assert bit(certificate, "revocation") and not bit(certificate, "suspension")


def test_it_leaves_no_bit_when_the_status_change_rolls_back(certificate, committee_member):
    with pytest.raises(RuntimeError), transaction.atomic():
        change_status(certificate, CertificateStatus.REVOKED, committee_member, PublicReason.ETHICS)
        raise RuntimeError("the request failed after the decision")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
    assert not bit(certificate, "revocation")


def test_it_sets_then_clears_the_suspension_bit(certificate, committee_member):
    change_status(
        certificate, CertificateStatus.SUSPENDED, committee_member, PublicReason.SUPERVISION
    )
    assert bit(certificate, "suspension") and not bit(certificate, "revocation")
    change_status(certificate, CertificateStatus.ACTIVE, committee_member, PublicReason.REINSTATED)
    assert not bit(certificate, "suspension") and not bit(certificate, "revocation")


def test_it_suspends_a_voluntarily_inactive_certificate_in_the_list(certificate):
    change_status(
        certificate, CertificateStatus.INACTIVE, certificate.holder, PublicReason.HOLDER_REQUEST
    )
    assert bit(certificate, "suspension")
    change_status(
        certificate, CertificateStatus.ACTIVE, certificate.holder, PublicReason.HOLDER_REQUEST
    )
    assert not bit(certificate, "suspension")


def test_it_flips_only_the_bit_of_the_certificate_concerned(
    certificate, other_trainee, committee_member, scheme
):
    from tests.certification.factories import make_certificate

    other = make_certificate(other_trainee, scheme=scheme)
    credential_services.status_entries_ensure(certificate=other)
    revocation = StatusList.objects.get(purpose="revocation", sequence=1)
    before = bytes(revocation.bits)
    change_status(certificate, CertificateStatus.REVOKED, committee_member, PublicReason.ETHICS)
    revocation.refresh_from_db()
    after = bytes(revocation.bits)
    changed = [
        i
        for i in range(revocation.size)
        if bitstrings.get_bit(before, i) != bitstrings.get_bit(after, i)
    ]
    index = StatusListEntry.objects.get(certificate=certificate, status_list=revocation).index
    assert changed == [index]


def test_it_allocates_an_entry_with_the_bit_of_a_certificate_already_suspended(trainee, scheme):
    from tests.certification.factories import make_certificate

    suspended = make_certificate(trainee, scheme=scheme, status=CertificateStatus.SUSPENDED)
    credential_services.status_entries_ensure(certificate=suspended)
    assert bit(suspended, "suspension")


def test_it_opens_a_second_list_when_the_first_is_full(trainee, other_trainee, scheme):
    from tests.certification.factories import make_certificate

    StatusList.objects.create(purpose="revocation", sequence=1, size=8, allocated=8, bits=bytes(1))
    certificate = make_certificate(trainee, scheme=scheme)
    credential_services.status_entries_ensure(certificate=certificate)
    entry = StatusListEntry.objects.get(certificate=certificate, status_list__purpose="revocation")
    assert entry.status_list.sequence == 2
    assert entry.status_list.size == STATUS_LIST_SIZE


def test_it_serves_the_list_signed_with_the_current_bits(client, certificate, committee_member):
    change_status(certificate, CertificateStatus.REVOKED, committee_member, PublicReason.ETHICS)
    (purpose, url, index), _suspension = selectors.entries_of(certificate=certificate)
    assert purpose == "revocation"
    # At noon in Paris: in the last five minutes of a day the max-age ends at midnight instead.
    noon = dt.datetime.combine(timezone.localdate(), dt.time(12), ZoneInfo("Europe/Paris"))
    with time_machine.travel(noon, tick=False):
        response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vc")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=300" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["id"] == url
    subject = document["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    bits = bitstrings.decode(subject["encodedList"])
    assert len(bits) * 8 >= 131_072
    assert bitstrings.get_bit(bits, index)
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_it_signs_a_list_again_only_after_a_change(client, certificate, committee_member):
    _revocation, (_purpose, url, index) = selectors.entries_of(certificate=certificate)
    path = url.removeprefix("http://127.0.0.1:8000")
    first = json.loads(client.get(path).content)
    assert json.loads(client.get(path).content) == first  # the kept copy
    change_status(
        certificate, CertificateStatus.SUSPENDED, committee_member, PublicReason.SUPERVISION
    )
    second = json.loads(client.get(path).content)
    assert second["proof"]["proofValue"] != first["proof"]["proofValue"]
    assert bitstrings.get_bit(bitstrings.decode(second["credentialSubject"]["encodedList"]), index)


def test_it_answers_404_for_a_list_that_does_not_exist(client, db):
    assert client.get("/certification/statuts/revocation/9/").status_code == 404
    assert client.get("/certification/statuts/autre/1/").status_code == 404


@pytest.mark.calendar
def test_the_ttl_of_a_list_signed_before_midnight_ends_at_midnight(client, certificate):
    """Like the HTTP max-age, the signed ttl hint (milliseconds from validFrom) ends no later
    than midnight in Paris; that copy is kept for the rest of its day, signed again the next."""
    (_purpose, url, _index), _suspension = selectors.entries_of(certificate=certificate)
    path = url.removeprefix("http://127.0.0.1:8000")
    paris = ZoneInfo("Europe/Paris")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    two_minutes_before = dt.datetime.combine(tomorrow, dt.time(23, 58), paris)

    with time_machine.travel(two_minutes_before, tick=False):
        late = json.loads(client.get(path).content)
    with time_machine.travel(two_minutes_before + dt.timedelta(minutes=1), tick=False):
        kept = json.loads(client.get(path).content)
    with time_machine.travel(two_minutes_before + dt.timedelta(minutes=3), tick=False):
        next_day = json.loads(client.get(path).content)

    assert late["credentialSubject"]["ttl"] == 120_000
    assert kept == late
    assert next_day["credentialSubject"]["ttl"] == 300_000
    assert next_day["validFrom"] != late["validFrom"]
