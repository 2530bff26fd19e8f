"""Any change the registry shows (status, event, profile, holder name) clears its pages."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certification.models import Certificate, CertificateEvent
from certification.registry import cache as registry_cache
from certification.registry.models import RegistryProfile
from institut.lib.text import search_key


@receiver(post_save, sender=Certificate, dispatch_uid="registry_certificate_saved")
@receiver(post_save, sender=CertificateEvent, dispatch_uid="registry_event_saved")
@receiver(post_save, sender=RegistryProfile, dispatch_uid="registry_profile_saved")
@receiver(post_delete, sender=RegistryProfile, dispatch_uid="registry_profile_deleted")
def registry_changed(sender, **kwargs) -> None:
    registry_cache.invalidate()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="registry_holder_renamed")
def holder_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Keep the search key in step with the holder's name, whoever changed it."""
    if created or (update_fields is not None and "full_name" not in update_fields):
        return
    key = search_key(instance.full_name)
    if (
        RegistryProfile.objects.filter(holder=instance)
        .exclude(search_key=key)
        .update(search_key=key)
    ):
        registry_cache.invalidate()
