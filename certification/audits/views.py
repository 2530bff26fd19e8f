"""Pages of the renewal audits: the holder's evidence, and the committee's list and review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certification import permissions
from certification.audits import services
from certification.audits.forms import EvidenceForm, OutcomeForm
from certification.models import RenewalAudit, RenewalAuditEvidence
from institut import roles
from institut.decorators import role_required, second_factor_required
from institut.downloads import attachment
from institut.form_actions import action_done, form_action_done, form_page

committee_only = role_required(roles.is_committee_member, mfa=True)


def _own_audit(request, pk: int) -> RenewalAudit:
    audit = get_object_or_404(RenewalAudit.objects.select_related("certificate", "draw"), pk=pk)
    if audit.certificate.holder_id != request.user.pk:
        raise Http404
    return audit


def _audit_context(audit: RenewalAudit) -> dict:
    return {
        "audit": audit,
        "evidence": list(audit.evidence.all()),
        "events": list(audit.events.select_related("actor")),
    }


@login_required
def audit(request, pk: int):
    """The holder sees what to upload, by when, and what they uploaded; adds a document."""
    audit = _own_audit(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if form_action_done(
        request,
        form,
        lambda data: services.audit_evidence_add(
            audit=audit,
            holder=request.user,
            category=data["category"],
            upload=data["file"],
            note=data["note"],
        ),
        _("Votre justificatif est enregistré."),
    ):
        return redirect("certification:audit", pk=audit.pk)
    return form_page(
        request, "certification/audits/audit.html", {**_audit_context(audit), "form": form}
    )


@require_POST
@login_required
def audit_submit(request, pk: int):
    audit = _own_audit(request, pk)
    action_done(
        request,
        lambda: services.audit_submit(audit=audit, holder=request.user),
        _("Vos justificatifs sont transmis à la commission."),
    )
    return redirect("certification:audit", pk=audit.pk)


@login_required
@second_factor_required
def evidence(request, pk: int):
    """A document of an audit, for its holder and the committee only."""
    item = get_object_or_404(
        RenewalAuditEvidence.objects.select_related("audit__certificate"), pk=pk
    )
    if not (
        item.audit.certificate.holder_id == request.user.pk or permissions.can_decide(request.user)
    ):
        raise Http404
    return attachment(item.file, item.original_name)


@committee_only
def committee_audits(request):
    status = request.GET.get("statut") or ""
    if status not in RenewalAudit.Status.values:
        status = ""
    audits = RenewalAudit.objects.select_related("certificate", "draw").order_by(
        "-suspension_proposed_at", "deadline", "pk"
    )
    if status:
        audits = audits.filter(status=status)
    page = Paginator(audits, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/audits/committee_audits.html",
        {
            "page": page,
            "status": status,
            "statuses": RenewalAudit.Status.choices,
            "draws": services.recent_draws(),
        },
    )


@committee_only
def committee_audit(request, pk: int):
    audit = get_object_or_404(RenewalAudit.objects.select_related("certificate", "draw"), pk=pk)
    form = OutcomeForm(request.POST or None)
    try:
        done = form_action_done(
            request,
            form,
            lambda data: services.audit_decide(
                audit=audit,
                actor=request.user,
                passed=data["outcome"] == "passed",
                reason=data["reason"],
            ),
            _("Le résultat de l'audit est enregistré."),
        )
    except PermissionDenied as error:
        raise Http404 from error
    if done:
        return redirect("certification:committee_audit", pk=audit.pk)
    return form_page(
        request,
        "certification/audits/committee_audit.html",
        {**_audit_context(audit), "form": form},
    )
