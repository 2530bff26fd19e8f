"""Pages of in-person training: they validate input, call a service or a selector, render.

A session another trainer runs, a sheet of a session one has no place in, a certificate of
someone else: each answers 404, as if it did not exist.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date

import segno
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_POST

from courses import selectors as courses_selectors
from courses.models import Enrolment
from courses.training import evidence, ics, pdf, permissions, selectors, services
from courses.training.forms import (
    AttendanceForm,
    PlaceForm,
    ReasonForm,
    SatisfactionForm,
    SessionForm,
    YearForm,
)
from courses.training.models import (
    AttendanceStatus,
    CompletionCertificate,
    Convocation,
    EvidencePack,
    PlacementStatus,
    SatisfactionKind,
    SessionPlacement,
    TrainingSession,
    TrainingSlot,
)
from courses.training.services import TrainingRefused
from institut.decorators import role_required
from institut.document_check import CheckedDocument, document_check
from institut.downloads import attachment, file_name, pdf_attachment
from institut.form_actions import action_done, form_action_done, form_page, posted
from institut.formats import current_locale
from institut.lib.ids import parse_id
from institut.lib.money import euros
from institut.lib.spreadsheets import spreadsheet_number
from institut.ratelimit import rate_limited
from institut.roles import is_trainee

NUMBER_PATTERN = re.compile(r"^CR-\d{4}-[23456789A-HJ-NP-Z]{6}$")

# Trainers and staff take attendance, sign sheets and certify hours: a second factor first.
manager_required = role_required(permissions.can_create_sessions, mfa=True)
staff_required = role_required(permissions.can_manage_training, mfa=True)
trainee_required = role_required(is_trainee)


def _client(request) -> dict:
    return {
        "ip_address": get_adapter(request).get_client_ip(request),
        "user_agent": request.headers.get("User-Agent", "")[:300],
    }


def _managed(request, pk: int) -> TrainingSession:
    session = selectors.session_for_manager(request.user, pk)
    if session is None:
        raise Http404
    courses_selectors.name_courses([session])
    return session


def _managed_slot(request, pk: int, slot_pk: int) -> tuple[TrainingSession, TrainingSlot]:
    session = _managed(request, pk)
    for slot in session.slots.all():
        if slot.pk == slot_pk:
            slot.session = session
            return session, slot
    raise Http404


def _unchangeable(request, session: TrainingSession, *, placing: bool = False):
    """Back to the session's page, saying why, once it can no longer change (begun, closed,
    cancelled): the GET shows no form and the POST writes nothing. None while it can."""
    refusal = services.session_change_refusal(session, placing=placing)
    if not refusal:
        return None
    messages.error(request, refusal)
    return redirect("courses:training_manage", pk=session.pk)


def _csv_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Public and trainee pages --------------------------------------------------------------------


@require_GET
def session_list(request):
    """Upcoming sessions of every course, with the places left."""
    try:
        course_key = uuid.UUID(request.GET.get("formation", ""))
    except ValueError:
        course_key = None
    sessions = selectors.upcoming_sessions(course_key=course_key)
    courses_selectors.name_courses(sessions)
    return render(
        request,
        "courses/training/session_list.html",
        {"sessions": sessions, "filtered": course_key is not None},
    )


class _SignInFirst(Exception):
    """A visitor asked for a session page that only the people in it may read."""


def _visible_session(
    request, pk: int
) -> tuple[TrainingSession, SessionPlacement | None, selectors.SessionDocuments | None]:
    """The session, the person's active place in it and their documents of it. A session that
    takes placements is public; once it began (or closed, or was cancelled) only the people who
    hold or held a place in it and its managers see it: 404 for anyone else, and a visitor is
    asked to sign in first (the e-mails link here)."""
    session = selectors.session_public(pk)
    if session is None:
        raise Http404
    placement, documents = selectors.places_in(request.user, session)
    if (
        not session.takes_placements
        and placement is None
        and documents is None
        and not permissions.can_manage_session(request.user, session)
    ):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise Http404
    return session, placement, documents


@require_GET
def session_detail(request, pk: int):
    """A session: its days and place; for a trainee with a place, signing, hours, documents."""
    try:
        session, placement, documents = _visible_session(request, pk)
    except _SignInFirst:
        return redirect_to_login(request.get_full_path())
    context = {
        "session": session,
        "days": selectors.days_of(session),
        "placement": placement,
        "documents": documents,
        "trainers": list(session.trainers.all()),
        "can_manage": permissions.can_manage_session(request.user, session),
    }
    course = courses_selectors.name_courses([session]).get(session.course_key)
    if placement is None:
        context["enrolment"] = selectors.enrolment_for_session(request.user, session)
        context["course"] = course
    elif placement.is_placed:
        line = selectors.line_of(session, placement)
        context["line"] = line
        context["open_slots"] = [cell for cell in line.cells if cell.slot.is_signing_open()]
        context["online_hours"] = selectors.hours(
            selectors.online_minutes(request.user, session.course_key)
        )
        context["certificate"] = CompletionCertificate.objects.filter(placement=placement).first()
        context["surveys"] = _surveys(session, placement)
        context["days_to_log"] = selectors.days_to_log(request.user, session)
    return render(request, "courses/training/session_detail.html", context)


def _surveys(session, placement) -> list:
    """The trainee's questionnaires: à chaud once the last half-day began, à froid once sent."""
    if services.hot_survey_open(session):
        services.satisfaction_request_for(placement=placement, kind=SatisfactionKind.HOT)
    return list(placement.satisfaction_requests.select_related("response").order_by("kind"))


