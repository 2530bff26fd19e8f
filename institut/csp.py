"""The Content-Security-Policy of every response, with the Wagtail admin's own relaxations.

The site's policy is CONTENT_SECURITY_POLICY in the settings: scripts and styles from the site
only, nothing inline. The admin (/admin/, previews included) needs more, and only it gets that:
Wagtail's editor runs inline scripts and styles, and shows its previews in a frame of itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIX = "/admin/"
# Added to the site's sources under /admin/: Wagtail's page editor runs inline scripts (some
# inserted by its own jQuery) and writes inline styles.
ADMIN_ADDITIONS = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "frame-src": [SELF],
}
# Replacing the site's sources under /admin/ (the site itself is never framed).
ADMIN_REPLACEMENTS = {
    "frame-ancestors": [SELF],
}
# A page's preview (Wagtail's own request for it) is shown in a frame of the admin.
PREVIEW_REPLACEMENTS = ADMIN_REPLACEMENTS


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's relaxations under /admin/."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        update = dict(parts.update or {})
        if settings.STRIPE_API_BASE:
            # A stand-in of Stripe's API (tests) also serves the Checkout pages it redirects to.
            base = urlsplit(settings.STRIPE_API_BASE)
            update["form-action"] = [f"{base.scheme}://{base.netloc}"]
        if request.path_info.startswith(ADMIN_PREFIX):
            update = {**ADMIN_ADDITIONS, **update}
            parts.replace = {**ADMIN_REPLACEMENTS, **(parts.replace or {})}
        elif getattr(request, "is_preview", False):
            # Wagtail renders a preview through the middleware with a request for the page's
            # own URL; the page keeps the site's policy, but the admin's preview panel frames it.
            parts.replace = {**PREVIEW_REPLACEMENTS, **(parts.replace or {})}
        parts.update = update or None
        return parts
