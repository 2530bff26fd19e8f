"""Pages of the practice logbook: views validate input, call a service, render.

Whatever a person may not see answers 404, never 403.
"""

from __future__ import annotations

import csv
from functools import wraps

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from institut.decorators import role_required, second_factor_required
from institut.downloads import file_name
from institut.form_actions import (
    action_done,
    errors_to_form,
    form_page,
    posted,
    refusal_text,
)
from institut.lib.spreadsheets import spreadsheet_cell
from institut.method import Step
from institut.middleware import memo_for_reading
from institut.personal_pages import personal_page
from supervision.logbook import permissions, selectors, services
from supervision.logbook.forms import (
    BulkApproveForm,
    CosignConfirmForm,
    CosignRequestForm,
    PeriodCloseForm,
    PracticeEntryForm,
    ReviewForm,
)
from supervision.logbook.models import PeriodSummary, PracticeEntry
from supervision.selectors import session_practice_key, supervisors_of

# The trainee's own pages: whoever keeps no logbook finds none (404); anonymous visitors log in.
keeper_only = role_required(permissions.can_keep_logbook)

# Entries of the review queue shown per page (the oldest submissions first).
QUEUE_PAGE_SIZE = 50


def _visible_entry(request, pk: int, may=None) -> PracticeEntry:
    """The entry, with its steps and its last return comment, when the person may see it and, if
    `may` is given, do what it asks; else 404."""
    entries = selectors.with_steps(PracticeEntry.objects.select_related("trainee", "corrects"))
    entry = get_object_or_404(selectors.with_return_comment(entries), pk=pk)
    if not permissions.can_view_entry(request.user, entry):
        raise Http404
    if may is not None and not may(request.user, entry):
        raise Http404
    return entry


def _visible_period(request, pk: int) -> PeriodSummary:
    period = get_object_or_404(
        PeriodSummary.objects.select_related("trainee", "confirmed_by", "external_confirmation"),
        pk=pk,
    )
    if not permissions.can_view_period(request.user, period):
        raise Http404
    return period


def _add_errors(form, error: ValidationError) -> None:
    # The entry's duration is typed in hours.
    errors_to_form(form, error, renamed={"duration_minutes": "hours"})


# --- Trainee ----------------------------------------------------------------------------------


@login_required
@require_GET
@keeper_only
def logbook_home(request):
    user = request.user
    return render(
        request,
        "supervision/logbook/home.html",
        {
            "entries": list(selectors.logbook_entries(user)),
            "totals": selectors.totals_for_display(selectors.practice_totals(user)),
            "periods": selectors.periods_of(user),
            "supervisors": list(supervisors_of(user)),
            "to_log": [
                {"item": item, "url": _offer_url(item.key)}
                for item in selectors.practice_to_log(user)
            ],
        },
    )


def _entry_form(request, form: PracticeEntryForm, save, saved_message: str, **context):
    """The entry form's page; once `save(data)` has saved the valid form (and the entry is
    submitted, when asked), the entry's page. The service's refusal shows on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            entry = save(form.entry_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if "submit" in request.POST:
                return _submit_and_redirect(request, entry)
            messages.success(request, saved_message)
            return redirect("supervision:logbook_entry_detail", entry.pk)
    return render(
        request, "supervision/logbook/entry_form.html", {"form": form, "entry": None, **context}
    )


def _new_entry(request, *, initial: dict | None = None, practice_key: str = "", **context):
    """The form of a new entry, pre-filled with `initial` when it logs a piece of practice; the
    entry is saved as a draft that keeps `practice_key` (what it logs)."""
    return _entry_form(
        request,
        PracticeEntryForm(posted(request), initial=initial),
        lambda data: services.practice_entry_create(
            trainee=request.user, practice_key=practice_key, **data
        ),
        _("L'entrée est enregistrée comme brouillon."),
        **context,
    )


@keeper_only
def logbook_entry_create(request):
    return _new_entry(request)


def _offer_url(key: str) -> str:
    """The page of the entry offered for a piece of practice: an attended session's keeps the
    address by booking its links always had, any other's is addressed by its key."""
    booking_id = selectors.entry_link(key).get("booking_id")
    if booking_id is not None:
        return reverse("supervision:logbook_entry_from_session", args=[booking_id])
    return reverse("supervision:logbook_entry_from_practice", args=[key])


@keeper_only
def logbook_entry_offered(request, key: str):
    """The entry offered for a piece of practice on the platform (an attended supervision
    session, a training day...), pre-filled: confirm or edit it."""
    found = selectors.practice_to_log(request.user, key=key)
    if not found:
        raise Http404
    suggestion = found[0]
    return _new_entry(
        request,
        initial=selectors.practice_prefill(suggestion),
        practice_key=suggestion.key,
        offered=suggestion,
    )