@require_POST
def session_choose(request, pk: int):
    """A trainee enrolled in the course takes a place in the session (or joins its waitlist)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("courses:training_session", args=[pk]))
    session, _placement, _documents = _visible_session(request, pk)
    try:
        placement = services.placement_create(
            actor=request.user, session=session, trainee=request.user
        )
    except TrainingRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if placement.is_placed:
            messages.success(
                request, _("Votre place est réservée : votre convocation part par e-mail.")
            )
        else:
            messages.info(
                request,
                _("La session est complète : vous êtes en liste d'attente (position %(n)s).")
                % {"n": placement.waitlist_position},
            )
    return redirect("courses:training_session", pk=pk)


@require_POST
@login_required
def session_leave(request, pk: int):
    _session, placement, _documents = _visible_session(request, pk)
    if placement is None:
        raise Http404
    action_done(
        request,
        lambda: services.placement_cancel(actor=request.user, placement=placement),
        _("Votre place est libérée."),
        refusals=(TrainingRefused,),
    )
    return redirect("courses:training_session", pk=pk)


@require_GET
@login_required
def day_calendar(request, pk: int, day: str):
    """One day of the session as an .ics file, for a trainee with a place and its managers."""
    session, placement, _documents = _visible_session(request, pk)
    manager = permissions.can_manage_session(request.user, session)
    if not manager and not (placement and placement.is_placed):
        raise Http404
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    days = [d for d in selectors.days_of(session) if d["date"] == wanted]
    if not days:
        raise Http404
    content = ics.calendar(
        session, days, method=ics.METHOD_PUBLISH, attendee=request.user if placement else None
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    name = ics.file_name(f"{wanted:%Y%m%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def programme_pdf(request, pk: int):
    """The session's programme as a PDF (the evidence pack's), for whoever holds or held a place
    and its managers: the convocation's programme, downloaded again."""
    session, _placement, documents = _visible_session(request, pk)
    if documents is None and not permissions.can_manage_session(request.user, session):
        raise Http404
    course = courses_selectors.course_for_key(
        course_key=session.course_key, language=translation.get_language()
    )
    content = pdf.render_programme_pdf(session=session, course=course)
    name = file_name(
        pgettext("nom de fichier", "programme"), session.display_title, extension="pdf"
    )
    return attachment(io.BytesIO(content), name, "application/pdf")


