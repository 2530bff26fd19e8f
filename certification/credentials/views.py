"""Public endpoints of the issuer: DID document, issuer profile, achievements, status lists, and
the verification of a credential file. Machine documents answer the same at every address,
whatever the visitor's language, and may be read from any origin (wallets run in browsers).
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certification.credentials import documents, keys, selectors, services
from certification.credentials.forms import VerifyFileForm, too_large_message
from certification.credentials.models import StatusPurpose
from certification.credentials.verification import verify_file as verify_bytes
from institut import ratelimit
from institut.method import Step
from institut.page_cache import until_midnight

JSON_LD = "application/ld+json"
MACHINE_TYPES = (JSON_LD, "application/json", "application/vc")


def json_document(document: dict, *, content_type: str = JSON_LD, max_age: int = 300):
    """A public JSON-LD answer, readable from any origin and cacheable for `max_age` seconds."""
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=max_age)
    return response


def wants_json(request: HttpRequest) -> bool:
    """True when the client prefers JSON(-LD) to HTML (a verifier, not a browser)."""
    return request.get_preferred_type(["text/html", *MACHINE_TYPES]) in MACHINE_TYPES


def page_language(request: HttpRequest) -> str:
    """The language of a page at one of these language-free addresses: the one chosen with
    `?lang=` (the page's language links), else the browser's, as the API does."""
    chosen = request.GET.get("lang", "")
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return translation.get_language_from_request(request)


def negotiated(request, document: dict, template: str, context: dict):
    if wants_json(request):
        response = json_document(document)
        patch_vary_headers(response, ["Accept"])
        return response
    language = page_language(request)
    with translation.override(language):
        # The language links add `?lang=`: these addresses have no language prefix.
        context = {**context, "document": document, "language_by_query": True}
        response = render(request, template, context)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept", "Accept-Language", "Cookie"])
    return response


@require_GET
def did_document(request):
    """The issuer's did:web document: every key that signs or signed credentials."""
    return json_document(
        documents.did_document(selectors.published_keys()), content_type="application/did+ld+json"
    )


@require_GET
def issuer(request):
    """The Institut as an Open Badges issuer: JSON-LD for machines, a page for people."""
    profile = documents.issuer_profile_document()
    return negotiated(
        request,
        profile,
        "certification/credentials/issuer.html",
        {
            "profile": profile,
            "did": keys.issuer_did(),
            "did_url": keys.did_document_url(),
            "keys": selectors.published_keys(),
        },
    )


@require_GET
def scheme_achievement(request, scheme_id: int, version: int):
    """What the TST® certification required in this version of the scheme."""
    snapshot = selectors.scheme_snapshot(scheme_id, version)
    if snapshot is None:
        raise Http404
    achievement = documents.achievement_document(
        documents.scheme_achievement(scheme_id=scheme_id, version=version, snapshot=snapshot)
    )
    return negotiated(
        request,
        achievement,
        "certification/credentials/achievement.html",
        {
            "achievement": achievement,
            "snapshot": snapshot,
            "step_minimums": step_minimums(snapshot),
            "kind": "scheme",
        },
    )


def step_minimums(snapshot: dict) -> list[tuple]:
    """The practice hours this version required per step, in the method's order (a snapshot's
    keys come back in jsonb's order), by the step's name (lazy: read in the page's language); a
    step no longer in the method keeps its code."""
    hours = snapshot.get("min_step_hours") or {}
    names = dict(Step.choices)
    codes = [
        *(code for code in names if code in hours),
        *(code for code in hours if code not in names),
    ]
    return [(names.get(code, code), hours[code]) for code in codes if hours[code]]


@require_GET
def course_achievement(request, course_key: uuid.UUID):
    """A course of the Institut, as the achievement its attestations prove."""
    course = selectors.course_for_achievement(course_key)
    if course is None:
        raise Http404
    achievement = documents.achievement_document(
        documents.course_achievement(
            course_key=course_key,
            title=course.title,
            summary=course.summary,
            hours=course.duration_hours,
            language=selectors.course_language(course),
        )
    )
    return negotiated(
        request,
        achievement,
        "certification/credentials/achievement.html",
        {"achievement": achievement, "course": course if course.live else None, "kind": "course"},
    )


@require_GET
def status_list(request, purpose: str, sequence: int):
    """A signed BitstringStatusListCredential, as fresh as the last status change."""
    if purpose not in StatusPurpose.values:
        raise Http404
    found = selectors.status_list(purpose, sequence)
    if found is None:
        raise Http404
    try:
        signed = services.signed_status_list(found)
    except keys.NoSigningKey:
        return HttpResponse(status=503)
    # Kept no later than midnight, when a certificate past its last valid day reads expired.
    max_age = min(settings.CREDENTIALS_STATUS_LIST_MAX_AGE, until_midnight())
    return json_document(signed, content_type="application/vc", max_age=max_age)


# --- Verification of a file -------------------------------------------------------------------


def _too_large_request(request) -> bool:
    """A body far larger than any badge, refused before Django reads it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > 2 * settings.CREDENTIALS_VERIFY_MAX_BYTES + 64 * 1024


@require_http_methods(["GET", "POST"])
def verify_file(request):
    """Anyone uploads or pastes a badge file and reads, in words, what it proves today."""
    if not ratelimit.allow(request):
        return render(request, "429.html", status=429)
    if request.method == "POST" and _too_large_request(request):
        context = {"form": VerifyFileForm(), "error": too_large_message()}
        return render(request, "certification/credentials/verify_file.html", context, status=413)
    form = VerifyFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = verify_bytes(form.cleaned_data["data"])
        return render(
            request,
            "certification/credentials/verify_result.html",
            {"report": report, "form": VerifyFileForm()},
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "certification/credentials/verify_file.html",
        {"form": form, "title": _("Vérifier un badge numérique")},
        status=status,
    )
