"""The Content-Security-Policy of every response, with the Wagtail admin's own relaxations.

The site's policy is CONTENT_SECURITY_POLICY in the settings: scripts and styles from the site
only, nothing inline. The admin (/admin/, previews included) needs a little more, and only it
gets that: Wagtail writes some styles inline, and shows its previews in a frame of itself.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"
# Added to the site's sources under /admin/.
ADMIN_ADDITIONS = {
    "style-src": [UNSAFE_INLINE],
    "frame-src": [SELF],
}
# Replacing the site's sources under /admin/ (the site itself is never framed).
ADMIN_REPLACEMENTS = {
    "frame-ancestors": [SELF],
}


class PolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's relaxations under /admin/."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**ADMIN_ADDITIONS, **(parts.update or {})}
            parts.replace = {**ADMIN_REPLACEMENTS, **(parts.replace or {})}
        return parts