@require_GET
@login_required
def convocation_download(request, pk: int, convocation_pk: int):
    """A convocation as it was sent: one of the person's documents (the session page lists the
    same ones), or any of the session's for its managers."""
    session, _placement, documents = _visible_session(request, pk)
    convocation = documents.convocation(convocation_pk) if documents else None
    if convocation is None and permissions.can_manage_session(request.user, session):
        convocation = Convocation.objects.filter(
            pk=convocation_pk, placement__session=session
        ).first()
    if convocation is None:
        raise Http404
    sent = timezone.localtime(convocation.sent_at, ics.session_zone())
    name = file_name(convocation.get_kind_display(), f"{sent:%Y%m%d}", extension="txt")
    content = evidence.convocation_text(convocation).encode()
    return attachment(io.BytesIO(content), name, "text/plain; charset=utf-8")


@trainee_required
@require_GET
def my_sessions(request):
    """The trainee's sessions: upcoming and past, hours carried out, certificates."""
    placements = selectors.trainee_placements(request.user)
    courses_selectors.name_courses([placement.session for placement in placements])
    totals = selectors.training_hours(request.user)
    for placement in placements:
        placement.hours_done = selectors.hours(totals["by_session"].get(placement.session_id, 0))
    return render(
        request,
        "courses/training/my_sessions.html",
        {"placements": placements, "total_hours": selectors.hours(totals["total"])},
    )


@login_required
def sign(request, token: str):
    """The signing page of a half-day, reached by the link or QR code shown in the room."""
    slot = (
        TrainingSlot.objects.select_related("session").filter(signing_token=token).first()
        if len(token) <= 64
        else None
    )
    if slot is None:
        raise Http404
    placement = SessionPlacement.objects.filter(
        session=slot.session, trainee=request.user, status=PlacementStatus.PLACED
    ).first()
    if placement is None:
        raise Http404  # only the trainees placed in the session may see its signing page
    if request.method == "POST":
        try:
            services.attendance_sign(
                user=request.user,
                slot=slot,
                for_trainee_id=parse_id(request.POST.get("trainee")) or -1,
                **_client(request),
            )
        except TrainingRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("courses:training_sign", token=token)
        messages.success(request, _("Votre présence est signée. Bonne formation !"))
        return redirect("courses:training_session", pk=slot.session_id)
    return render(
        request,
        "courses/training/sign.html",
        {
            "slot": slot,
            "session": slot.session,
            "row": selectors.current_row(slot, placement),
            "open": slot.is_signing_open(),
        },
    )


@login_required
def satisfaction(request, token: str):
    """A trainee's own questionnaire: one answer each."""
    survey = selectors.request_by_token(token) if len(token) <= 64 else None
    if survey is None or survey.placement.trainee_id != request.user.pk:
        raise Http404
    session = survey.placement.session
    answered = hasattr(survey, "response")
    language = translation.get_language()
    form = SatisfactionForm(
        request.POST if request.method == "POST" and not answered else None,
        questions=selectors.questions(survey.kind),
        language=language,
    )
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.satisfaction_submit(
                user=request.user,
                request=survey,
                answers=form.answers(),
                comment=form.cleaned_data.get("comment", ""),
            )
        except TrainingRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Merci pour vos réponses !"))
        return redirect("courses:training_session", pk=session.pk)
    if request.method == "POST" and answered:
        messages.info(request, _("Vous avez déjà répondu à ce questionnaire. Merci !"))
        return redirect("courses:training_session", pk=session.pk)
    return form_page(
        request,
        "courses/training/satisfaction_form.html",
        {"survey": survey, "session": session, "form": form, "answered": answered},
    )


