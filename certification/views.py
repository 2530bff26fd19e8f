"""Pages of the certification app: views validate, call a service, and render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import documents, forms, permissions, selectors, services
from certification.credentials import services as credential_services
from certification.credentials.keys import NoSigningKey
from certification.links import linkedin_add_url, verification_url
from certification.models import (
    Application,
    ApplicationDocument,
    Certificate,
    CertificateStatus,
    PublicReason,
)
from courses import selectors as course_selectors
from institut import person_cache, roles
from institut.decorators import role_required, second_factor_required
from institut.downloads import attachment, pdf_attachment
from institut.form_actions import errors_to_form, form_action_done, form_page
from institut.middleware import memo_for_reading
from institut.personal_pages import personal_page

# --- The trainee's path -----------------------------------------------------------------------


@role_required(permissions.can_follow_path)
@personal_page
@memo_for_reading
def path(request):
    with person_cache.for_display():  # totals kept until the person's records change
        context = selectors.path_context(request.user)
    context["charter_form"] = forms.CharterAcceptForm()
    context["results"] = selectors.published_certification_results()
    return render(request, "certification/path.html", context)


@require_POST
@role_required(permissions.can_follow_path)
def charter_accept(request):
    charter = selectors.current_charter()
    form = forms.CharterAcceptForm(request.POST)
    if charter is None:
        raise Http404
    if form.is_valid():
        services.charter_accept(user=request.user, charter=charter)
        messages.success(request, _("Votre acceptation de la charte est enregistrée."))
        return redirect("certification:path")
    context = selectors.path_context(request.user)
    context["charter_form"] = form
    context["results"] = selectors.published_certification_results()
    return form_page(request, "certification/path.html", context)


@role_required(permissions.can_follow_path)
def apply(request):
    context = selectors.path_context(request.user)
    if not context["can_apply"]:
        messages.warning(request, _("Vous ne pouvez pas encore déposer de candidature."))
        return redirect("certification:path")
    form = forms.ApplicationForm(request.POST or None, request.FILES or None)
    certificate = context["certificate"] if context["eligibility"].kind == "renewal" else None
    if form_action_done(
        request,
        form,
        lambda data: services.application_submit(
            applicant=request.user,
            statement=data["statement"],
            documents=data["documents"],
            certificate=certificate,
        ),
        _("Votre candidature est déposée."),
    ):
        return redirect("certification:path")
    return form_page(request, "certification/apply.html", {**context, "form": form})


@role_required(permissions.can_follow_path)
def application_complete(request, pk: int):
    application = get_object_or_404(
        Application, pk=pk, applicant=request.user, status=Application.Status.MORE_REQUESTED
    )
    form = forms.CompleteForm(request.POST or None, request.FILES or None)
    if form_action_done(
        request,
        form,
        lambda data: services.application_complete(
            application=application,
            applicant=request.user,
            statement=data["statement"],
            documents=data["documents"],
        ),
        _("Votre candidature complétée est transmise."),
    ):
        return redirect("certification:path")
    request_event = application.events.filter(to_status="more_requested").last()
    return form_page(
        request,
        "certification/complete.html",
        {"application": application, "form": form, "request_event": request_event},
    )


@login_required
@second_factor_required
def document(request, pk: int):
    doc = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    if not permissions.can_see_application(request.user, doc.application):
        raise Http404
    return attachment(doc.file, doc.original_name)


# --- The holder's certificate -----------------------------------------------------------------


def _own_certificate(request, number: str) -> Certificate:
    certificate = Certificate.objects.select_related("holder").filter(number=number).first()
    if certificate is None or not permissions.is_holder(request.user, certificate):
        raise Http404
    return certificate


@login_required
def certificate(request, number: str):
    cert = _own_certificate(request, number)
    return render(request, "certification/certificate.html", _certificate_context(cert))


def _certificate_context(cert: Certificate, status_form=None) -> dict:
    return {
        "certificate": cert,
        "events": selectors.certificate_events(cert),
        "verification_url": verification_url(cert.number),
        "linkedin_url": linkedin_add_url(cert),
        "status_form": status_form or forms.HolderStatusForm(),
        "pending_audit": selectors.pending_audit_of(cert.holder),
    }


@require_POST
@login_required
def certificate_status(request, number: str):
    """The holder becomes voluntarily inactive, or active again."""
    cert = _own_certificate(request, number)
    to_status = {
        CertificateStatus.ACTIVE: CertificateStatus.INACTIVE,
        CertificateStatus.INACTIVE: CertificateStatus.ACTIVE,
    }.get(services.certificate_changes_from(cert))
    if to_status is None:
        raise Http404
    form = forms.HolderStatusForm(request.POST)
    # A refusal (e.g. today precedes the last event of the history) goes above the form.
    if form_action_done(
        request,
        form,
        lambda data: services.certificate_change_status(
            certificate=cert,
            to_status=to_status,
            actor=request.user,
            reason=data["reason"],
            public_reason=PublicReason.HOLDER_REQUEST,
            effective_on=timezone.localdate(),
        ),
        _("Le statut de votre certificat est modifié."),
    ):
        return redirect("certification:certificate", number=cert.number)
    return form_page(
        request, "certification/certificate.html", _certificate_context(cert, status_form=form)
    )


@login_required
def certificate_pdf(request, number: str):
    cert = _own_certificate(request, number)
    cert = documents.certificate_pdf_ensure(certificate_id=cert.pk)
    return pdf_attachment(cert, documents.certificate_document(cert).name)


@login_required
def certificate_badge(request, number: str):
    """The holder's signed Open Badges 3.0 credential for the current validity period."""
    cert = _own_certificate(request, number)
    return _badge_download(
        request, lambda: credential_services.certificate_credential(cert), cert.number
    )


