"""System checks of the credentials' configuration: a broken key stops start-up; a production
site without a key is warned by `check --deploy`, as badges cannot be signed there."""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from certification.credentials import keys


@register(Tags.security)
def signing_key_is_readable(app_configs, **kwargs):
    try:
        keys.configured_public_keys()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="credentials.E001")]
    return []


@register(Tags.security, deploy=True)
def signing_key_is_configured(app_configs, **kwargs):
    try:
        configured = keys.has_signing_key()
    except ImproperlyConfigured:
        return []  # reported by credentials.E001
    if configured:
        return []
    return [
        Warning(
            "No credential signing key: holders cannot download signed badges and status lists "
            "are not served.",
            hint="Set CREDENTIALS_SIGNING_KEY (python manage.py credentials_keygen).",
            id="credentials.W001",
        )
    ]
