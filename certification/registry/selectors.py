"""Reads of the public registry: the search, a listed profile, and a certificate's public facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from certification.links import NUMBER_PREFIX
from certification.models import Certificate, CertificateStatus, PublicReason
from certification.registry.models import RegistryProfile
from certification.selectors import effective_status
from institut.lib.references import normalise_reference
from institut.lib.text import search_key, search_words

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
# Near matches shown when a name has no exact match: the closest ones, on one short list, whose
# trigram word similarity with the query reaches the threshold. At 0.5 one typo in a family name
# of five or six letters is forgiven (« moreua », « dupomt »), while « marc morin » stays away
# from « morell » (0.43); pg_trgm's own default, 0.6, misses the typos people make most.
MAX_NEAR_MATCHES = 20
NEAR_MATCH_THRESHOLD = 0.5
# A name's first words are enough to be near it; each more word of a long query makes the index
# read more (16 common first and family names: 0.5 s on 100,000 names, 4: 60 ms).
MAX_NEAR_WORDS = 4


def normalise_number(raw: str) -> str | None:
    """`tst 2026 7k3m9q`, `TST-2026-7K3M9Q` or `tst20267k3m9q` -> `TST-2026-7K3M9Q`; else None."""
    return normalise_reference(raw, NUMBER_PREFIX)


@dataclass(frozen=True)
class PublicCertificate:
    """What anyone may know about an issued certificate, and nothing more."""

    number: str
    holder_name: str
    scheme_name: str
    status: str
    status_label: str
    status_since: date
    public_reason: str
    public_reason_label: str
    first_issued_on: date
    issued_on: date
    valid_until: date
    profile_slug: str
    scheme_name_en: str = ""  # the scheme's English name while it still bears scheme_name

    @property
    def scheme_wording(self):
        """scheme_name in the active language (a Wording: `|lang_attr` marks French)."""
        from institut.content_language import translated_field

        return translated_field(self, "scheme_name")

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.ACTIVE

    @property
    def holder_erased(self) -> bool:
        """The holder had their data erased: the number and its status remain, not the name."""
        return not self.holder_name


def public_certificate(number: str) -> PublicCertificate | None:
    """The public facts of the certificate with this number (any form of it), or None."""
    normalised = normalise_number(number)
    if normalised is None:
        return None
    certificate = (
        Certificate.objects.select_related("holder__registry_profile", "scheme")
        .filter(number=normalised)
        .first()
    )
    if certificate is None:
        return None
    state = effective_status(certificate)
    status = state.status
    reason = ""
    if not state.recorded:
        reason = PublicReason.EXPIRED
    elif status != CertificateStatus.ACTIVE:
        latest = certificate.events.order_by("-at", "-pk").values_list("public_reason", flat=True)
        reason = latest.first() or ""
    profile = getattr(certificate.holder, "registry_profile", None)
    listed = profile is not None and profile.listed and status == CertificateStatus.ACTIVE
    return PublicCertificate(
        number=certificate.number,
        holder_name=certificate.holder_name,
        scheme_name=certificate.scheme_name,
        status=status,
        status_label=state.label,
        status_since=state.since,
        public_reason=reason,
        public_reason_label=str(PublicReason(reason).label) if reason else "",
        first_issued_on=certificate.first_issued_on,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        profile_slug=profile.slug if listed else "",
        scheme_name_en=(
            certificate.scheme.name_en if certificate.scheme.name == certificate.scheme_name else ""
        ),
    )


def registry_certificates(
    *, query: str = "", region: str = "", practice_field: str = ""
) -> QuerySet[Certificate]:
    """Active, unexpired certificates of holders who opted in, filtered; one row each."""
    certificates = _listed(region=region, practice_field=practice_field)
    key = search_key(query)
    if key:
        # The key is already lowercase and unaccented: a plain LIKE, served by the trigram index.
        certificates = certificates.filter(holder__registry_profile__search_key__contains=key)
    # By family name, then by the whole name (« Anne Martin » before « Zoé Martin »).
    return certificates.order_by(
        "holder__registry_profile__sort_key", "holder__registry_profile__search_key", "pk"
    )


def registry_near_matches(
    *, query: str, region: str = "", practice_field: str = ""
) -> list[Certificate]:
    """The listed holders whose name is close to the query (« morell » for Claude Morel,
    « Moreau Piere » for Pierre Moreau), closest first, at most MAX_NEAR_MATCHES of them,
    found through the trigram index of the words. Empty without pg_trgm (SQLite)."""
    words = " ".join(search_words(query).split()[:MAX_NEAR_WORDS])
    if not words or connection.vendor != "postgresql":
        return []
    certificates = (
        _listed(region=region, practice_field=practice_field)
        .filter(holder__registry_profile__search_words__trigram_word_similar=words)
        .annotate(closeness=TrigramWordSimilarity(words, "holder__registry_profile__search_words"))
        .order_by(
            "-closeness",
            "holder__registry_profile__sort_key",
            "holder__registry_profile__search_key",
            "pk",
        )
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # The operator that the index serves reads its threshold from this setting, for this
        # transaction only (a pooled connection keeps nothing of it).
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(NEAR_MATCH_THRESHOLD)],
        )
        return list(certificates[:MAX_NEAR_MATCHES])


def _listed(*, region: str, practice_field: str) -> QuerySet[Certificate]:
    """The listed certificates, in a region and a field of practice when asked."""
    certificates = Certificate.objects.filter(
        status=CertificateStatus.ACTIVE,
        valid_until__gte=timezone.localdate(),
        holder__registry_profile__listed=True,
    ).select_related("holder__registry_profile", "scheme")
    if region:
        # A region the holder keeps private is not searchable either.
        certificates = certificates.filter(
            holder__registry_profile__show_region=True, holder__registry_profile__region=region
        )
    if practice_field:
        certificates = certificates.filter(
            holder__registry_profile__show_practice_fields=True,
            holder__registry_profile__practice_fields__contains=f" {practice_field} ",
        )
    return certificates


def listed_profile(slug: str) -> tuple[RegistryProfile, Certificate] | None:
    """A listed profile with its holder's active certificate, or None if it may not be shown."""
    certificate = registry_certificates().filter(holder__registry_profile__slug=slug).first()
    if certificate is None:
        return None
    return certificate.holder.registry_profile, certificate


def holder_certificate(holder) -> Certificate | None:
    """The holder's most recent certificate, whatever its status."""
    return Certificate.objects.filter(holder=holder).order_by("-first_issued_on", "-pk").first()
