"""Addresses built from a certificate: public verification, LinkedIn, and the number itself; and
the path of a certification page in a person's language."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from institut.lib.references import new_reference

if TYPE_CHECKING:
    from certification.models import Certificate

NUMBER_PREFIX = "TST"
ORGANISATION_NAME = "Institut Charles Rojzman"


def new_certificate_number(*, year: int) -> str:
    """A random certificate number such as TST-2026-7K3M9Q (uniqueness is checked by the caller)."""
    return new_reference(NUMBER_PREFIX, year)


def verification_url(number: str, *, reader=None) -> str:
    """The public page that verifies a certificate (the registry), as an absolute URL: the
    language-free address printed on documents, or the page in `reader`'s language (an e-mail)."""
    if reader is not None:
        return settings.SITE_URL + path_for(reader, "verify_number", number)
    return f"{settings.SITE_URL}/registre/verifier/{number}/"


def path_for(user, name: str, *args) -> str:
    """A certification page's path in this person's language (French at the root, English
    under /en/)."""
    with translation.override(user.language):
        return reverse(f"certification:{name}", args=args)


def linkedin_add_url(certificate: Certificate) -> str:
    """LinkedIn's "add to profile" link, prefilled with the certificate (nothing is called)."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.scheme_name,
        "organizationName": ORGANISATION_NAME,
        "issueYear": certificate.first_issued_on.year,
        "issueMonth": certificate.first_issued_on.month,
        "expirationYear": certificate.valid_until.year,
        "expirationMonth": certificate.valid_until.month,
        "certUrl": verification_url(certificate.number),
        "certId": certificate.number,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(params)