def _certificate_file(certificate: CompletionCertificate) -> FileResponse:
    if not certificate.pdf:
        raise Http404
    return pdf_attachment(certificate, services.certificate_document(certificate).name)


@login_required
@require_GET
def certificate_download(request, number: str):
    """The certificat de réalisation, for the trainee it names and for staff."""
    if not NUMBER_PATTERN.match(number):
        raise Http404
    certificate = selectors.certificate_by_number(number)
    if certificate is None or not permissions.can_download_certificate(request.user, certificate):
        raise Http404
    return _certificate_file(certificate)


@require_GET
@rate_limited
def certificate_funder(request, number: str, token: str):
    """The funder's contact downloads the certificate through the link e-mailed to them."""
    if not NUMBER_PATTERN.match(number) or len(token) > 300:
        raise Http404
    if not services.funder_token_valid(number, token):
        raise Http404
    certificate = selectors.certificate_by_number(number)
    if certificate is None:
        raise Http404
    return _certificate_file(certificate)


CERTIFICATE = CheckedDocument(
    pattern=NUMBER_PATTERN,
    route="courses:training_certificate_check",
    find=selectors.certificate_by_number,
    name="certificate",
    template="courses/training/certificate_check.html",
    shape_error=gettext_lazy(
        "« %(number)s » n'a pas la forme d'un numéro de certificat (CR-2026-XXXXXX)."
    ),
    unknown_error=gettext_lazy("Aucun certificat de réalisation ne porte ce numéro."),
)


@require_GET
@rate_limited
def certificate_check(request, number: str | None = None):
    """Anyone can check a certificat de réalisation by its number."""
    return document_check(request, number, CERTIFICATE)


# --- Trainers and staff --------------------------------------------------------------------------


# The heading of the sessions list when one of its filters (selectors.SESSION_FILTERS) is on.
SESSION_FILTER_HEADINGS = {
    "a_cloturer": gettext_lazy("Sessions terminées à clôturer"),
    "preuves_en_echec": gettext_lazy("Sessions dont le dossier de preuves a échoué"),
}


@manager_required
@require_GET
def manage_list(request):
    only = next((name for name in selectors.SESSION_FILTERS if request.GET.get(name) == "1"), None)
    sessions = selectors.sessions_for_manager(request.user, only=only)
    to_close = list(selectors.sessions_to_close(request.user))
    courses_selectors.name_courses(sessions + to_close)
    return render(
        request,
        "courses/training/manage_list.html",
        {
            "sessions": sessions,
            "filter_heading": SESSION_FILTER_HEADINGS.get(only),
            "sessions_to_close": to_close,
            "staff": permissions.can_manage_training(request.user),
        },
    )


def _session_form_initial(session: TrainingSession) -> dict:
    from courses.models import CoursePage

    initial = {
        "course": CoursePage.objects.filter(
            translation_key=session.course_key, locale__language_code="fr"
        ).first(),
        "title": session.title,
        "mode": session.mode,
        "address": session.address,
        "room": session.room,
        "video_url": session.video_url,
        "capacity": session.capacity,
        "price_euros": euros(session.price_cents),
        "programme": session.programme,
        "trainers": list(session.trainers.all()),
    }
    zone = ics.session_zone()
    days = selectors.days_of(session)
    for index, day in enumerate(days[:6], start=1):
        initial[f"day_{index}"] = day["date"]
        periods = {slot.period: slot for slot in day["slots"]}
        initial[f"morning_{index}"] = "morning" in periods
        initial[f"afternoon_{index}"] = "afternoon" in periods
        for period, slot in periods.items():
            initial[f"{period}_starts"] = timezone.localtime(slot.starts_at, zone).time()
            initial[f"{period}_ends"] = timezone.localtime(slot.ends_at, zone).time()
    for index in range(len(days) + 1, 7):
        initial[f"morning_{index}"] = True
        initial[f"afternoon_{index}"] = True
    return initial


