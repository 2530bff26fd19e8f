"""Template filters of certificates: `{{ certificate|effective_status }}` reads the status every
page states (see certification.selectors.effective_status)."""

from __future__ import annotations

from django import template

from certification import selectors

register = template.Library()


@register.filter
def effective_status(certificate) -> selectors.EffectiveStatus:
    """The certificate's status now, as the registry, the API and the badge verification say it."""
    return selectors.effective_status(certificate)
