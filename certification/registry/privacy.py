"""What the public registry holds about a person: their profile and photo (exported, deleted at
erasure for institut.privacy)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from certification.registry.models import RegistryProfile
from certification.registry.services import EDITABLE_FIELDS
from institut.privacy import FileSpec, Provider, TableSpec


class RegistryData(Provider):
    """The registry entry: deleted at erasure, which ends the listing at once."""

    key = "registre"
    label = _("Registre public")
    order = 35

    table_specs = (
        TableSpec(
            "fiche",
            _("Fiche du registre"),
            RegistryProfile,
            "holder",
            [*(name for name in EDITABLE_FIELDS if name != "photo"), "updated_at"],
        ),
    )
    file_specs = (
        FileSpec(RegistryProfile, "holder", "photo", "fichiers/registre/photo-{row.slug}.jpg"),
    )

    def erase(self, user, erasure) -> None:
        from certification.registry import cache as registry_cache

        profiles = RegistryProfile.objects.filter(holder=user)
        erasure.delete_files(profile.photo for profile in profiles.exclude(photo=""))
        erasure.delete(profiles)
        transaction.on_commit(registry_cache.invalidate)