@login_required
def attestation_badge(request, number: str):
    """The owner's signed Open Badges 3.0 credential of a training attestation."""
    attestation = course_selectors.attestation_for_owner(user=request.user, number=number)
    if attestation is None:
        raise Http404
    return _badge_download(
        request, lambda: credential_services.attestation_credential(attestation), number
    )


def _badge_download(request, build, number: str):
    """The signed credential as a file; a clear page when no signing key is configured."""
    try:
        credential = build()
    except NoSigningKey:
        return render(request, "certification/badge_unavailable.html", status=503)
    response = HttpResponse(
        json.dumps(credential, ensure_ascii=False, indent=2),
        content_type="application/ld+json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{number}-openbadge.json"'
    return response


# --- Supervisors ------------------------------------------------------------------------------

DECIDED_SHOWN = 20  # the supervisor's history: the latest decisions


@role_required(roles.is_trainer, mfa=True)
def opinions(request):
    """The supervised trainees' applications awaiting a decision, then the latest decided."""
    return render(
        request,
        "certification/opinions.html",
        {
            "applications": list(selectors.applications_for_supervisor(request.user)[:100]),
            "decided": list(
                selectors.decided_applications_for_supervisor(request.user)[:DECIDED_SHOWN]
            ),
        },
    )


@role_required(roles.is_trainer, mfa=True)
def opinion(request, pk: int):
    application = get_object_or_404(Application.objects.select_related("applicant"), pk=pk)
    if not permissions.can_give_opinion(request.user, application):
        raise Http404
    given = application.opinions.filter(supervisor=request.user).first()
    form = forms.OpinionForm(request.POST or None)
    if given is None and form_action_done(
        request,
        form,
        lambda data: services.opinion_give(
            application=application,
            supervisor=request.user,
            verdict=data["verdict"],
            text=data["text"],
        ),
        _("Votre avis est transmis à la commission."),
    ):
        return redirect("certification:opinions")
    evidence = selectors.application_evidence(application)
    return render(
        request,
        "certification/opinion.html",
        {"application": application, "form": form, "given": given, **evidence},
        status=400 if request.method == "POST" and given is None else 200,
    )


# --- The committee ----------------------------------------------------------------------------

committee_only = role_required(roles.is_committee_member, mfa=True)


@committee_only
def committee(request):
    status = request.GET.get("statut") or ""
    if status not in Application.Status.values:
        status = ""
    page = Paginator(selectors.committee_applications(status=status or None), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "certification/committee.html",
        {"page": page, "status": status, "statuses": Application.Status.choices},
    )


@committee_only
def committee_application(request, pk: int):
    application = get_object_or_404(
        Application.objects.select_related("applicant", "certificate", "scheme", "issued"), pk=pk
    )
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_decide(
                application=application,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise Http404 from error
            errors_to_form(form, error)
        else:
            if application.status == Application.Status.GRANTED:
                messages.success(request, _("La certification est accordée."))
            elif form.cleaned_data["decision"] == services.Decision.GRANT:
                messages.error(
                    request,
                    _(
                        "La certification ne peut pas être accordée : une condition n'est plus "
                        "remplie. La candidature est refusée ; son historique nomme la condition "
                        "manquante."
                    ),
                )
            else:
                messages.success(request, _("La décision est enregistrée."))
            return redirect("certification:committee_application", pk=application.pk)
    evidence = selectors.application_evidence(application)
    return form_page(
        request,
        "certification/committee_application.html",
        {"application": application, "form": form, **evidence},
    )


@committee_only
def committee_certificates(request):
    page = Paginator(selectors.committee_certificates(), 50).get_page(request.GET.get("page"))
    return render(request, "certification/committee_certificates.html", {"page": page})


@committee_only
def committee_certificate(request, pk: int):
    cert = get_object_or_404(Certificate.objects.select_related("holder", "scheme"), pk=pk)
    form = forms.StatusChangeForm(request.POST or None)
    if form_action_done(
        request,
        form,
        lambda data: services.certificate_change_status(
            certificate=cert, actor=request.user, **data
        ),
        _("Le statut du certificat est modifié."),
    ):
        return redirect("certification:committee_certificate", pk=cert.pk)
    return form_page(
        request,
        "certification/committee_certificate.html",
        {
            "certificate": cert,
            "form": form,
            "events": selectors.certificate_events(cert),
            "allowed": sorted(services.allowed_certificate_changes(cert)),
        },
    )
