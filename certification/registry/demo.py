"""Demo registry: thirty-odd certified practitioners across regions, with accented names; most
listed, some not; some suspended, revoked, expired or voluntarily inactive, so that every case of
the registry and of verification can be seen.

Idempotent: people are found by e-mail, certificates by holder, profiles by holder. Runs after
certification's own demo step; status changes go through certification's one status service.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from certification import services
from certification.models import (
    DEFAULT_SCHEME_NAME,
    Certificate,
    CertificateStatus,
    CertificationScheme,
    PublicReason,
)
from certification.reasons import certificate_reason
from certification.registry.models import RegistryProfile
from certification.registry.services import (
    registry_profile_get_or_create,
    registry_profile_update,
)
from institut.demo import ensure_user
from institut.roles import Role

S = CertificateStatus
# (name, city, region, fields, languages, status, listed, days until expiry)
PRACTITIONERS = [
    ("Hélène Garnier", "Lyon", "ara", "quartiers education", "français", S.ACTIVE, True, 900),
    ("Marc Duprè", "Villeurbanne", "ara", "quartiers justice", "français", S.ACTIVE, True, 640),
    ("Noël Fontaine", "Rennes", "bre", "education", "français, breton", S.ACTIVE, True, 1000),
    ("Elif Çelik", "Strasbourg", "ges", "quartiers social", "français, turc", S.ACTIVE, True, 320),
    ("Ingrid Ødegaard", "Oslo", "etr", "international", "norvégien, anglais", S.ACTIVE, True, 800),
    ("Zoé Lefèvre", "Lille", "hdf", "education sante", "français", S.ACTIVE, True, 75),
    ("Loïc Le Bihan", "Brest", "bre", "collectivites", "français", S.ACTIVE, True, 500),
    ("Anaïs Benoît", "Marseille", "pac", "quartiers", "français, arabe", S.ACTIVE, True, 950),
    ("Jérémie Saïd", "Nice", "pac", "justice social", "français", S.ACTIVE, True, 410),
    ("Maëlle Guérin", "Nantes", "pdl", "associations", "français", S.ACTIVE, True, 700),
    ("Rémi Faÿ", "Dijon", "bfc", "entreprises", "français, allemand", S.ACTIVE, True, 600),
    (
        "Inès Bouzid",
        "Saint-Denis",
        "idf",
        "quartiers education",
        "français, kabyle",
        S.ACTIVE,
        True,
        880,
    ),
    (
        "Côme Delaunay",
        "Paris",
        "idf",
        "entreprises collectivites",
        "français, anglais",
        S.ACTIVE,
        True,
        300,
    ),
    ("Léonie N'Diaye", "Créteil", "idf", "social sante", "français, wolof", S.ACTIVE, True, 720),
    ("Bénédicte Aubé", "Rouen", "nor", "sante", "français", S.ACTIVE, True, 560),
    ("Gaëtan Moreau", "Bordeaux", "naq", "quartiers", "français, espagnol", S.ACTIVE, True, 990),
    (
        "Sévérine Castaño",
        "Toulouse",
        "occ",
        "education associations",
        "français, espagnol",
        S.ACTIVE,
        True,
        450,
    ),
    ("Joël Pérez", "Montpellier", "occ", "justice", "français", S.ACTIVE, True, 610),
    ("Aurélie Françoise", "Orléans", "cvl", "collectivites", "français", S.ACTIVE, True, 830),
    (
        "Paolo Santucci",
        "Ajaccio",
        "cor",
        "associations",
        "français, corse, italien",
        S.ACTIVE,
        True,
        390,
    ),
    (
        "Marie-Hélène Célestine",
        "Fort-de-France",
        "mtq",
        "quartiers education",
        "français, créole",
        S.ACTIVE,
        True,
        770,
    ),
    ("Teddy Rivière", "Pointe-à-Pitre", "gua", "social", "français, créole", S.ACTIVE, True, 660),
    ("Kévin Hoarau", "Saint-Pierre", "reu", "education", "français, créole", S.ACTIVE, True, 540),
    ("Fatima Anli", "Mamoudzou", "myt", "sante social", "français, shimaoré", S.ACTIVE, True, 480),
    (
        "Gwénaëlle Iriart",
        "Bayonne",
        "naq",
        "international",
        "français, basque",
        S.ACTIVE,
        True,
        920,
    ),
    # Certified, verifiable, but not in the registry.
    ("Björn Åkesson", "Genève", "etr", "international", "français, suédois", S.ACTIVE, False, 700),
    ("Chloé Vasseur", "Amiens", "hdf", "education", "français", S.ACTIVE, False, 850),
    # Listed once, but no longer active: absent from the registry, verifiable with the reason.
    ("Thérèse Ménard", "Grenoble", "ara", "quartiers", "français", S.SUSPENDED, True, 400),
    ("Raphaël Hénon", "Metz", "ges", "justice", "français", S.REVOKED, True, 500),
    ("Agnès Lecœur", "Caen", "nor", "social", "français", S.EXPIRED, True, -30),
    ("Yannick Quéré", "Vannes", "bre", "collectivites", "français", S.INACTIVE, True, 620),
]

# Family names the registry could not guess from the last word of the name.
FAMILY_NAMES = {"Loïc Le Bihan": "Le Bihan"}

REASONS = {
    S.SUSPENDED: (
        PublicReason.SUPERVISION,
        "Pas de supervision depuis plus d'un an ; suspension jusqu'à la reprise.",
    ),
    S.REVOKED: (
        PublicReason.ETHICS,
        "Manquement à la confidentialité établi par la commission après audition.",
    ),
    S.INACTIVE: (PublicReason.HOLDER_REQUEST, "Congé parental : retrait demandé par la titulaire."),
}

BIO = (
    "Intervenant·e en Thérapie Sociale TST®, j'accompagne des groupes dont la coopération est "
    "bloquée : {fields}. J'interviens à {city} et alentour."
)


def email_of(name: str) -> str:
    from institut.lib.text import fold

    local = fold(name).replace(" ", ".").replace("'", "")
    return f"registre.{local}@demo.institut.test"


def create_demo(cast: dict) -> None:
    """Thirty-one practitioners with certificates and registry profiles."""
    with transaction.atomic():
        scheme = ensure_scheme()
        for row in PRACTITIONERS:
            ensure_practitioner(cast, scheme, *row)


def ensure_scheme() -> CertificationScheme:
    """The scheme that certification's demo created (or a default one, if it did not run)."""
    scheme = CertificationScheme.objects.filter(name=DEFAULT_SCHEME_NAME).order_by("pk").first()
    return scheme or CertificationScheme.objects.create(name=DEFAULT_SCHEME_NAME)


