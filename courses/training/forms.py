"""Forms of the training pages: they validate input (lengths first), services do the work."""

from __future__ import annotations

from datetime import time

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from courses.training.models import (
    AttendanceStatus,
    SatisfactionQuestion,
    SessionMode,
    SlotPeriod,
)
from courses.training.services import HalfDay, SessionData, check_session_data
from institut.fields import BoundedCharField, IsoDateInput
from institut.lib.money import cents
from institut.roles import Role

DAY_ROWS = 6


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class SessionForm(forms.Form):
    """A session as a trainer or staff member describes it: times are Paris times."""

    course = forms.ModelChoiceField(
        label=_("Formation"),
        queryset=CoursePage.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choisissez la formation.")},
    )
    title = BoundedCharField(
        label=_("Intitulé de la session"),
        max_length=200,
        required=False,
        help_text=_("Facultatif, par exemple « Session de printemps, Lyon »."),
    )
    mode = forms.ChoiceField(
        label=_("Modalité"),
        choices=SessionMode.choices,
        initial=SessionMode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    address = BoundedCharField(
        label=_("Adresse (en présentiel)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    room = BoundedCharField(label=_("Salle (en présentiel)"), max_length=120, required=False)
    video_url = forms.URLField(
        label=_("Lien de visioconférence (à distance)"),
        max_length=200,
        required=False,
        assume_scheme="https",
    )
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=200)
    price_euros = forms.DecimalField(
        label=_("Prix (€)"),
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        required=False,
        # « 240,50 » on French pages, "240.50" on English ones.
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Vide : le prix de la formation."),
    )
    programme = BoundedCharField(
        label=_("Programme"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Le déroulé des journées, repris dans la convocation."),
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Formateur·rices"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Si vous êtes formateur·rice, vous animez la session."),
    )
    morning_starts = forms.TimeField(label=_("Matin : début"), initial=time(9), widget=TimeInput())
    morning_ends = forms.TimeField(label=_("Matin : fin"), initial=time(12, 30), widget=TimeInput())
    afternoon_starts = forms.TimeField(
        label=_("Après-midi : début"), initial=time(13, 30), widget=TimeInput()
    )
    afternoon_ends = forms.TimeField(
        label=_("Après-midi : fin"), initial=time(17), widget=TimeInput()
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self._offer_courses()
        self.fields["trainers"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.TRAINER.value, is_active=True)
            .order_by("full_name")
        )
        for index in range(1, DAY_ROWS + 1):
            self.fields[f"day_{index}"] = forms.DateField(
                label=_("Jour %(n)s") % {"n": index},
                required=index == 1,
                widget=IsoDateInput(),
                error_messages={"required": _("Indiquez au moins le premier jour.")},
            )
            self.fields[f"morning_{index}"] = forms.BooleanField(
                label=_("matin"), required=False, initial=True
            )
            self.fields[f"afternoon_{index}"] = forms.BooleanField(
                label=_("après-midi"), required=False, initial=True
            )

    def _offer_courses(self) -> None:
        """The live French (source) pages are the choices, each named as the course is in the
        page's language, in that name's order (two queries)."""
        from courses.selectors import courses_for_keys

        field = self.fields["course"]
        field.queryset = CoursePage.objects.live().filter(locale__language_code="fr")
        pages = list(field.queryset)
        named = courses_for_keys(course_keys=[page.translation_key for page in pages])
        names = {page.pk: named[page.translation_key].title for page in pages}
        field.choices = sorted(names.items(), key=lambda choice: choice[1].casefold())

    def day_rows(self):
        """The day fields in rows, for the template."""
        return [
            (self[f"day_{i}"], self[f"morning_{i}"], self[f"afternoon_{i}"])
            for i in range(1, DAY_ROWS + 1)
        ]

    def half_days(self) -> list[HalfDay]:
        data = self.cleaned_data
        halves = []
        for index in range(1, DAY_ROWS + 1):
            day = data.get(f"day_{index}")
            if not day:
                continue
            if data.get(f"morning_{index}"):
                halves.append(
                    HalfDay(day, SlotPeriod.MORNING, data["morning_starts"], data["morning_ends"])
                )
            if data.get(f"afternoon_{index}"):
                halves.append(
                    HalfDay(
                        day, SlotPeriod.AFTERNOON, data["afternoon_starts"], data["afternoon_ends"]
                    )
                )
        return halves

    def session_data(self, *, actor=None) -> SessionData:
        data = self.cleaned_data
        trainers = list(data.get("trainers") or [])
        if (
            actor is not None
            and actor in self.fields["trainers"].queryset
            and actor not in trainers
        ):
            trainers.insert(0, actor)
        return SessionData(
            course=data["course"],
            mode=data["mode"],
            capacity=data["capacity"],
            half_days=self.half_days(),
            trainers=trainers,
            title=data.get("title") or "",
            address=data.get("address") or "",
            room=data.get("room") or "",
            video_url=data.get("video_url") or "",
            price_cents=cents(data.get("price_euros")),
            programme=data.get("programme") or "",
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        errors = check_session_data(self.session_data(actor=self.actor), creating=self.creating)
        for name, message in errors.items():
            self.add_error(None if name == "half_days" else name, message)
        return cleaned

    actor = None


class ReasonForm(forms.Form):
    reason = BoundedCharField(
        label=_("Motif"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif.")},
    )


class AttendanceForm(forms.Form):
    """The trainer's entry for one trainee and one half-day."""

    status = forms.ChoiceField(label=_("Présence"), choices=AttendanceStatus.choices)
    minutes_late = forms.IntegerField(
        label=_("Retard (minutes)"), min_value=0, max_value=600, required=False
    )
    reason = BoundedCharField(
        label=_("Motif"),
        max_length=2000,
        required=False,
        help_text=_(
            "Obligatoire pour une présence saisie par vous, une absence excusée ou une correction."
        ),
    )


class PlaceForm(forms.Form):
    """Staff place an enrolled trainee in a session."""

    enrolment = forms.TypedChoiceField(label=_("Stagiaire inscrit·e"), coerce=int)
    employer_name = BoundedCharField(label=_("Employeur"), max_length=200, required=False)

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].choices = [
            (e.pk, f"{e.user.full_name} <{e.user.email}>") for e in enrolments
        ]


class SatisfactionForm(forms.Form):
    """The questions of one questionnaire, in the trainee's language."""

    comment = BoundedCharField(
        label=_("Un commentaire ? (facultatif)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    SCALE = [(str(value), str(value)) for value in range(1, 6)]

    def __init__(self, *args, questions=(), language="fr", **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        fields = {}
        for question in self.questions:
            label = question.text_in(language)
            if question.answer_type == SatisfactionQuestion.AnswerType.SCALE:
                fields[f"q_{question.pk}"] = forms.TypedChoiceField(
                    label=label,
                    choices=self.SCALE,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=question.required,
                    help_text=_("1 : pas du tout satisfait·e — 5 : très satisfait·e"),
                    error_messages={"required": _("Choisissez une note de 1 à 5.")},
                )
            else:
                fields[f"q_{question.pk}"] = BoundedCharField(
                    label=label,
                    max_length=2000,
                    required=question.required,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        comment = self.fields.pop("comment")
        self.fields.update(fields)
        self.fields["comment"] = comment

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q_{q.pk}") for q in self.questions}


class YearForm(forms.Form):
    annee = forms.IntegerField(min_value=2000, max_value=2100, required=False)
