"""Course content (catalogue -> course -> lesson) and the records of each trainee's learning.

Records are keyed by the pages' `translation_key`, so that a course or lesson followed in English
counts for its French original and the other way round.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.deletion import ProtectedError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.compare import FieldComparison, TextDiff
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from courses import reasons
from courses.blocks import LessonStreamBlock
from institut.fields import BoundedTextField
from institut.formats import money
from institut.lib.money import cents, euros
from institut.method import Step
from institut.permanent import NeverDeletedModel, permanent_triggers
from institut.reasons import REASON_PERSONAL, CodedReason

# --- Pages ---------------------------------------------------------------------------------------


def _route_to_child(parent: Page, request, path_components: list[str], child_model: type[Page]):
    """Page.route(), reading a child of the expected type in one query instead of two.

    Page.route() reads the child as a base Page, then its specific row; the catalogue only holds
    courses and a course only lessons, so the specific model is asked directly. A child of any
    other type (none is allowed) falls back to Page.route().
    """
    try:
        child = child_model.objects.child_of(parent).get(slug=path_components[0])
    except child_model.DoesNotExist:
        return Page.route(parent, request, path_components)
    child._cached_parent_obj = parent  # as Page.route(): get_parent() needs no query
    return child.route(request, path_components[1:])


class PageViewMixin:
    """A page whose context comes from the view of its type (`courses/page_views.py`).

    `page_views.register()` gives each page type its view when the app is ready, so that this
    module imports no view, selector or service.
    """

    page_view = None  # set by courses.page_views.register()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args)
        context.update(self.page_view.context(self, request, **kwargs))
        return context


class PageActionsMixin(PageViewMixin, RoutablePageMixin):
    """A page whose forms post to its own URL; the view of its type answers them."""

    @path("")
    def index_route(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().index_route(request, *args, **kwargs)
        return self.page_view.post(self, request)


class CourseIndexPage(PageViewMixin, Page):
    """The catalogue of courses, filterable by step of the method and by price."""

    introduction = BoundedTextField(_("introduction"), max_length=2000, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("catalogue des formations")

    def route(self, request, path_components):
        if path_components:
            return _route_to_child(self, request, path_components, CoursePage)
        return super().route(request, path_components)


class CoursePageForm(WagtailAdminPageForm):
    """The course editing form: steps as checkboxes, prerequisites from the same language."""

    steps = forms.MultipleChoiceField(
        label=_("Étapes de la méthode abordées"),
        choices=Step.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    # Typed in euros (« 120 », « 120,50 »); the page keeps integer cents.
    price_cents = forms.DecimalField(
        label=_("Prix (€)"),
        min_value=0,
        max_value=100_000,
        decimal_places=2,
        localize=True,  # « 120,50 » on French pages, "120.50" on English ones
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("En euros, TTC : 120 ou 120,50. Zéro : formation gratuite."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["price_cents"] = euros(self.instance.price_cents or 0)
        field = self.fields.get("prerequisites")
        if field is not None:
            queryset = CoursePage.objects.order_by("title")
            locale = getattr(self.instance, "locale_id", None) or getattr(
                self.parent_page, "locale_id", None
            )
            if locale:
                queryset = queryset.filter(locale_id=locale)
            if self.instance.pk:
                queryset = queryset.exclude(pk=self.instance.pk)
            field.queryset = queryset

    def clean_price_cents(self) -> int:
        return cents(self.cleaned_data["price_cents"])


class PriceComparison(FieldComparison):
    """A price in the page history's comparison of two revisions: in euros, not cents."""

    def htmldiff(self):
        before, after = format_price(self.val_a or 0), format_price(self.val_b or 0)
        if before == after:
            return escape(before)
        return TextDiff([("deletion", before), ("addition", after)]).to_html()


class PricePanel(FieldPanel):
    """The price, typed in euros (CoursePageForm) and compared in euros in the page history."""

    def get_comparison_class(self):
        return PriceComparison