def logbook_entry_from_session(request, booking_pk: int):
    """An attended session's entry at its address by booking: the same page as by its key."""
    return logbook_entry_offered(request, key=session_practice_key(booking_pk))


@login_required
def logbook_entry_delete(request, pk: int):
    """Deleting a draft, after a confirmation page; nothing else can be deleted."""
    entry = _visible_entry(request, pk, permissions.can_delete_entry)
    if request.method == "POST":
        services.practice_entry_delete(entry=entry, actor=request.user)
        messages.success(request, _("Le brouillon est supprimé."))
        return redirect("supervision:logbook_home")
    return render(request, "supervision/logbook/entry_delete.html", {"entry": entry})


def _submit_and_redirect(request, entry: PracticeEntry):
    action_done(
        request,
        lambda: services.practice_entry_submit(entry=entry, actor=request.user),
        _("L'entrée est envoyée à vos superviseur·es pour relecture."),
        refusals=(ValidationError, PermissionDenied),
    )
    return redirect("supervision:logbook_entry_detail", entry.pk)


def _entry_change(request, of: PracticeEntry, change, saved_message: str, **context):
    """The form filled with entry `of`; `change(entry=, actor=, **data)` (an edit, a
    correction) saves it."""
    return _entry_form(
        request,
        PracticeEntryForm(posted(request), entry=of),
        lambda data: change(entry=of, actor=request.user, **data),
        saved_message,
        **context,
    )


@login_required
def logbook_entry_edit(request, pk: int):
    entry = _visible_entry(request, pk, permissions.can_edit_entry)
    return _entry_change(
        request,
        entry,
        services.practice_entry_update,
        _("Les modifications sont enregistrées."),
        entry=entry,
        return_comment=entry.return_comment,
    )


@login_required
@require_POST
def logbook_entry_submit(request, pk: int):
    entry = _visible_entry(request, pk, permissions.can_submit_entry)
    return _submit_and_redirect(request, entry)


@login_required
def logbook_entry_correct(request, pk: int):
    entry = _visible_entry(request, pk, permissions.can_correct_entry)
    return _entry_change(
        request,
        entry,
        services.practice_entry_correct,
        _("La correction est enregistrée comme brouillon."),
        corrected=entry,
    )


# --- Entry page, review -----------------------------------------------------------------------


def _entry_page(request, entry: PracticeEntry, review_form: ReviewForm | None = None):
    user = request.user
    can_review = permissions.can_review_entry(user, entry)
    return form_page(
        request,
        "supervision/logbook/entry_detail.html",
        {
            "entry": entry,
            "events": selectors.entry_events(entry),
            # Why it came back, read before the buttons that resubmit it.
            "return_comment": entry.return_comment
            if entry.status == PracticeEntry.Status.RETURNED
            else "",
            "corrections": list(entry.corrections.all()),
            "can_edit": permissions.can_edit_entry(user, entry),
            "can_delete": permissions.can_delete_entry(user, entry),
            "can_correct": permissions.can_correct_entry(user, entry),
            "can_review": can_review,
            "review_form": review_form or (ReviewForm() if can_review else None),
            "is_owner": entry.trainee_id == user.pk,
        },
    )


@login_required
@second_factor_required
@require_GET
def logbook_entry_detail(request, pk: int):
    return _entry_page(request, _visible_entry(request, pk))


