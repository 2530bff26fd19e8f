"""The public verification API (/api/v1/): the same public facts as the verification page.

Every answer is JSON, errors included: an unknown path (even one no URL pattern accepts, such as
a number with a newline), a method other than GET, a failure inside the API.
"""

from __future__ import annotations

import functools
import logging
from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status, Swagger

from certification.credentials import verification
from certification.links import verification_url
from certification.registry import cache as registry_cache
from certification.registry import selectors as registry_selectors
from institut import ratelimit


class PublicAPI(NinjaAPI):
    """A read-only API that any site may call from the browser (cross-origin GET)."""

    def create_response(self, request: HttpRequest, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response


logger = logging.getLogger(__name__)


def not_found_detail() -> str:
    return _("Aucun certificat TST® ne porte ce numéro (forme attendue : TST-2026-7K3M9Q).")


def json_error(status: int, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


api = PublicAPI(
    title="Institut Charles Rojzman · Vérification des certificats TST®",
    version="1.0.0",
    description=(
        "Vérifier un certificat TST® par son numéro : titulaire, certification, statut, motif "
        "public d'un statut inactif, dates de validité. Aucune donnée privée. Le nom du ou de la "
        "titulaire est null lorsque ses données personnelles ont été effacées à sa demande."
    ),
    urls_namespace="api_v1",
    # Swagger UI served from ninja's own static files (ninja is an installed app), never a CDN,
    # so that the site's Content-Security-Policy (scripts and styles from the site) holds; no
    # call to the public validator either.
    docs=Swagger(settings={"validatorUrl": None, "defaultModelsExpandDepth": 0}),
    docs_url="/docs",
)


class CertificateOut(Schema):
    number: str
    # None once the holder had their data erased: the number and its status remain.
    holder_name: str | None
    scheme_name: str = Field(description="Le nom de la certification, tel que délivré.")
    scheme_name_label: str = Field(
        description="Ce nom dans la langue de la demande (Accept-Language), s'il y est traduit."
    )
    status: str
    status_label: str
    status_since: date
    public_reason: str | None
    public_reason_label: str | None
    first_issued_on: date
    issued_on: date
    valid_until: date
    is_valid: bool
    verification_url: str


class Error(Schema):
    detail: str


@api.get(
    "/certificates/{path:number}",
    response={200: CertificateOut, 404: Error, 429: Error},
    summary="Vérifier un certificat",
    description="Le numéro est accepté en majuscules ou minuscules, avec ou sans tirets.",
    tags=["certificates"],
)
def certificate_detail(request: HttpRequest, number: str):
    if not ratelimit.allow(request):
        return Status(
            429, {"detail": _("Trop de demandes : patientez une minute avant de réessayer.")}
        )
    certificate = registry_selectors.public_certificate(number)
    if certificate is None:
        return Status(404, {"detail": not_found_detail()})
    return Status(200, certificate_out(certificate))


def certificate_out(certificate) -> dict:
    """The public facts of a certificate, as CertificateOut."""
    return {
        "number": certificate.number,
        "holder_name": certificate.holder_name or None,
        "scheme_name": certificate.scheme_name,
        "scheme_name_label": str(certificate.scheme_wording),
        "status": certificate.status,
        "status_label": certificate.status_label,
        "status_since": certificate.status_since,
        "public_reason": certificate.public_reason or None,
        "public_reason_label": certificate.public_reason_label or None,
        "first_issued_on": certificate.first_issued_on,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "is_valid": certificate.is_valid,
        "verification_url": verification_url(certificate.number),
    }


class CredentialCheckOut(Schema):
    result: str = Field(
        description="valid, too_large, malformed, unsigned, unknown_issuer ou tampered"
    )
    message: str
    signature_valid: bool
    accepted: bool = Field(description="signature valide, ni retiré, ni suspendu, ni expiré")
    issuer: str | None
    verification_method: str | None
    current_key: bool | None
    signed_at: datetime | None
    kind: str | None = Field(description="certificate ou attestation")
    number: str | None
    holder_name: str | None
    achievement_name: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    revoked: bool | None
    suspended: bool | None
    expired: bool | None
    certificate: CertificateOut | None


def _report_out(report: verification.Report) -> dict:
    valid = report.signature_valid
    return {
        "result": report.outcome,
        "message": report.message,
        "signature_valid": valid,
        "accepted": report.accepted,
        "issuer": report.issuer or None,
        "verification_method": report.verification_method or None,
        "current_key": report.current_key if valid else None,
        "signed_at": report.signed_at if valid else None,
        "kind": report.kind or None,
        "number": report.number or None,
        "holder_name": report.holder_name or None,
        "achievement_name": report.achievement_name or None,
        "valid_from": report.valid_from,
        "valid_until": report.valid_until,
        "revoked": report.revoked if valid else None,
        "suspended": report.suspended if valid else None,
        "expired": report.expired if valid else None,
        "certificate": certificate_out(report.certificate) if report.certificate else None,
    }


@api.post(
    "/credentials/verify",
    response={200: CredentialCheckOut, 413: CredentialCheckOut, 429: Error},
    summary="Vérifier un badge numérique (fichier)",
    description=(
        "Le corps de la requête est le badge lui-même (JSON, Open Badges 3.0). La réponse dit "
        "si la signature est valide, quelle clé l'a produite, si le badge est retiré, suspendu "
        "ou expiré, ce qu'il atteste et, pour un certificat, ce que dit le registre. Un fichier "
        "modifié, non signé, d'un autre émetteur ou illisible a chacun son résultat."
    ),
    tags=["credentials"],
)
def credential_verify(request: HttpRequest):
    if not ratelimit.allow(request):
        return Status(
            429, {"detail": _("Trop de demandes : patientez une minute avant de réessayer.")}
        )
    limit = settings.CREDENTIALS_VERIFY_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return Status(413, _report_out(verification.Report(verification.Outcome.TOO_LARGE)))
    report = verification.verify_file(request.read(limit + 1))
    status = 413 if report.outcome == verification.Outcome.TOO_LARGE else 200
    return Status(status, _report_out(report))


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception):
    """A failure inside the API answers JSON too (and is logged like any server error)."""
    logger.error("API error on %s", request.path, exc_info=exc)
    return json_error(500, _("Erreur du serveur : réessayez dans quelques instants."))


def json_method_not_allowed(view):
    """ninja answers a method other than those declared in plain text: answer JSON instead."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            allowed = response["Allow"]
            methods = [method.strip() for method in allowed.split(",") if method.strip()]
            response = json_error(
                405,
                _("Méthode non autorisée : seules les requêtes %(methods)s sont acceptées.")
                % {"methods": get_text_list(methods, _("ou"))},
            )
            response["Allow"] = allowed
        return response

    return wrapper


def not_found(request: HttpRequest, rest: str = ""):
    """Any path under /api/v1/ that no operation takes, even one Django's converters refuse."""
    if request.path.startswith("/api/v1/certificates/"):
        return json_error(404, not_found_detail())
    return json_error(404, _("Cette adresse n'existe pas dans l'API (voir /api/v1/openapi.json)."))


def urls_cached_for_anonymous():
    """The API's URLs; each answer to an anonymous caller is cached like the registry's pages
    (cleared by any change of a certificate, within the caller's rate limit). Any other path
    under the API answers a JSON 404."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name == "api-root":
            # ninja's root view redirects to the docs; the root answers JSON like any other path.
            pattern.callback = not_found
            continue
        pattern.callback = registry_cache.cached_for_anonymous(
            json_method_not_allowed(pattern.callback)
        )
    # [\s\S]: a newline too, which Django's path converters refuse.
    return [*patterns, re_path(r"(?P<rest>[\s\S]*)", not_found)], app_name, namespace
