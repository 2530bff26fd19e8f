"""Pages of trainers and trainees: views validate input, call a service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from institut.decorators import role_required, second_factor_required
from institut.downloads import file_name
from institut.form_actions import errors_to_form, form_action_done, posted
from institut.formats import date_text
from institut.personal_pages import personal_page
from institut.roles import is_trainee, is_trainer
from supervision import ics, permissions, selectors, services
from supervision.forms import (
    AttendanceForm,
    CancelForm,
    CorrectionForm,
    NewSessionForm,
    SessionForm,
)
from supervision.logbook import permissions as logbook_permissions
from supervision.logbook import selectors as logbook_selectors
from supervision.models import Booking, SessionSeries, SupervisionRecord, SupervisionSession

trainer_required = role_required(is_trainer, mfa=True)
trainee_required = role_required(is_trainee)


def _own_session(request, pk: int) -> SupervisionSession:
    """The trainer's own session, or 404 (another trainer's session does not exist for them)."""
    return get_object_or_404(
        SupervisionSession.objects.select_related("trainer", "series"), pk=pk, trainer=request.user
    )


# --- Trainer ----------------------------------------------------------------------------------


@trainer_required
@require_GET
@personal_page
def trainer_home(request):
    context = selectors.trainer_home_context(
        request.user,
        trainee_query=request.GET.get("q", "")[:100],
        trainee_page=request.GET.get("page"),
    )
    return render(request, "supervision/trainer_home.html", context)


@trainer_required
def session_create(request):
    form = NewSessionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.session_data()
        try:
            if form.cleaned_data.get("repeat"):
                series = services.series_create(
                    trainer=request.user,
                    data=data,
                    frequency=form.cleaned_data["repeat"],
                    occurrences=form.cleaned_data["occurrences"],
                )
                messages.success(
                    request,
                    _("%(count)s séances ont été publiées.") % {"count": series.occurrences},
                )
                return redirect("supervision:trainer_home")
            session = services.session_create(trainer=request.user, data=data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("La séance est publiée."))
            return redirect("supervision:session_manage", pk=session.pk)
    return render(request, "supervision/session_form.html", {"form": form, "creating": True})


@trainer_required
def session_edit(request, pk: int):
    session = _own_session(request, pk)
    if session.is_cancelled:
        raise Http404
    if session.has_started:
        messages.error(request, services.started_session_refusal())
        return redirect("supervision:session_manage", pk=session.pk)
    initial = {
        field: getattr(session, field)
        for field in (
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "mode",
            "address",
            "video_url",
            "capacity",
            "minimum_participants",
            "description",
            "steps",
            "audience",
        )
    }
    initial["starts_at"] = timezone.localtime(session.starts_at)
    initial["ends_at"] = timezone.localtime(session.ends_at)
    form = SessionForm(posted(request), initial=initial)
    if form_action_done(
        request,
        form,
        lambda data: services.session_update(
            session=session, actor=request.user, data=form.session_data()
        ),
        _("La séance est modifiée ; les participant·es sont prévenu·es."),
    ):
        return redirect("supervision:session_manage", pk=session.pk)
    return render(
        request,
        "supervision/session_form.html",
        {"form": form, "session": session, "creating": False},
    )


@trainer_required
@require_GET
def session_manage(request, pk: int):
    session = _own_session(request, pk)
    bookings = selectors.session_bookings(session)
    return render(
        request,
        "supervision/session_manage.html",
        {
            "session": session,
            "bookings": bookings,
            "booked_count": len(bookings["booked"])
            + len(bookings["attended"])
            + len(bookings["absent"]),
            "can_take_attendance": permissions.can_take_attendance(request.user, session),
        },
    )


@trainer_required
def session_cancel(request, pk: int):
    session = _own_session(request, pk)
    if session.is_cancelled or session.has_started:
        raise Http404
    form = CancelForm(posted(request))
    if form_action_done(
        request,
        form,
        lambda data: services.session_cancel(
            session=session, actor=request.user, reason=data["reason"]
        ),
        _("La séance est annulée ; les personnes inscrites sont prévenues."),
    ):
        return redirect("supervision:trainer_home")
    return render(request, "supervision/session_cancel.html", {"form": form, "session": session})


@trainer_required
def series_cancel(request, pk: int):
    series = get_object_or_404(SessionSeries, pk=pk, trainer=request.user)
    upcoming = list(series.sessions.scheduled().upcoming().order_by("starts_at"))
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        count = services.series_cancel(
            series=series, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("%(count)s séances de la série sont annulées.") % {"count": count}
        )
        return redirect("supervision:trainer_home")
    return render(
        request,
        "supervision/series_cancel.html",
        {"form": form, "series": series, "upcoming": upcoming},
    )


@trainer_required
def attendance(request, pk: int):
    session = _own_session(request, pk)
    if not permissions.can_take_attendance(request.user, session):
        # The trainer's own session, cancelled or not started yet: say why, not « not found ».
        if session.is_cancelled:
            messages.error(
                request, _("Cette séance est annulée : il n'y a pas de présences à prendre.")
            )
        else:
            messages.error(
                request,
                _(
                    "La séance n'a pas encore commencé : les présences se prennent à partir du "
                    "%(start)s."
                )
                % {"start": date_text(timezone.localtime(session.starts_at), "DATETIME_FORMAT")},
            )
        return redirect("supervision:session_manage", pk=session.pk)
    bookings = list(session.bookings.filter(status=Booking.Status.BOOKED).select_related("trainee"))
    form = AttendanceForm(
        posted(request),
        bookings=bookings,
        default_minutes=session.creditable_minutes,
    )
    if request.method == "POST" and not bookings:
        messages.warning(request, _("Ces présences avaient déjà été enregistrées."))
        return redirect("supervision:session_manage", pk=session.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_take(session=session, actor=request.user, marks=form.marks())
        except ValidationError:
            # Submitted twice, or from two tabs: what was recorded first stands.
            messages.warning(request, _("Ces présences avaient déjà été enregistrées."))
        else:
            messages.success(request, _("Les présences sont enregistrées."))
        return redirect("supervision:session_manage", pk=session.pk)
    return render(request, "supervision/attendance.html", {"form": form, "session": session})


@trainer_required
def record_correct(request, pk: int):
    record = get_object_or_404(
        SupervisionRecord.objects.current().select_related("session", "trainee"), pk=pk
    )
    if not permissions.can_correct_record(request.user, record):
        raise Http404
    form = CorrectionForm(
        posted(request),
        initial={"presence": record.status, "minutes": record.minutes or None},
        max_minutes=record.session.creditable_minutes,
    )
    if form_action_done(
        request,
        form,
        lambda data: services.supervision_record_correct(
            record=record,
            actor=request.user,
            attended=data["presence"] == "attended",
            minutes=data.get("minutes"),
            reason=data["reason"],
        ),
        _("La correction est enregistrée."),
    ):
        return redirect("supervision:session_manage", pk=record.session_id)
    return render(request, "supervision/record_correct.html", {"form": form, "record": record})


# --- Trainee ----------------------------------------------------------------------------------


@trainee_required
@require_GET
def session_list(request):
    sessions = list(selectors.bookable_sessions(request.user))
    mine = selectors.active_bookings_by_session(request.user, [s.pk for s in sessions])
    for session in sessions:
        session.my_booking = mine.get(session.pk)
    return render(request, "supervision/session_list.html", {"sessions": sessions})


@login_required
@require_GET
def session_detail(request, pk: int):
    session = selectors.session_with_counts(pk)
    if session is None or not permissions.can_view_session(request.user, session):
        raise Http404
    if permissions.can_manage_session(request.user, session):
        return redirect("supervision:session_manage", pk=session.pk)
    booking = Booking.objects.active().filter(session=session, trainee=request.user).first()
    window_start = session.starts_at - services.cancellation_window()
    return render(
        request,
        "supervision/session_detail.html",
        {
            "session": session,
            "booking": booking,
            "can_book": (
                booking is None
                and not session.is_cancelled
                and not session.has_started
                and permissions.can_book(request.user, session)
            ),
            "show_video_link": permissions.can_see_video_link(request.user, session),
            "late_if_cancelled_now": timezone.now() > window_start,
            "window_hours": settings.SUPERVISION_CANCELLATION_WINDOW_HOURS,
            "to_log": booking is not None and _attended_not_logged(request.user, session, booking),
        },
    )


def _attended_not_logged(user, session: SupervisionSession, booking: Booking) -> bool:
    """The trainee attended this session and has not put it in their logbook yet."""
    return (
        session.has_started
        and logbook_permissions.can_keep_logbook(user)
        and bool(
            logbook_selectors.practice_to_log(user, key=selectors.session_practice_key(booking.pk))
        )
    )


@trainee_required
@require_POST
def session_book(request, pk: int):
    session = get_object_or_404(SupervisionSession, pk=pk)
    if not permissions.can_view_session(request.user, session):
        raise Http404
    try:
        booking = services.booking_create(session=session, trainee=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if booking.status == Booking.Status.BOOKED:
            messages.success(
                request, _("Votre place est réservée. Un e-mail de confirmation suit.")
            )
        else:
            messages.info(
                request,
                _(
                    "La séance est complète : vous êtes en position %(position)s "
                    "sur la liste d'attente."
                )
                % {"position": booking.waitlist_position},
            )
    return redirect("supervision:session_detail", pk=session.pk)


@trainee_required
@require_GET
def my_bookings(request):
    context = selectors.trainee_bookings(request.user)
    context["minutes"] = selectors.supervision_minutes(request.user)
    return render(request, "supervision/my_bookings.html", context)


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk: int):
    """GET asks for confirmation (saying whether it would be late); POST cancels."""
    booking = get_object_or_404(Booking.objects.select_related("session"), pk=pk)
    if not permissions.can_cancel_booking(request.user, booking):
        raise Http404
    if request.method == "GET":
        cancellable = (Booking.Status.BOOKED, Booking.Status.WAITLISTED)
        if booking.status in cancellable and not booking.session.has_started:
            return render(
                request,
                "supervision/booking_cancel.html",
                {
                    "booking": booking,
                    "session": booking.session,
                    "late": services.cancellation_is_late(booking),
                    "window_hours": settings.SUPERVISION_CANCELLATION_WINDOW_HOURS,
                    "someone_waiting": booking.session.bookings.filter(
                        status=Booking.Status.WAITLISTED
                    ).exists(),
                },
            )
        messages.error(request, _("Cette réservation ne peut plus être annulée."))
    else:
        _cancel_booking(request, booking)
    if permissions.can_manage_session(request.user, booking.session):
        return redirect("supervision:session_manage", pk=booking.session_id)
    return redirect("supervision:my_bookings")


def _cancel_booking(request, booking: Booking) -> None:
    try:
        booking = services.booking_cancel(booking=booking, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if booking.cancelled_late:
            messages.warning(
                request,
                _("Votre réservation est annulée. L'annulation est enregistrée comme tardive."),
            )
        else:
            messages.success(request, _("Votre réservation est annulée."))


# --- Calendar feed ----------------------------------------------------------------------------


@login_required
def calendar_settings(request):
    if not (is_trainee(request.user) or is_trainer(request.user)):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            services.calendar_feed_renew(user=request.user)
            messages.success(request, _("Votre nouvelle adresse d'agenda est prête."))
        elif action == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Votre adresse d'agenda est désactivée."))
        return redirect("supervision:calendar_settings")
    feed = getattr(request.user, "supervision_feed", None)
    feed_url = (
        request.build_absolute_uri(reverse("supervision:calendar_feed", args=[feed.token]))
        if feed
        else None
    )
    return render(request, "supervision/calendar_settings.html", {"feed_url": feed_url})


@require_GET
def calendar_feed(request, token: str):
    user = selectors.feed_owner(token)
    if user is None:
        raise Http404
    bookings, sessions = selectors.feed_items(user)
    response = HttpResponse(
        ics.feed_calendar(user, bookings, sessions), content_type="text/calendar; charset=utf-8"
    )
    name = file_name(pgettext("nom de fichier", "agenda-supervision"), extension="ics")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, max-age=300"
    return response
