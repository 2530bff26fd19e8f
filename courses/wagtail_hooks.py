"""Wagtail admin: the editors' per-course report, on screen and as CSV."""

from __future__ import annotations

import csv

from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView
from wagtail import hooks

from courses import selectors
from institut import roles
from institut.admin_pages import AdminPageMixin
from institut.downloads import file_name
from institut.lib.spreadsheets import spreadsheet_cell
from institut.viewsets import PermittedMenuItem


def can_view_course_report(user) -> bool:
    """Editors and superusers see how trainees progress through the courses."""
    return bool(user.is_authenticated and (user.is_superuser or roles.is_editor(user)))


class CourseReportView(AdminPageMixin, TemplateView):
    """Per course: enrolled, in progress, completed, average progress, quiz pass rate."""

    page_title = gettext_lazy("Rapport des formations")
    header_icon = "table"
    template_name = "courses/admin/course_report.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_course_report(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        rows = selectors.course_report()
        if request.GET.get("format") == "csv":
            return self.csv_response(rows)
        return self.render_to_response(
            self.get_context_data(rows=rows, csv_url=reverse("courses_report") + "?format=csv")
        )

    def csv_response(self, rows: list[dict]) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = file_name(
            pgettext("nom de fichier", "rapport-formations"), timezone.localdate(), extension="csv"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Formation"),
                _("Inscrit·es"),
                _("En cours"),
                _("Terminées"),
                _("Progression moyenne (%)"),
                _("Stagiaires ayant tenté un quiz"),
                _("Taux de réussite aux quiz (%)"),
            ]
        )
        for row in rows:
            writer.writerow(
                [
                    spreadsheet_cell(row["title"]),
                    row["enrolled"],
                    row["in_progress"],
                    row["completed"],
                    row["average_progress"],
                    row["quiz_takers"],
                    "" if row["quiz_pass_rate"] is None else row["quiz_pass_rate"],
                ]
            )
        return response


@hooks.register("register_admin_urls")
def register_course_report_url():
    return [path("formations/rapport/", CourseReportView.as_view(), name="courses_report")]


@hooks.register("register_reports_menu_item")
def register_course_report_menu_item():
    """The report's entry in the admin's Reports menu, for those who may read it."""
    return PermittedMenuItem(
        gettext_lazy("Rapport des formations"),
        reverse("courses_report"),
        allowed=can_view_course_report,
        icon_name="table",
        order=700,
    )


# The payments admin (viewsets, funded enrolments) registers its hooks when imported.
from courses.payments import wagtail_hooks as payments_wagtail_hooks  # noqa: E402, F401
from courses.training import wagtail_hooks as training_wagtail_hooks  # noqa: E402, F401