def ensure_practitioner(cast, scheme, name, city, region, fields, languages, status, listed, days):
    holder = ensure_user(email_of(name), name, [Role.TRAINEE])
    if not Certificate.objects.filter(holder=holder).exists():
        today = timezone.localdate()
        valid_until = today + timedelta(days=days)
        issued = services.add_years(valid_until, -scheme.validity_years)
        certificate, _event = services.certificate_record(
            holder=holder,
            scheme=scheme,
            actor=cast["committee"],
            issued_on=issued,
            valid_until=valid_until,
            reason=certificate_reason("granted"),
        )
        if status == S.EXPIRED:
            services.certificate_expire(certificate=certificate)
        elif status != S.ACTIVE:
            public_reason, reason = REASONS[status]
            services.certificate_change_status(
                certificate=certificate,
                to_status=status,
                actor=cast["committee"],
                reason=reason,
                public_reason=public_reason,
                effective_on=today - timedelta(days=20),
            )
    profile = registry_profile_get_or_create(holder=holder)
    if profile.city:
        return  # already filled in (by the demo, or since by hand)
    labels = ", ".join(
        label.lower()
        for label in RegistryProfile(practice_fields=f" {fields} ").practice_field_labels
    )
    registry_profile_update(
        holder=holder,
        changes={
            "listed": listed,
            "family_name": FAMILY_NAMES.get(name, profile.family_name),
            "city": city,
            "region": region,
            "languages": languages,
            "practice_fields": fields.split(),
            "bio": BIO.format(fields=labels, city=city),
            "show_city": True,
            "show_region": True,
            "show_languages": True,
            "show_practice_fields": True,
            "show_bio": True,
            "contact_enabled": listed and len(name) % 2 == 0,
        },
    )
