"""Any change the registry shows (status, event, profile, holder name, the certification's
results) clears its pages."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certification.models import (
    DECISION_ACTIONS,
    ApplicationEvent,
    Certificate,
    CertificateEvent,
)
from certification.registry import cache as registry_cache
from certification.registry.models import RegistryProfile
from certification.registry.services import registry_profile_rename


@receiver(post_save, sender=Certificate, dispatch_uid="registry_certificate_saved")
@receiver(post_save, sender=CertificateEvent, dispatch_uid="registry_event_saved")
@receiver(post_save, sender=RegistryProfile, dispatch_uid="registry_profile_saved")
@receiver(post_delete, sender=RegistryProfile, dispatch_uid="registry_profile_deleted")
def registry_changed(sender, **kwargs) -> None:
    registry_cache.invalidate()


@receiver(post_save, sender=ApplicationEvent, dispatch_uid="registry_results_decision")
def decision_recorded(sender, instance, created, **kwargs) -> None:
    """A committee decision changes the published success rate (a grant also issues a
    certificate, which clears the pages by itself; a refusal does not)."""
    if created and instance.action in DECISION_ACTIONS:
        registry_cache.invalidate()


@receiver(post_save, sender="home.InstitutSettings", dispatch_uid="registry_results_minimum")
def minimum_changed(sender, created=False, **kwargs) -> None:
    """The minimum number of decisions before a rate is published is one of the Institut's
    settings. Their row is created, with the defaults pages were already made with, by the first
    page that reads them: that changes nothing (and must not empty the cache it is filling)."""
    if not created:
        registry_cache.invalidate()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="registry_holder_renamed")
def holder_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Keep the search and sort keys in step with the holder's name, whoever changed it."""
    if created or (update_fields is not None and "full_name" not in update_fields):
        return
    registry_profile_rename(holder=instance)
