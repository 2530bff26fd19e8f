"""Writes of the public registry: a holder's profile, and the contact form's relayed message."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from certification.registry import cache as registry_cache
from certification.registry import selectors as registry_selectors
from certification.registry.models import PracticeField, RegistryProfile
from institut.lib.references import ALPHABET, random_code
from institut.lib.text import fold, last_word, search_key, search_words
from institut.models import User
from institut.outbox.services import email_enqueue

EDITABLE_FIELDS = (
    "listed",
    "family_name",
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


def proposed_family_name(full_name: str) -> str:
    """The family name a new profile starts with: the last word of the holder's name."""
    return last_word(full_name)[: RegistryProfile._meta.get_field("family_name").max_length]


def family_name_fits(family_name: str, full_name: str) -> bool:
    """True when the family name is part of the full name, accents, case and hyphens aside
    (« le bihan » in « Loïc Le Bihan »): nobody sorts themselves under another name."""
    key = search_key(family_name)
    return bool(key) and key in search_key(full_name)


def set_name_keys(profile: RegistryProfile, full_name: str) -> None:
    """The keys the registry searches and sorts by, from the holder's name and family name;
    a family name that is no longer part of the name (the holder was renamed) is proposed
    again from the new name, as for a new profile."""
    if profile.family_name and not family_name_fits(profile.family_name, full_name):
        profile.family_name = proposed_family_name(full_name)
    profile.search_key = search_key(full_name)
    profile.search_words = search_words(full_name)
    profile.sort_key = search_key(profile.family_name or proposed_family_name(full_name))


def registry_profile_get_or_create(*, holder: User) -> RegistryProfile:
    """The holder's registry profile, created unlisted with everything private the first time."""
    profile = RegistryProfile.objects.filter(holder=holder).first()
    if profile is not None:
        return profile
    for _attempt in range(5):
        try:
            with transaction.atomic():
                profile = RegistryProfile(
                    holder=holder,
                    slug=new_profile_slug(holder),
                    family_name=proposed_family_name(holder.full_name),
                )
                set_name_keys(profile, holder.full_name)
                profile.save(force_insert=True)
                return profile
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
    set_name_keys(profile, holder.full_name)
    profile.save()
    registry_cache.invalidate()
    return profile


def registry_profile_rename(*, holder: User) -> None:
    """Keep the holder's keys (and family name) in step with their name, whoever changed it."""
    profile = RegistryProfile.objects.filter(holder=holder).first()
    if profile is None:
        return
    keys = ("family_name", "search_key", "search_words", "sort_key")
    before = [getattr(profile, name) for name in keys]
    set_name_keys(profile, holder.full_name)
    if [getattr(profile, name) for name in keys] != before:
        RegistryProfile.objects.filter(pk=profile.pk).update(
            **{name: getattr(profile, name) for name in keys}
        )
        registry_cache.invalidate()


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
    }
    holder = profile.holder
    with translation.override(holder.language):
        context["profile_url"] = settings.SITE_URL + reverse("certification:registry_my_profile")
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
