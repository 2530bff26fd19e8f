"""Any change of what anonymous visitors see on the site clears the cached copies of its pages."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images.models import Image
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from home.models import InstitutSettings
from home.selectors import forget_institut_details
from institut.page_cache import site_pages


@receiver(page_published, dispatch_uid="site_pages_published")
@receiver(page_unpublished, dispatch_uid="site_pages_unpublished")
@receiver(page_slug_changed, dispatch_uid="site_pages_slug_changed")
@receiver(post_page_move, dispatch_uid="site_pages_moved")
@receiver(post_delete, sender=Page, dispatch_uid="site_pages_deleted")
@receiver(post_save, sender=Image, dispatch_uid="site_pages_image")
@receiver(post_save, sender=InstitutSettings, dispatch_uid="site_pages_settings")
@receiver(post_save, sender=Site, dispatch_uid="site_pages_site")
@receiver(post_save, sender=Locale, dispatch_uid="site_pages_locale")
# Kept routes (institut/page_routes.py) are only those of pages without a view restriction.
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="site_pages_restriction")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="site_pages_restriction_deleted")
def site_changed(sender, **kwargs) -> None:
    site_pages.invalidate()


@receiver(post_save, sender=InstitutSettings, dispatch_uid="institut_details_settings")
@receiver(post_save, sender=Site, dispatch_uid="institut_details_site")
def details_changed(sender, **kwargs) -> None:
    forget_institut_details()
    transaction.on_commit(forget_institut_details)


def page_saved(sender, instance, **kwargs) -> None:
    """A live page saved in code (not through publishing) changes what visitors see too."""
    if instance.live:
        site_pages.invalidate()


# Only page models: no check on every other model's save.
for page_model in get_page_models():
    post_save.connect(
        page_saved, sender=page_model, dispatch_uid=f"site_pages_saved_{page_model._meta.label}"
    )
