"""Pages of the public registry: search, a listed profile, verification, contact, my profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certification import permissions as certification_permissions
from certification import selectors as certification_selectors
from certification.registry import selectors as registry_selectors
from certification.registry import services as registry_services
from certification.registry.cache import cached_for_anonymous, registry_pages
from certification.registry.forms import (
    ContactForm,
    RegistryProfileForm,
    RegistrySearchForm,
    VerifyForm,
)
from institut import person_cache, ratelimit
from institut.lib.references import MAX_TYPED_LENGTH
from institut.ratelimit import rate_limited, too_many_requests

PAGE_SIZE = 50


@require_GET
@rate_limited
@cached_for_anonymous
def registry(request):
    """The list of listed holders of an active certificate, searched and filtered."""
    form = RegistrySearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        certificates = registry_selectors.registry_certificates(
            query=form.cleaned_data["q"],
            region=form.cleaned_data["region"],
            practice_field=form.cleaned_data["domaine"],
        )
    elif not form.is_bound:
        certificates = registry_selectors.registry_certificates()
    else:
        certificates = None
    near = []
    if certificates is not None:
        page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
        if not page.paginator.count and form.is_bound and form.cleaned_data["q"]:
            # Nothing exact (a typo, the words the other way round): the names close to it.
            near = registry_selectors.registry_near_matches(
                query=form.cleaned_data["q"],
                region=form.cleaned_data["region"],
                practice_field=form.cleaned_data["domaine"],
            )
    return render(
        request,
        "certification/registry/index.html",
        {
            "form": form,
            "page": page,
            "cards": _cards(near or (page.object_list if page is not None else [])),
            "near": bool(near),
            "results": certification_selectors.published_certification_results(),
        },
        # A search that cannot be made says so (above the form's fields), not an empty list.
        status=400 if certificates is None else 200,
    )


def _cards(certificates) -> list[str]:
    """Each result's card, made once per registry version and language (any change of a
    certificate or a profile bumps the version): one cache round trip for the page."""
    version = registry_pages.version_or_none()
    if version is None:
        return [_card(certificate) for certificate in certificates]
    language = translation.get_language()
    keys = {f"registry-card:{version}:{language}:{c.pk}": c for c in certificates}
    found = person_cache.cached_many(list(keys))
    made = {key: _card(c) for key, c in keys.items() if key not in found}
    person_cache.keep_many(made, seconds=settings.REGISTRY_CACHE_SECONDS)
    return [mark_safe(found.get(key) or made[key]) for key in keys]


def _card(certificate) -> str:
    return render_to_string("certification/registry/_card.html", {"certificate": certificate})


@require_GET
@rate_limited
@cached_for_anonymous
def profile(request, slug: str):
    """A listed practitioner's public fields, their certificate number and its verification."""
    found = registry_selectors.listed_profile(slug)
    if found is None:
        raise Http404
    profile, certificate = found
    return render(
        request,
        "certification/registry/profile.html",
        {
            "profile": profile,
            "public": profile.public_fields(),
            "certificate": registry_selectors.public_certificate(certificate.number),
        },
    )


@require_GET
@rate_limited
def verify_form(request):
    """Type a number; a well-formed one goes to its verification page."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("certification:verify_number", number=form.cleaned_data["numero"])
    return render(request, "certification/registry/verify_form.html", {"form": form})


@require_GET
@rate_limited
@cached_for_anonymous
def verify(request, number: str):
    """The public facts of any issued certificate; a helpful 404 for anything else."""
    certificate = registry_selectors.public_certificate(number)
    if certificate is None:
        return render(
            request,
            "certification/registry/not_found.html",
            {"form": VerifyForm(initial={"numero": number[:MAX_TYPED_LENGTH]})},
            status=404,
        )
    if certificate.number != number:
        return redirect("certification:verify_number", number=certificate.number)
    return render(request, "certification/registry/verify.html", {"certificate": certificate})


@require_http_methods(["GET", "POST"])
def contact(request, slug: str):
    """Write to a listed practitioner without ever seeing their address."""
    found = registry_selectors.listed_profile(slug)
    if found is None or not found[0].contact_enabled:
        raise Http404
    profile, _certificate = found
    if request.GET.get("envoye"):
        return render(request, "certification/registry/contact_sent.html", {"profile": profile})
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, action="contact"):
            return too_many_requests(request)
        if not form.is_robot:
            registry_services.registry_contact_send(
                profile=profile,
                sender_name=form.cleaned_data["name"],
                sender_email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
        url = reverse("certification:registry_contact", kwargs={"slug": profile.slug})
        return redirect(f"{url}?envoye=1")
    return render(
        request, "certification/registry/contact.html", {"profile": profile, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request):
    """The holder chooses whether and how they appear in the registry."""
    certificate = registry_selectors.holder_certificate(request.user)
    if certificate is None:  # the registry's link is shown to all: say why, and where to go
        return render(
            request,
            "certification/registry/no_certificate.html",
            {"can_follow_path": certification_permissions.can_follow_path(request.user)},
            status=404,
        )
    profile = registry_services.registry_profile_get_or_create(holder=request.user)
    form = RegistryProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile = registry_services.registry_profile_update(
            holder=request.user, changes=form.changes()
        )
        if profile.listed:
            messages.success(request, _("Votre fiche du registre est enregistrée."))
        else:
            messages.success(request, _("Votre fiche ne figure plus dans le registre public."))
        return redirect("certification:registry_my_profile")
    return render(
        request,
        "certification/registry/my_profile.html",
        {
            "form": form,
            "profile": profile,
            "certificate": registry_selectors.public_certificate(certificate.number),
        },
    )
