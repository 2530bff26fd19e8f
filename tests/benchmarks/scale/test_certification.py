"""seed_scale's certification part on PostgreSQL: certificates with a consistent history, and the
public registry, search and verification working on what it loaded."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from benchmarks.scale import certification as certification_scale
from benchmarks.scale.institut import SCALE_EMAIL_DOMAIN, ScaleContext, ScaleSizes
from certification.models import Certificate, CertificateStatus, CertificationScheme, PublicReason
from certification.registry.models import RegistryProfile
from certification.registry.selectors import normalise_number
from certification.services import TransitionError, add_years, check_certificate_transition
from institut.lib.text import search_key
from tests.factories import UserFactory

pytestmark = pytest.mark.postgres

CERTIFICATES, LISTED = 200, 60
SIZES = [
    f"--certificates={CERTIFICATES}",
    f"--listed={LISTED}",
    "--trainees=20",
    "--trainers=3",
    "--courses=3",
    "--lessons-per-course=3",
    "--progress=100",
    "--practice-entries=100",
    "--sessions=20",
]
S = CertificateStatus


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The command run once for the module, rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_scale", *SIZES, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def certificates(seeded, db):
    return list(
        Certificate.objects.filter(holder__email__endswith=f"@{SCALE_EMAIL_DOMAIN}")
        .select_related("holder")
        .order_by("pk")
    )


def _registry_holder_ids(client, query: str = "") -> set[int]:
    response = client.get(f"/registre/{query}")
    assert response.status_code == 200
    return {certificate.holder_id for certificate in response.context["page"].paginator.object_list}


def _listed_profile(certificates, accented: bool = False) -> RegistryProfile:
    holders = [c.holder_id for c in certificates if c.status == S.ACTIVE]
    profiles = RegistryProfile.objects.filter(holder_id__in=holders, listed=True)
    profiles = profiles.select_related("holder").order_by("pk")
    if accented:
        profiles = [p for p in profiles if search_key(p.holder.full_name) != p.holder.full_name]
    return profiles[0]


def test_it_creates_one_certificate_per_holder_with_the_scheme_as_granted(certificates):
    scheme = CertificationScheme.objects.current()
    assert len(certificates) == CERTIFICATES
    assert len({c.holder_id for c in certificates}) == CERTIFICATES
    for certificate in certificates:
        assert certificate.holder.email.startswith("praticien-")
        assert certificate.holder_name == certificate.holder.full_name
        assert certificate.scheme_id == scheme.pk
        assert certificate.scheme_snapshot == scheme.snapshot()
        assert certificate.valid_until == add_years(certificate.issued_on, scheme.validity_years)
        assert certificate.first_issued_on <= certificate.issued_on


def test_it_draws_unique_numbers_in_the_app_format(certificates):
    numbers = [c.number for c in certificates]
    assert len(set(numbers)) == len(numbers)
    assert Certificate.objects.filter(number__in=numbers).count() == len(numbers)
    for certificate in certificates:
        assert normalise_number(certificate.number) == certificate.number
        assert certificate.number.startswith(f"TST-{certificate.first_issued_on.year}-")


def test_it_issues_over_ten_years_with_every_status(certificates):
    today = timezone.localdate()
    statuses = {c.status for c in certificates}
    assert statuses == set(S.values)
    assert sum(c.status == S.ACTIVE for c in certificates) > CERTIFICATES * 0.6
    oldest = min(c.first_issued_on for c in certificates)
    assert today - timedelta(days=11 * 365) < oldest < today - timedelta(days=5 * 365)


def _check_history(certificate: Certificate, today) -> None:
    events = list(certificate.events.order_by("at", "pk"))
    issue, changes = events[0], events[1:]
    assert (issue.from_status, issue.to_status) == ("", S.ACTIVE)
    assert issue.public_reason == PublicReason.ISSUED
    assert issue.effective_on == certificate.first_issued_on
    previous = issue
    for event in changes:
        renewal = event.public_reason == PublicReason.RENEWED
        assert event.from_status == previous.to_status
        check_certificate_transition(event.from_status, event.to_status, renewal=renewal)
        assert event.effective_on >= previous.effective_on
        assert event.at > previous.at
        previous = event
    for event in events:
        assert event.reason.strip()
        assert event.effective_on <= today
        # Only the daily expiry has no actor; a holder acts only on their voluntary withdrawal.
        assert (event.actor_id is None) == (event.public_reason == PublicReason.EXPIRED)
        if event.actor_id == certificate.holder_id:
            assert event.public_reason == PublicReason.HOLDER_REQUEST
    last = events[-1]
    assert last.to_status == certificate.status
    assert last.effective_on == certificate.status_changed_on
    assert last.valid_until == certificate.valid_until
    if certificate.status in (S.ACTIVE, S.SUSPENDED, S.INACTIVE):
        assert certificate.valid_until > today  # else the daily run would have expired it
    if certificate.status == S.EXPIRED:
        assert last.public_reason == PublicReason.EXPIRED
        assert certificate.valid_until == last.effective_on <= today


def test_it_writes_an_event_history_consistent_with_each_status(certificates):
    today = timezone.localdate()
    for certificate in certificates:
        try:
            _check_history(certificate, today)
        except (AssertionError, TransitionError) as error:
            raise AssertionError(f"{certificate.number} ({certificate.status})") from error


def test_it_shows_exactly_the_listed_holders_of_an_active_certificate(certificates, client):
    shown = _registry_holder_ids(client)
    ours = {c.holder_id: c for c in certificates}
    listed = set(
        RegistryProfile.objects.filter(holder_id__in=ours, listed=True).values_list(
            "holder_id", flat=True
        )
    )
    expected = {hid for hid in listed if ours[hid].status == S.ACTIVE}
    assert len(expected) == LISTED
    assert shown & set(ours) == expected
    assert listed - expected, "some holders listed before losing their certificate are kept"
    unlisted = RegistryProfile.objects.filter(holder_id__in=ours, listed=False)
    assert unlisted.exists()


def test_it_finds_a_holder_by_a_name_typed_without_accents_in_lowercase(certificates, client):
    profile = _listed_profile(certificates, accented=True)
    typed = search_key(profile.holder.full_name)
    assert typed.isascii() and typed == typed.lower()
    response = client.get("/registre/", {"q": typed})
    assert response.status_code == 200
    assert profile.holder_id in {c.holder_id for c in response.context["page"].object_list}
    assert profile.holder.full_name in response.content.decode()


def test_it_searches_by_region(certificates, client):
    profile = RegistryProfile.objects.filter(
        holder_id__in=[c.holder_id for c in certificates if c.status == S.ACTIVE],
        listed=True,
        show_region=True,
    ).first()
    shown = _registry_holder_ids(client, f"?region={profile.region}")
    assert profile.holder_id in shown
    regions = RegistryProfile.objects.filter(holder_id__in=shown).values_list("region", flat=True)
    assert set(regions) == {profile.region}
    assert len(shown) < len(_registry_holder_ids(client))


def test_it_fills_profiles_with_public_fields_and_a_french_bio(certificates):
    ours = [c.holder_id for c in certificates]
    profiles = list(RegistryProfile.objects.filter(holder_id__in=ours, listed=True))
    assert len({p.region for p in profiles}) > 5
    assert any(p.contact_enabled for p in profiles)
    for profile in profiles:
        assert profile.city and profile.region and profile.languages.startswith("français")
        assert profile.practice_field_codes
        assert "j'" in profile.bio or "je " in profile.bio  # the holder speaks, in French
        assert profile.search_key == search_key(profile.holder.full_name)


@pytest.mark.parametrize("status", [S.ACTIVE, S.SUSPENDED, S.EXPIRED, S.REVOKED, S.INACTIVE])
def test_it_verifies_a_generated_certificate_on_the_page_and_the_api(certificates, client, status):
    certificate = next(c for c in certificates if c.status == status)
    page = client.get(f"/registre/verifier/{certificate.number}/")
    assert page.status_code == 200
    assert certificate.holder_name in page.content.decode()
    api = client.get(f"/api/v1/certificates/{certificate.number.lower()}")
    assert api.status_code == 200
    body = api.json()
    assert body["number"] == certificate.number
    assert body["status"] == status
    assert body["is_valid"] is (status == S.ACTIVE)
    if status != S.ACTIVE:
        assert body["public_reason"] == certificate.events.order_by("-at").first().public_reason


def test_it_caps_listed_holders_to_the_active_certificates(seeded, db):
    holders = UserFactory.create_batch(30)
    out = io.StringIO()
    ctx = ScaleContext(
        sizes=ScaleSizes(certificates=30, listed=30),
        rng=random.Random(2026),
        now=timezone.now(),
        holder_ids=[h.pk for h in holders],
        names={h.pk: h.full_name for h in holders},
        out=out,
    )
    certification_scale.seed(ctx)
    active = Certificate.objects.filter(holder__in=holders, status=S.ACTIVE).count()
    assert active < 30
    assert "capped" in out.getvalue()
    listed = RegistryProfile.objects.filter(holder__in=holders, listed=True)
    assert listed.filter(holder__certificates__status=S.ACTIVE).count() == active
