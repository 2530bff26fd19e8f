"""What the catalogue, course and lesson pages show, and how they answer their forms.

Each page type gets its view when the app is ready (`register()`, called by
`CoursesConfig.ready()`): the page asks it for its context and hands it the POSTs of its own
route, so that `courses/models.py` imports no view, selector or service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext

from courses import selectors, services
from courses.forms import CatalogueFilterForm, QuizForm, ReflectionForm
from courses.models import CourseIndexPage, CoursePage, LessonPage
from courses.payments.forms import TermsAcceptanceForm
from courses.payments.services import checkout
from courses.services import CourseActionRefused
from home.selectors import legal_links
from institut import personal_pages


class PageView:
    """A page type's context and the answer to each action its forms post."""

    # action posted by the form -> name of the method that answers it
    actions: dict[str, str] = {}

    def context(self, page, request, **kwargs) -> dict:
        """What the page adds to Wagtail's context."""
        return {}

    def post(self, page, request):
        """Answer a POST to the page: the action's method, or a refusal as an error message."""
        url = page.get_url(request)
        if not request.user.is_authenticated:
            return redirect_to_login(url)
        method = self.actions.get(request.POST.get("action", ""))
        if method is None:
            messages.error(request, gettext("Cette action n'est pas reconnue."))
            return redirect(url)
        try:
            return getattr(self, method)(page, request, url)
        except CourseActionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect(url)

    def render_invalid(self, page, request, **forms):
        """The page again, with the form that was sent and its errors (400)."""
        response = page.render(request, **forms)
        response.status_code = 400
        return response


class CatalogueView(PageView):
    """The catalogue: its courses, filtered, each with the visitor's enrolment status."""

    def context(self, page, request, **kwargs) -> dict:
        form = CatalogueFilterForm(request.GET)
        filters = form.filters()
        courses = list(selectors.catalogue_courses(index=page, **filters))
        statuses = selectors.enrolled_course_keys(user=request.user)
        for course in courses:
            course.enrolment_status = statuses.get(course.translation_key)
        return {"filter_form": form, "courses": courses}


class CourseView(PageView):
    """A course page and its enrolment button."""

    actions = {"enrol": "enrol"}

    def context(self, page, request, **kwargs) -> dict:
        context = selectors.course_page_context(course=page, user=request.user)
        if "terms_form" in kwargs:
            context["terms_form"] = kwargs["terms_form"]
        return context

    def enrol(self, page, request, url: str):
        """Enrol in one click when the course is free; through Stripe Checkout when it is paid,
        once the terms of sale are accepted (when the site has some)."""
        if not page.is_free:
            # The footer's (cached) link says whether the site has terms; the service reads
            # the page itself, and refuses a payment without them too.
            terms_url = legal_links(request).get("terms_of_sale")
            if terms_url:
                form = TermsAcceptanceForm(request.POST, terms_url=terms_url)
                if not form.is_valid():
                    return self.render_invalid(page, request, terms_form=form)
            payment = checkout.checkout_start(
                user=request.user, course=page, terms_accepted=bool(terms_url)
            )
            return redirect(payment.checkout_url)
        services.enrolment_create(user=request.user, course=page)
        messages.success(
            request, gettext("Vous êtes inscrit·e à cette formation. Bonne formation !")
        )
        return redirect(url)


class LessonView(PageView):
    """A lesson page: its content for who may read it, its quiz, reflection and completion."""

    actions = {
        "complete": "complete",
        "quiz": "quiz",
        "reflection_save": "reflection",
        "reflection_submit": "reflection",
    }

    def context(self, page, request, **kwargs) -> dict:
        forms_given = {
            name: kwargs[name] for name in ("quiz_form", "reflection_form") if name in kwargs
        }
        course = selectors.lesson_course(page)
        enrolment = selectors.enrolment_for(user=request.user, course_key=course.translation_key)
        if enrolment is not None:
            services.enrolment_note_visit(enrolment=enrolment, lesson=page, request=request)
        context = selectors.lesson_page_context(
            lesson=page, request=request, course=course, enrolment=enrolment, **forms_given
        )
        if context["can_read"]:
            context["body_html"] = selectors.lesson_body_html(lesson=page, request=request)
        if not getattr(request, "is_preview", False):
            personal_pages.may_keep(request)  # the whole page, for this person (issue 16)
        # Top level too, where base.html's error summary finds the forms sent in error.
        context.update(forms_given)
        return context

    def complete(self, page, request, url: str):
        """The trainee says they finished the lesson."""
        services.lesson_mark_done(user=request.user, lesson=page)
        messages.success(request, gettext("Leçon terminée."))
        return redirect(url)

    def quiz(self, page, request, url: str):
        """Score an attempt at the lesson's quiz; the form again with its errors if incomplete."""
        quiz = page.quiz_block()
        if quiz is None:
            raise CourseActionRefused(gettext("Cette leçon n'a pas de quiz."))
        form = QuizForm(quiz, request.POST)
        if not form.is_valid():
            return self.render_invalid(page, request, quiz_form=form)
        attempt = services.quiz_submit(user=request.user, lesson=page, answers=form.answers())
        if attempt.passed:
            messages.success(
                request,
                gettext("Quiz réussi : %(score)d %% de bonnes réponses.")
                % {"score": attempt.score},
            )
        else:
            messages.warning(
                request,
                gettext(
                    "Quiz non réussi : %(score)d %% de bonnes réponses, il en faut %(mark)d %%."
                )
                % {"score": attempt.score, "mark": attempt.pass_mark},
            )
        return redirect(f"{url}#quiz")

    def reflection(self, page, request, url: str):
        """Save the trainee's reflection, or submit it."""
        submit = request.POST.get("action") == "reflection_submit"
        form = ReflectionForm(request.POST)
        if not form.is_valid():
            return self.render_invalid(page, request, reflection_form=form)
        services.reflection_save(
            user=request.user, lesson=page, text=form.cleaned_data["text"], submit=submit
        )
        messages.success(
            request, gettext("Réflexion soumise.") if submit else gettext("Réflexion enregistrée.")
        )
        return redirect(f"{url}#reflexion")


def register() -> None:
    """Give each page type its view (called once, by CoursesConfig.ready())."""
    CourseIndexPage.page_view = CatalogueView()
    CoursePage.page_view = CourseView()
    LessonPage.page_view = LessonView()
