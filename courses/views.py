"""Views of the courses app: they validate, call a service or selector, and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from wagtail.views import serve as wagtail_serve

from courses import selectors, services
from institut import person_cache, roles
from institut.dashboard import panels_for, render_spaces
from institut.document_check import CheckedDocument, document_check
from institut.downloads import pdf_attachment
from institut.lib.request_memo import request_memo
from institut.page_cache import site_pages
from institut.personal_pages import personal_page
from institut.ratelimit import rate_limited

# --- The trainee's space -------------------------------------------------------------------------


@login_required
@personal_page(visits=True)  # "continue where I left off" changes with every lesson opened
def dashboard(request):
    """/espace/: the person's space. A trainee's courses in progress and completed,
    attestations, quiz results and other panels; then the part of each other role they hold."""
    if not roles.is_trainee(request.user):
        return render(request, "courses/dashboard.html", {"spaces": render_spaces(request)})
    # One memo for this request: the panels of other apps read the same totals (practice,
    # supervision, completed courses) and each is queried once.
    # Totals derived from the person's records come from the cache until one of them changes.
    with request_memo(), person_cache.for_display():
        context = selectors.dashboard_context(user=request.user)
        context["panels"] = [
            mark_safe(render_to_string(panel["template"], panel["context"], request))
            for panel in panels_for(request.user)
        ]
        context["spaces"] = render_spaces(request)
    # The link to the catalogue only shows when no course is in progress.
    context["catalogue"] = None if context["in_progress"] else selectors.catalogue_page()
    return render(request, "courses/dashboard.html", context)


@login_required
def attestation_download(request, number: str):
    """The attestation PDF, for its owner only (anyone else gets 404)."""
    if not selectors.ATTESTATION_NUMBER.match(number):
        raise Http404
    attestation = selectors.attestation_for_owner(user=request.user, number=number)
    if attestation is None or not attestation.pdf:
        raise Http404
    return pdf_attachment(attestation, services.attestation_document(attestation).name)


# --- Public pages --------------------------------------------------------------------------------


ATTESTATION = CheckedDocument(
    pattern=selectors.ATTESTATION_NUMBER,
    route="courses:attestation_check",
    find=lambda number: selectors.attestation_by_number(number=number),
    name="attestation",
    template="courses/attestation_check.html",
    shape_error=gettext_lazy(
        "« %(number)s » n'a pas la forme d'un numéro d'attestation (ATT-2026-XXXXXX)."
    ),
    unknown_error=gettext_lazy("Aucune attestation ne porte ce numéro."),
)


@require_GET
@rate_limited
def attestation_check(request, number: str | None = None):
    """Anyone can check an attestation by its number: who, which course, when."""
    return document_check(request, number, ATTESTATION)


@require_GET
@site_pages.cached_for_anonymous
def catalogue(request):
    """The catalogue's named URL: serves the live catalogue page of the current language."""
    page = selectors.catalogue_page()
    if page is None:
        raise Http404
    if page.slug != "formations" or page.locale.language_code != translation.get_language():
        return redirect(page.get_url(request))
    return wagtail_serve(request, "formations/")