@login_required
@second_factor_required
@require_POST
def logbook_entry_review(request, pk: int):
    entry = _visible_entry(request, pk, permissions.can_review_entry)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, entry, form)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == ReviewForm.APPROVE:
            services.practice_entry_approve(entry=entry, reviewer=request.user, comment=comment)
            messages.success(request, _("L'entrée est approuvée."))
        else:
            services.practice_entry_return(entry=entry, reviewer=request.user, comment=comment)
            messages.success(request, _("L'entrée est renvoyée à la ou au stagiaire."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, refusal_text(error))
        return redirect("supervision:logbook_entry_detail", entry.pk)
    return redirect("supervision:logbook_queue")


# --- Supervisor -------------------------------------------------------------------------------


@login_required
@second_factor_required
@personal_page  # GET only; whoever is not a supervisor never had a page kept
@memo_for_reading  # the menu's review count and the paginator's: one query
def logbook_queue(request):
    user = request.user
    if not permissions.can_review_logbooks(user):
        raise Http404
    queryset = selectors.review_queue(user)
    # Any entry of the queue may be approved, whichever page showed it.
    form = BulkApproveForm(posted(request), queryset=queryset)
    paginator = Paginator(queryset, QUEUE_PAGE_SIZE)
    paginator.count = selectors.review_queue_count(user)  # the menu's count: the same entries
    page = paginator.get_page(request.GET.get("page"))
    if request.method == "POST" and form.is_valid():
        approved, refused = services.practice_entry_bulk_approve(
            entries=form.cleaned_data["entries"], reviewer=user
        )
        if approved:
            messages.success(
                request,
                ngettext(
                    "%(count)s entrée approuvée.", "%(count)s entrées approuvées.", len(approved)
                )
                % {"count": len(approved)},
            )
        if refused:
            messages.warning(
                request,
                ngettext(
                    "%(count)s entrée n'a pas pu être approuvée (déjà relue ou verrouillée).",
                    "%(count)s entrées n'ont pas pu être approuvées (déjà relues ou verrouillées).",
                    len(refused),
                )
                % {"count": len(refused)},
            )
        url = reverse("supervision:logbook_queue")
        return redirect(f"{url}?page={page.number}" if page.number > 1 else url)
    return render(
        request,
        "supervision/logbook/queue.html",
        {
            "form": form,
            "page": page,
            "entries": (entries := list(page.object_list)),
            "rows": selectors.queue_rows(entries),
            "periods": selectors.periods_to_confirm(user),
        },
    )


@login_required
@second_factor_required
@require_GET
def logbook_trainees(request):
    user = request.user
    if permissions.can_read_all_logbooks(user):
        people, read_only = selectors.all_logbook_keepers(), True
    elif permissions.can_review_logbooks(user):
        people, read_only = selectors.supervised_trainees(user), False
    else:
        raise Http404
    return render(
        request,
        "supervision/logbook/trainees.html",
        {"people": people, "read_only": read_only},
    )


@login_required
@second_factor_required
@require_GET
def logbook_trainee(request, user_pk: int):
    trainee = get_object_or_404(get_user_model(), pk=user_pk)
    if not permissions.can_view_logbook(request.user, trainee):
        raise Http404
    if trainee.pk == request.user.pk:
        return redirect("supervision:logbook_home")
    return render(
        request,
        "supervision/logbook/trainee.html",
        {
            "trainee": trainee,
            "entries": list(selectors.logbook_entries(trainee)),
            "totals": selectors.totals_for_display(selectors.practice_totals(trainee)),
            "periods": selectors.periods_of(trainee),
            "supervises": permissions.supervises(request.user, trainee.pk),
        },
    )


# --- Period summaries -------------------------------------------------------------------------


@login_required
def logbook_period_close(request):
    if not permissions.can_close_period(request.user):
        raise Http404
    form = PeriodCloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_summary_close(
                trainee=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("La période est clôturée ; votre superviseur·e va la confirmer.")
            )
            return redirect("supervision:logbook_period_detail", period.pk)
    return render(request, "supervision/logbook/period_close.html", {"form": form})


@login_required
@second_factor_required
@require_GET
def logbook_period_detail(request, pk: int):
    return _period_page(request, _visible_period(request, pk))


def _period_page(request, period: PeriodSummary, cosign_form=None):
    return form_page(
        request,
        "supervision/logbook/period_detail.html",
        {
            "period": period,
            "totals": selectors.totals_for_display(period.totals),
            "entries": selectors.period_entries(period),
            "can_confirm": permissions.can_confirm_period(request.user, period),
            "unsent": 0 if period.is_confirmed else selectors.unsent_in_period(period),
            **_cosign_context(request, period, cosign_form),
        },
    )


def _cosign_context(request, period: PeriodSummary, form: CosignRequestForm | None = None):
    """What the trainee needs to ask an external supervisor to co-sign by e-mail."""
    if period.trainee_id != request.user.pk:
        return {}
    return {
        "can_request_cosign": period.status == PeriodSummary.Status.CLOSED,
        "cosign_form": form or CosignRequestForm(),
        "cosign_requests": list(period.cosign_requests.order_by("-created_at")),
    }


@login_required
@require_POST
def logbook_period_cosign_request(request, pk: int):
    """The trainee asks a supervisor without an account to confirm the period by a link."""
    period = _visible_period(request, pk)
    if period.trainee_id != request.user.pk:
        raise Http404
    form = CosignRequestForm(request.POST)
    if form.is_valid():
        try:
            services.period_cosign_request(
                period=period,
                trainee=request.user,
                supervisor_name=form.cleaned_data["supervisor_name"],
                supervisor_email=form.cleaned_data["supervisor_email"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Le lien de confirmation est envoyé à %(email)s.")
                % {"email": form.cleaned_data["supervisor_email"]},
            )
            return redirect("supervision:logbook_period_detail", period.pk)
    return _period_page(request, period, cosign_form=form)


# --- An external supervisor, by the link (no account) -----------------------------------------

COSIGN_STATUS = {
    services.CosignLink.ALTERED: 404,
    services.CosignLink.EXPIRED: 410,
    services.CosignLink.USED: 410,
    services.CosignLink.CONFIRMED: 409,
}


def _cosign_refused(request, state: str, cosign_request=None):
    return render(
        request,
        "supervision/logbook/cosign_refused.html",
        {"state": state, "cosign_request": cosign_request},
        status=COSIGN_STATUS[state],
    )


def _not_stored(view):
    """Every answer to the link says no-store: no cache keeps a page of a single-use link."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper


@_not_stored
def logbook_cosign(request, token: str):
    """The page the link opens: the period's summary and the signature by typed name."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    state, cosign_request = services.cosign_link_open(token)
    if state != services.CosignLink.VALID:
        return _cosign_refused(request, state, cosign_request)
    period = cosign_request.period
    form = CosignConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_cosign_confirm(
                token=token,
                typed_name=form.cleaned_data["signer_name"],
                ip_address=get_adapter(request).get_client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except services.CosignLinkError as error:
            return _cosign_refused(request, error.state, cosign_request)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return render(request, "supervision/logbook/cosign_done.html", {"period": period})
    return form_page(
        request,
        "supervision/logbook/cosign.html",
        {
            "cosign_request": cosign_request,
            "period": period,
            "totals": selectors.totals_for_display(period.totals),
            "entries": selectors.period_entries(period),
            "form": form,
        },
    )


@login_required
@second_factor_required
@require_POST
def logbook_period_confirm(request, pk: int):
    period = _visible_period(request, pk)
    if not permissions.can_confirm_period(request.user, period):
        raise Http404
    action_done(
        request,
        lambda: services.period_summary_confirm(period=period, supervisor=request.user),
        _("La période est confirmée et signée."),
        refusals=(ValidationError, PermissionDenied),
    )
    return redirect("supervision:logbook_period_detail", period.pk)


def _filename(period: PeriodSummary, extension: str) -> str:
    return file_name(
        pgettext("nom de fichier", "carnet-de-pratique"),
        f"{period.start:%Y%m%d}",
        f"{period.end:%Y%m%d}",
        extension=extension,
    )


@login_required
@second_factor_required
@require_GET
def logbook_period_pdf(request, pk: int):
    from supervision.logbook.pdf import render_period_pdf

    period = _visible_period(request, pk)
    response = HttpResponse(render_period_pdf(period=period), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(period, "pdf")}"'
    return response


@login_required
@second_factor_required
@require_GET
def logbook_period_csv(request, pk: int):
    period = _visible_period(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(period, "csv")}"'
    response.write("\ufeff")  # so that spreadsheet software reads UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Date"),
            _("Durée (minutes)"),
            _("Cadre"),
            _("Rôle"),
            _("Participant·es"),
            _("Étapes"),
            _("Description"),
            _("Approuvée par"),
            _("Approuvée le"),
            _("Corrige l'entrée du"),
        ]
    )
    for entry in selectors.period_entries(period):
        writer.writerow(
            spreadsheet_cell(value)
            for value in [
                entry.date.isoformat(),
                entry.duration_minutes,
                entry.get_setting_display(),
                entry.get_role_display(),
                entry.group_size,
                " | ".join(str(label) for label in entry.step_labels),
                entry.description,
                entry.reviewed_by.full_name if entry.reviewed_by else "",
                timezone.localtime(entry.reviewed_at).strftime("%Y-%m-%d %H:%M")
                if entry.reviewed_at
                else "",
                entry.corrects.date.isoformat() if entry.corrects_id else "",
            ]
        )
    totals = period.totals
    writer.writerow([])
    writer.writerow([_("Total (minutes)"), totals.get("total_minutes", 0)])
    for step in Step:
        writer.writerow([step.label, totals.get("by_step", {}).get(step.value, 0)])
    status = period.get_status_display()
    signed = (
        f"{period.signer_name} {timezone.localtime(period.confirmed_at):%Y-%m-%d %H:%M}"
        if period.is_confirmed
        else ""
    )
    writer.writerow([_("Statut"), status, spreadsheet_cell(signed)])
    return response