@manager_required
def manage_create(request):
    form = SessionForm(posted(request))
    form.actor = request.user
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user, data=form.session_data(actor=request.user)
            )
        except TrainingRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("La session est programmée."))
            return redirect("courses:training_manage", pk=session.pk)
    return render(request, "courses/training/session_form.html", {"form": form, "creating": True})


@manager_required
def manage_edit(request, pk: int):
    session = _managed(request, pk)
    refused = _unchangeable(request, session)
    if refused:
        return refused
    if request.method == "POST":
        form = SessionForm(request.POST)
    else:
        form = SessionForm(initial=_session_form_initial(session))
    form.actor = request.user
    if form_action_done(
        request,
        form,
        lambda data: services.session_update(
            actor=request.user, session=session, data=form.session_data(actor=request.user)
        ),
        _("La session est modifiée."),
        refusals=(TrainingRefused,),
    ):
        return redirect("courses:training_manage", pk=session.pk)
    return render(
        request,
        "courses/training/session_form.html",
        {"form": form, "creating": False, "session": session},
    )


@manager_required
@require_GET
def manage_session(request, pk: int):
    """The trainer's page of a session: every trainee by half-day, hours, actions."""
    session = _managed(request, pk)
    sheet = selectors.session_sheet(session)
    waitlist = list(
        session.placements.filter(status=PlacementStatus.WAITLISTED)
        .select_related("trainee")
        .order_by("waitlist_position")
    )
    staff = permissions.can_manage_training(request.user)
    return render(
        request,
        "courses/training/manage_session.html",
        {
            "session": session,
            "sheet": sheet,
            "waitlist": waitlist,
            "staff": staff,
            "signs": permissions.can_sign_as_trainer(request.user, session),
            "pack": selectors.latest_pack(session) if staff else None,
            "placed_count": len(sheet.lines),
            "sheets_to_sign": sheet.sheets_to_sign,
            "events": list(session.events.select_related("actor").order_by("-at", "-pk")[:60]),
        },
    )


@manager_required
@require_POST
def manage_status(request, pk: int):
    """Confirm a session before it begins, or close it once ended (cancelling has its own
    page, for the reason); the service refuses what its half-days no longer allow."""
    session = _managed(request, pk)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.session_confirm(actor=request.user, session=session)
            messages.success(request, _("La session est confirmée."))
        elif action == "close":
            services.session_close(actor=request.user, session=session)
            messages.success(
                request,
                _("La session est clôturée : les certificats de réalisation sont délivrés."),
            )
        else:
            messages.error(request, _("Cette action n'est pas reconnue."))
    except TrainingRefused as refusal:
        messages.error(request, refusal.message)
    return redirect("courses:training_manage", pk=session.pk)


@manager_required
def manage_cancel(request, pk: int):
    session = _managed(request, pk)
    if not session.can_be_cancelled:
        messages.error(request, _("Une session commencée, close ou annulée ne s'annule plus."))
        return redirect("courses:training_manage", pk=session.pk)
    form = ReasonForm(posted(request))
    if form_action_done(
        request,
        form,
        lambda data: services.session_cancel(
            actor=request.user, session=session, reason=data["reason"]
        ),
        _("La session est annulée ; les stagiaires sont prévenu·es."),
        refusals=(TrainingRefused,),
    ):
        return redirect("courses:training_manage", pk=session.pk)
    return render(
        request, "courses/training/session_cancel.html", {"form": form, "session": session}
    )


