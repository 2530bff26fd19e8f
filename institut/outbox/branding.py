"""Who signs the e-mails: the Institut's name and details, provided by the app that holds them.

institut is the lowest layer and never imports the content apps: home registers a provider from
its AppConfig.ready() (``register_branding(callable)``). Without one (or when it fails), the
e-mails carry WAGTAIL_SITE_NAME, never the host name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Branding:
    """What an e-mail says about its sender."""

    name: str
    address: str = ""
    contact_email: str = ""
    site_url: str = ""


_provider: Callable[[], Branding] | None = None


def register_branding(provider: Callable[[], Branding]) -> None:
    """Set the function that returns the Institut's details (called for each e-mail)."""
    global _provider
    _provider = provider


def default_branding() -> Branding:
    return Branding(name=settings.WAGTAIL_SITE_NAME, site_url=settings.SITE_URL)


def current_branding() -> Branding:
    """The registered provider's details, or the settings' name when there is none."""
    if _provider is None:
        return default_branding()
    try:
        branding = _provider()
    except Exception:  # a broken setting must not stop an e-mail
        logger.exception("The e-mail branding provider failed; using the site name")
        return default_branding()
    return branding if branding.name else default_branding()