class CoursePage(PageActionsMixin, Page):
    """A course: what it teaches, for whom, its price, and its lessons grouped in modules."""

    summary = BoundedTextField(
        _("résumé"), max_length=1000, help_text=_("Deux ou trois phrases pour le catalogue.")
    )
    objectives = RichTextField(
        _("objectifs pédagogiques"), features=["bold", "italic", "ul", "ol"], blank=True
    )
    audience = BoundedTextField(_("public concerné"), max_length=2000, blank=True)
    # What Qualiopi (indicator 1) asks the public information about a training action to state.
    prerequisites_text = BoundedTextField(
        _("prérequis"),
        max_length=2000,
        blank=True,
        help_text=_(
            "En plus des formations prérequises : « Aucun », « Expérience professionnelle "
            "auprès de publics »…"
        ),
    )
    teaching_methods = BoundedTextField(
        _("modalités pédagogiques et moyens"),
        max_length=2000,
        blank=True,
        help_text=_("Comment la formation est menée et avec quels outils et supports."),
    )
    assessment_methods = BoundedTextField(
        _("modalités d'évaluation"),
        max_length=2000,
        blank=True,
        help_text=_("Comment l'atteinte des objectifs est vérifiée pendant et après la formation."),
    )
    access_delay = BoundedTextField(
        _("délais d'accès"),
        max_length=500,
        blank=True,
        help_text=_("Par exemple « Inscription possible jusqu'à 15 jours avant la session »."),
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("formations prérequises"),
        blank=True,
        related_name="required_by",
        help_text=_("Formations à terminer avant de pouvoir s'inscrire à celle-ci."),
    )
    duration_hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    # Kept in cents; every person sees euros: the editor's form, the page history, the pages.
    price_cents = models.PositiveIntegerField(
        _("Prix (€)"),
        default=0,
        help_text=_("En euros, TTC : 120 ou 120,50. Zéro : formation gratuite."),
    )
    steps = models.JSONField(_("étapes de la méthode abordées"), default=list, blank=True)
    counts_towards_certification = models.BooleanField(
        _("compte pour la certification TST®"), default=False
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de couverture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("objectives"),
        FieldPanel("audience"),
        MultiFieldPanel(
            [
                FieldPanel("prerequisites_text"),
                FieldPanel("teaching_methods"),
                FieldPanel("assessment_methods"),
                FieldPanel("access_delay"),
            ],
            heading=_("Informations pratiques"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("duration_hours"), PricePanel("price_cents")]),
                FieldPanel("steps"),
                FieldPanel("counts_towards_certification"),
                FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Organisation"),
        ),
        InlinePanel("modules", label=_("Modules"), min_num=1),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.FilterField("price_cents"),
    ]

    base_form_class = CoursePageForm
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    def clean(self):
        super().clean()
        unknown = [code for code in self.steps or [] if code not in Step.values]
        if unknown:
            raise ValidationError({"steps": _("Étape inconnue : %s.") % ", ".join(unknown)})

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0

    @property
    def price_display(self) -> str:
        return format_price(self.price_cents)

    def step_labels(self) -> list[str]:
        labels = dict(Step.choices)
        return [str(labels[code]) for code in self.steps or [] if code in labels]

    def route(self, request, path_components):
        if path_components:
            return _route_to_child(self, request, path_components, LessonPage)
        return super().route(request, path_components)


class CourseModule(TranslatableMixin, Orderable):
    """A chapter of a course; its lessons point at it by a key that translations share.

    Translatable (its own locale and translation_key) so that wagtail-localize translates its
    title and description with the course instead of copying the French ones over them.
    """

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="modules")
    key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    title = models.CharField(_("titre"), max_length=200)
    description = BoundedTextField(_("description"), max_length=2000, blank=True)

    panels = [FieldPanel("title"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class CompletionRule(models.TextChoices):
    """How a lesson becomes complete for a trainee."""

    MARK_DONE = "mark_done", _("La personne indique qu'elle a terminé")
    PASS_QUIZ = "pass_quiz", _("La personne réussit le quiz")
    SUBMIT_REFLECTION = "submit_reflection", _("La personne soumet sa réflexion")


# The code of « Ajoutez un bloc … au contenu, ou changez la règle. » (LessonPage.clean()).
RULE_NEEDS_BLOCK = "rule_needs_block"


class LessonPageForm(WagtailAdminPageForm):
    """The lesson editing form: the module is chosen among the parent course's modules."""

    module_key = forms.TypedChoiceField(
        label=_("Module"), coerce=uuid.UUID, empty_value=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        course = self.parent_page.specific if self.parent_page else None
        modules = list(course.modules.all()) if isinstance(course, CoursePage) else []
        self.fields["module_key"].choices = [("", _("— Aucun module —"))] + [
            (str(module.key), module.title) for module in modules
        ]
        if self.instance.module_key:
            self.initial["module_key"] = str(self.instance.module_key)

    def _post_clean(self):
        super()._post_clean()
        if self.has_error("body"):
            # The rule was checked against the saved content, not the blocks being corrected:
            # « Ajoutez un bloc « Quiz » » would be wrong beside a quiz that has an error.
            errors = self._errors.get("completion_rule")
            if errors is not None:
                kept = [e for e in errors.as_data() if e.code != RULE_NEEDS_BLOCK]
                if kept:
                    self._errors["completion_rule"] = self.error_class(kept)
                else:
                    del self._errors["completion_rule"]


class LessonPage(PageActionsMixin, Page):
    """A lesson of a course: a page with its own URL, content blocks and a completion rule."""

    introduction = BoundedTextField(_("introduction"), max_length=2000, blank=True)
    module_key = models.UUIDField(_("module"), null=True, blank=True)
    is_preview = models.BooleanField(
        _("aperçu libre"),
        default=False,
        help_text=_("Lisible par tout le monde, sans inscription."),
    )
    required = models.BooleanField(
        _("obligatoire"), default=True, help_text=_("Nécessaire pour terminer la formation.")
    )
    completion_rule = models.CharField(
        _("validation de la leçon"),
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.MARK_DONE,
    )
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), null=True, blank=True)
    body = StreamField(LessonStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("module_key"),
                FieldRowPanel([FieldPanel("completion_rule"), FieldPanel("duration_minutes")]),
                FieldRowPanel([FieldPanel("required"), FieldPanel("is_preview")]),
            ],
            heading=_("Place dans la formation"),
        ),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    base_form_class = LessonPageForm
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("leçon")
        verbose_name_plural = _("leçons")

    def clean(self):
        super().clean()
        if self.completion_rule == CompletionRule.PASS_QUIZ and self.quiz_block() is None:
            message = _("Ajoutez un bloc « Quiz » au contenu, ou changez la règle.")
            raise ValidationError({"completion_rule": ValidationError(message, RULE_NEEDS_BLOCK)})
        if (
            self.completion_rule == CompletionRule.SUBMIT_REFLECTION
            and self.reflection_block() is None
        ):
            message = _(
                "Ajoutez un bloc « Question de réflexion » au contenu, ou changez la règle."
            )
            raise ValidationError({"completion_rule": ValidationError(message, RULE_NEEDS_BLOCK)})

    def _first_block(self, block_type: str):
        for block in self.body or []:
            if block.block_type == block_type:
                return block.value
        return None

    def quiz_block(self):
        """The lesson's quiz (a StructValue), or None."""
        return self._first_block("quiz")

    def reflection_block(self):
        """The lesson's reflection prompt (a StructValue), or None."""
        return self._first_block("reflection")