@manager_required
def manage_place(request, pk: int):
    """Place a trainee enrolled in the course (paid, funded or free) in the session."""
    session = _managed(request, pk)
    refused = _unchangeable(request, session, placing=True)
    if refused:
        return refused
    enrolments = selectors.placeable_enrolments(session)
    form = PlaceForm(posted(request), enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        enrolment = get_object_or_404(Enrolment, pk=form.cleaned_data["enrolment"])
        try:
            placement = services.placement_create(
                actor=request.user,
                session=session,
                trainee=enrolment.user,
                employer_name=form.cleaned_data.get("employer_name", ""),
            )
        except TrainingRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            text = (
                _("%(name)s a une place dans la session.")
                if placement.is_placed
                else _("%(name)s est en liste d'attente.")
            )
            messages.success(request, text % {"name": enrolment.user.full_name})
            return redirect("courses:training_manage", pk=session.pk)
    return render(request, "courses/training/place_form.html", {"form": form, "session": session})


@manager_required
def manage_slot(request, pk: int, slot_pk: int):
    """A half-day in the room: open signing (link and QR code), record presences, sign."""
    session, slot = _managed_slot(request, pk, slot_pk)
    if request.method == "POST":
        return _slot_post(request, session, slot)
    sheet = selectors.session_sheet(session).sheet(slot.pk)
    sign_url = (
        request.build_absolute_uri(reverse("courses:training_sign", args=[slot.signing_token]))
        if slot.is_signing_open()
        else ""
    )
    qr_svg = (
        segno.make(sign_url, error="m").svg_inline(
            scale=6, omitsize=True, title=_("Code QR de signature")
        )
        if sign_url
        else ""
    )
    return render(
        request,
        "courses/training/manage_slot.html",
        {
            "session": session,
            "slot": slot,
            "sheet": sheet,
            "sign_url": sign_url,
            "qr_svg": qr_svg,
            "signs": permissions.can_sign_as_trainer(request.user, session),
            "statuses": AttendanceStatus.choices,
            "status_late": AttendanceStatus.LATE,
        },
    )


def _slot_post(request, session, slot):
    action = request.POST.get("action")
    here = redirect("courses:training_slot", pk=session.pk, slot_pk=slot.pk)
    try:
        if action == "open":
            services.slot_signing_open(actor=request.user, slot=slot)
            messages.success(request, _("L'émargement est ouvert : montrez le code QR."))
        elif action == "record":
            placement = get_object_or_404(
                SessionPlacement, pk=parse_id(request.POST.get("placement")) or 0, session=session
            )
            form = AttendanceForm(request.POST)
            if not form.is_valid():
                errors = "; ".join(error for errors in form.errors.values() for error in errors)
                messages.error(request, errors)
                return here
            services.attendance_record(
                actor=request.user,
                slot=slot,
                placement=placement,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data.get("reason") or "",
                minutes_late=form.cleaned_data.get("minutes_late") or 0,
                **_client(request),
            )
            messages.success(
                request,
                _("Présence de %(name)s enregistrée.") % {"name": placement.trainee.full_name},
            )
        elif action == "sign":
            services.slot_sign(actor=request.user, slot=slot, **_client(request))
            messages.success(request, _("Vous avez signé la feuille de cette demi-journée."))
        else:
            messages.error(request, _("Cette action n'est pas reconnue."))
    except TrainingRefused as refusal:
        messages.error(request, refusal.message)
    return here


@manager_required
@require_GET
def manage_sheet_pdf(request, pk: int, slot_pk: int):
    session, slot = _managed_slot(request, pk, slot_pk)
    sheet = selectors.session_sheet(session).sheet(slot.pk)
    content = pdf.render_sheet_pdf(session=session, sheet=sheet)
    name = file_name(
        pgettext("nom de fichier", "emargement"), evidence.sheet_name(slot), extension="pdf"
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@manager_required
@require_GET
def manage_hours_csv(request, pk: int):
    session = _managed(request, pk)
    content = evidence.hours_csv(session, selectors.session_sheet(session))
    name = file_name(pgettext("nom de fichier", "heures"), "session", session.pk, extension="csv")
    return _csv_response(name, content)


def _kind(request) -> str:
    kind = request.GET.get("questionnaire", SatisfactionKind.HOT)
    return kind if kind in SatisfactionKind.values else SatisfactionKind.HOT


def _satisfaction_results(request, session, sessions, scope: tuple, **context):
    """The satisfaction results of `sessions`, without names: the page, or CSV with
    ?format=csv (named after `scope`)."""
    kind = _kind(request)
    results = selectors.satisfaction_results(sessions=sessions, kind=kind)
    if request.GET.get("format") == "csv":
        name = file_name("satisfaction", evidence.KIND_IN_FILE_NAMES[kind], *scope, extension="csv")
        return _csv_response(name, evidence.satisfaction_csv(results))
    return render(
        request,
        "courses/training/satisfaction_results.html",
        {
            "session": session,
            "results": results,
            "kind": kind,
            "kinds": SatisfactionKind.choices,
            "cold_months": settings.TRAINING_COLD_SURVEY_MONTHS,
            **context,
        },
    )


@manager_required
@require_GET
def manage_satisfaction(request, pk: int):
    """Satisfaction results of a session, without names; CSV with ?format=csv."""
    session = _managed(request, pk)
    sessions = TrainingSession.objects.filter(pk=session.pk)
    return _satisfaction_results(request, session, sessions, ("session", session.pk))


@manager_required
@require_GET
def course_satisfaction(request, pk: int):
    """Results over every session of the session's course that this person runs."""
    session = _managed(request, pk)
    sessions = selectors.course_sessions_for_manager(request.user, session.course_key)
    return _satisfaction_results(
        request,
        session,
        sessions,
        (pgettext("nom de fichier", "formation"),),
        course_wide=True,
        session_count=sessions.count(),
    )


@staff_required
def manage_pack(request, pk: int):
    """Staff ask for the session's evidence pack; the page follows its progress."""
    session = _managed(request, pk)
    if request.method == "POST":
        try:
            services.evidence_pack_request(actor=request.user, session=session)
        except TrainingRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("courses:training_pack", pk=session.pk)
    pack = selectors.latest_pack(session)
    return render(
        request, "courses/training/evidence_pack.html", {"session": session, "pack": pack}
    )


@staff_required
@require_GET
def manage_pack_download(request, pk: int, pack_pk: int):
    session = _managed(request, pk)
    pack = get_object_or_404(
        EvidencePack, pk=pack_pk, session=session, status=EvidencePack.Status.READY
    )
    name = file_name(
        pgettext("nom de fichier", "dossier-preuves"), "session", session.pk, extension="zip"
    )
    return attachment(pack.file, name, "application/zip")


@staff_required
@require_GET
def bpf(request):
    """The BPF figures of a year (trainees, trainee-hours, by funder and mode); CSV too."""
    form = YearForm(request.GET)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("annee"):
        year = form.cleaned_data["annee"]
    figures = selectors.bpf_figures(year)
    if request.GET.get("format") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        columns = [_("Stagiaires"), _("Heures-stagiaires")]
        title = _("Bilan pédagogique et financier %(year)s") % {"year": year}
        writer.writerow([title, *columns])
        locale = current_locale()  # a French spreadsheet reads « 21,50 », an English one 21.50
        writer.writerow(
            [_("Total"), figures["trainees"], spreadsheet_number(figures["hours"], locale=locale)]
        )
        # The page's two tables, one after the other, each under its own header row.
        for heading, rows in ((_("Financeur"), "by_funder"), (_("Modalité"), "by_mode")):
            writer.writerows([[], [heading, *columns]])
            for row in figures[rows]:
                hours = spreadsheet_number(row["hours"], locale=locale)
                writer.writerow([capfirst(str(row["label"])), row["trainees"], hours])
        return _csv_response(f"bpf-{year}.csv", ("\ufeff" + buffer.getvalue()).encode())
    years = sorted({*selectors.bpf_years(), year, timezone.localdate().year}, reverse=True)
    return render(
        request, "courses/training/bpf.html", {"figures": figures, "years": years, "year": year}
    )
