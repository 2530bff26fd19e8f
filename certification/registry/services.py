"""Writes of the public registry: a holder's profile, and the contact form's relayed message."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from certification.registry import cache as registry_cache
from certification.registry import selectors as registry_selectors
from certification.registry.models import PracticeField, RegistryProfile
from institut.lib.references import ALPHABET, random_code
from institut.lib.text import fold, search_key
from institut.models import User
from institut.outbox.services import email_enqueue

EDITABLE_FIELDS = (
    "listed",
    "city",
    "region",
    "languages",
    "practice_fields",
    "bio",
    "photo",
    "show_city",
    "show_region",
    "show_languages",
    "show_practice_fields",
    "show_bio",
    "show_photo",
    "contact_enabled",
)


def new_profile_slug(holder: User) -> str:
    """A fresh public address for a holder's profile: their name, then four random characters."""
    base = slugify(fold(holder.full_name))[:60] or "intervenant"
    suffix = random_code(4, alphabet=ALPHABET.lower())
    return f"{base}-{suffix}"


def practice_fields_value(codes) -> str:
    """Fields of practice as stored: known codes in their order, space-delimited for searching."""
    valid = [code for code in PracticeField.values if code in set(codes or ())]
    return f" {' '.join(valid)} " if valid else ""


def registry_profile_get_or_create(*, holder: User) -> RegistryProfile:
    """The holder's registry profile, created unlisted with everything private the first time."""
    profile = RegistryProfile.objects.filter(holder=holder).first()
    if profile is not None:
        return profile
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return RegistryProfile.objects.create(
                    holder=holder,
                    slug=new_profile_slug(holder),
                    search_key=search_key(holder.full_name),
                )
        except IntegrityError:  # a slug drawn twice, or a profile created meanwhile
            existing = RegistryProfile.objects.filter(holder=holder).first()
            if existing is not None:
                return existing
    raise RuntimeError("Could not store a registry profile.")


@transaction.atomic
def registry_profile_update(*, holder: User, changes: dict) -> RegistryProfile:
    """The holder sets what the registry shows; unlisting takes effect at once."""
    if registry_selectors.holder_certificate(holder) is None:
        raise PermissionDenied
    profile = registry_profile_get_or_create(holder=holder)
    profile = RegistryProfile.objects.select_for_update().get(pk=profile.pk)
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} is not a field the holder edits")
        if name == "practice_fields":
            value = practice_fields_value(value)
        if name == "photo" and value is False:  # the form's "clear" box
            profile.photo.delete(save=False)
            value = ""
        if name == "photo" and value is None:
            continue
        setattr(profile, name, value)
    profile.search_key = search_key(holder.full_name)
    profile.save()
    registry_cache.invalidate()
    return profile


def registry_contact_send(
    *, profile: RegistryProfile, sender_name: str, sender_email: str, message: str
) -> None:
    """Relay a visitor's message to a listed holder who accepts messages.

    The holder's address is only in the envelope's To; the visitor's goes in Reply-To, so that
    the holder decides whether to answer (and so reveal their address).
    """
    if registry_selectors.listed_profile(profile.slug) is None or not profile.contact_enabled:
        raise PermissionDenied
    context = {
        "holder": profile.holder,
        "sender_name": sender_name,
        "sender_email": sender_email,
        "message": message,
        "site_url": settings.SITE_URL,
    }
    holder = profile.holder
    with translation.override(holder.language):
        subject = _("[Registre TST®] Message de %(name)s") % {"name": sender_name}
        body = render_to_string("certification/registry/email/contact.txt", context)
    # Each message sent through the form is its own effect (the form's rate limit bounds them).
    email_enqueue(
        kind="registry_contact",
        about=profile,
        to=holder,
        version=uuid.uuid4().hex,
        subject=subject,
        text=body,
        headers={"Reply-To": sender_email},
    )