def format_price(cents: int) -> str:
    """A price in euros, written the way the current language writes it."""
    if cents == 0:
        return str(_("Gratuit"))
    return money(cents, "EUR")


# --- Learning records ----------------------------------------------------------------------------


class EnrolmentStatus(models.TextChoices):
    """Where a trainee stands in a course."""

    ACTIVE = "active", _("En cours")
    COMPLETED = "completed", _("Terminée")
    PENDING = "pending", _("Paiement en attente")
    ABANDONED = "abandoned", _("Abandonnée avant paiement")
    ENDED = "ended", _("Accès terminé (remboursée)")


# The only allowed status changes; `completed` is final. A payment confirmed by Stripe (or a
# funding) opens access from pending, abandoned or ended; a full refund ends it, and that refund
# failing opens it again.
ENROLMENT_TRANSITIONS: dict[str, set[str]] = {
    EnrolmentStatus.ACTIVE: {EnrolmentStatus.COMPLETED, EnrolmentStatus.ENDED},
    EnrolmentStatus.COMPLETED: set(),
    EnrolmentStatus.PENDING: {EnrolmentStatus.ACTIVE, EnrolmentStatus.ABANDONED},
    EnrolmentStatus.ABANDONED: {EnrolmentStatus.PENDING, EnrolmentStatus.ACTIVE},
    EnrolmentStatus.ENDED: {EnrolmentStatus.PENDING, EnrolmentStatus.ACTIVE},
}

# The statuses in which the trainee may follow the course.
ENROLMENT_ACCESS_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


class EnrolmentSource(models.TextChoices):
    """How the trainee got access to the course."""

    FREE = "free", _("Formation gratuite")
    PAID = "paid", _("Paiement en ligne")
    FUNDED = "funded", _("Financement")
    STAFF = "staff", _("Inscription par l'équipe")


class EnrolmentQuerySet(models.QuerySet):
    """Query vocabulary of enrolments: whose, and where they stand."""

    def for_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def completed(self):
        return self.filter(status=EnrolmentStatus.COMPLETED)

    def in_progress(self):
        return self.filter(status=EnrolmentStatus.ACTIVE)

    def with_access(self):
        return self.filter(status__in=ENROLMENT_ACCESS_STATUSES)


