"""What the Institut's own pages in the Wagtail admin share (reports, funded enrolments, refunds,
erasure)."""

from __future__ import annotations

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class AdminPageMixin(WagtailAdminTemplateMixin):
    """A page of our own in the admin, headed by its title: Wagtail heads a page with its last
    breadcrumb, which is "Home" unless the page adds its own."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]