class Enrolment(models.Model):
    """A trainee's access to a course (all its translations); completed ones are permanent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stagiaire"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    course_key = models.UUIDField(_("formation (clé de traduction)"), db_index=True)
    course_title = models.CharField(_("titre de la formation"), max_length=255)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ACTIVE,
    )
    source = models.CharField(
        _("origine"), max_length=20, choices=EnrolmentSource.choices, default=EnrolmentSource.FREE
    )
    last_lesson_key = models.UUIDField(_("dernière leçon ouverte"), null=True, blank=True)
    created = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    completed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="one_enrolment_per_course")
        ]
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} · {self.course_title}"

    @property
    def is_completed(self) -> bool:
        return self.status == EnrolmentStatus.COMPLETED

    @property
    def grants_access(self) -> bool:
        return self.status in ENROLMENT_ACCESS_STATUSES

    def delete(self, *args, **kwargs):
        if self.is_completed:
            raise ProtectedError("A completed course is a permanent record.", {self})
        return super().delete(*args, **kwargs)


class EnrolmentEvent(CodedReason):
    """One status change of an enrolment: who, when, from which state to which, and why.

    Permanent (PostgreSQL refuses UPDATE and DELETE); only a GDPR erasure rewrites `reason`
    and `reason_params`. A fixed reason has a code and parameters (courses.reasons), read in
    the reader's language; `reason` keeps its text as written (English for a code).
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    REASONS = reasons.ENROLMENT_REASONS

    class Meta:
        ordering = ["at", "pk"]
        triggers = permanent_triggers(personal=REASON_PERSONAL)

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.from_status or '∅'} → {self.to_status}"


class LessonProgress(models.Model):
    """A lesson completed by a trainee: one row per person and lesson, whatever the language."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lesson_progress"
    )
    lesson_key = models.UUIDField()
    course_key = models.UUIDField(db_index=True)
    completed_at = models.DateTimeField(auto_now_add=True)
    rule = models.CharField(max_length=20, choices=CompletionRule.choices)

    class Meta:
        verbose_name = _("leçon terminée")
        verbose_name_plural = _("leçons terminées")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="one_progress_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_key}"


class QuizAttempt(models.Model):
    """One submission of a lesson's quiz, with the answers given and the score obtained."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    lesson_key = models.UUIDField()
    course_key = models.UUIDField(db_index=True)
    lesson_title = models.CharField(max_length=255)
    number = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(help_text="Percent of questions answered correctly.")
    pass_mark = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tentative de quiz")
        verbose_name_plural = _("tentatives de quiz")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "lesson_key"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key", "number"], name="one_attempt_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson_title} #{self.number}: {self.score} %"


class ReflectionAnswer(models.Model):
    """A trainee's private answer to a lesson's reflection prompt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reflections"
    )
    lesson_key = models.UUIDField()
    course_key = models.UUIDField(db_index=True)
    text = models.TextField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réflexion")
        verbose_name_plural = _("réflexions")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="one_reflection_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_key}"


def attestation_upload_to(instance: TrainingAttestation, filename: str) -> str:
    # A random name: the file is only served through the owner's download view.
    return f"attestations/{instance.issued_at:%Y}/{uuid.uuid4().hex}.pdf"


class TrainingAttestation(NeverDeletedModel):
    """The permanent proof that a trainee completed a course: a numbered, checkable PDF.

    Permanent (PostgreSQL refuses UPDATE and DELETE): only `emailed_at` changes (set when the
    e-mail is owed to the outbox, in the same transaction); a GDPR erasure rewrites the
    trainee's name and removes the PDF, which carries it.
    """

    number = models.CharField(_("numéro"), max_length=20, unique=True)
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="attestation"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attestations"
    )
    trainee_name = models.CharField(_("nom du ou de la stagiaire"), max_length=150)
    course_key = models.UUIDField()
    course_title = models.CharField(_("formation"), max_length=255)
    hours = models.DecimalField(_("heures"), max_digits=5, decimal_places=1)
    completed_at = models.DateTimeField(_("terminée le"))
    issued_at = models.DateTimeField(_("délivrée le"))
    pdf = models.FileField(_("PDF"), upload_to=attestation_upload_to, blank=True)
    emailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation de formation")
        verbose_name_plural = _("attestations de formation")
        ordering = ["-issued_at"]
        triggers = permanent_triggers(allowed=["emailed_at"], personal=["trainee_name", "pdf"])

    def __str__(self) -> str:
        return self.number


# The payments sub-domain's models belong to this app (label "courses", same tables).
from courses.payments.models import (  # noqa: E402, F401
    Funding,
    FundingSource,
    Invoice,
    InvoiceKind,
    InvoiceSequence,
    Payment,
    PaymentStatus,
    RefundRequest,
    RefundStatus,
    StripeEvent,
)

# The in-person training sub-domain's models belong to this app too.
from courses.training.models import (  # noqa: E402, F401
    Attendance,
    CompletionCertificate,
    Convocation,
    EvidencePack,
    SatisfactionAnswer,
    SatisfactionQuestion,
    SatisfactionRequest,
    SatisfactionResponse,
    SessionEvent,
    SessionPlacement,
    TrainerSignature,
    TrainingSession,
    TrainingSlot,
)
