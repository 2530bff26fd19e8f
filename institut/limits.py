"""Request bodies that are too large get a page that says so, in the visitor's language.

Django refuses a form whose text exceeds DATA_UPLOAD_MAX_MEMORY_SIZE, or with more fields than
DATA_UPLOAD_MAX_NUMBER_FIELDS, with a bare "Bad Request (400)"; `bad_request` (the site's
handler400) explains instead. `RequestSizeMiddleware` refuses a body larger than
REQUEST_MAX_BODY_SIZE, files included, from its announced length, before reading it.
`NulAddressMiddleware` refuses an address with a NUL byte, which no address of the site has and
PostgreSQL refuses in any text it is asked to compare.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults


def too_large(request, limit: int):
    message = _(
        "Ce que vous avez envoyé est trop volumineux : au plus %(size)s par envoi. Raccourcissez "
        "le texte ou joignez des fichiers plus petits, puis réessayez."
    ) % {"size": filesizeformat(limit)}
    return render(request, "refused_request.html", {"message": message}, status=413)


def bad_request(request, exception=None):
    """The site's handler400: a form too large or with too many fields says so in words;
    anything else (an unknown host, a malformed request) keeps Django's short answer, which
    needs nothing of the site's middleware."""
    if not hasattr(request, "user"):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = _("Le formulaire envoyé contient trop de champs ou de fichiers.")
        return render(request, "refused_request.html", {"message": message}, status=400)
    return defaults.bad_request(request, exception)


class RequestSizeMiddleware:
    """Answers 413 to a body larger than REQUEST_MAX_BODY_SIZE, without reading it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BODY_SIZE:
            return too_large(request, settings.REQUEST_MAX_BODY_SIZE)
        return self.get_response(request)


class NulAddressMiddleware:
    """Answers 400 to an address with a NUL byte (typed as %00), saying why, before any view
    passes it to the database. The API checks the shape of its numbers itself, in JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" not in request.path_info or request.path_info.startswith("/api/"):
            return self.get_response(request)
        message = _("Cette adresse contient un caractère non valide (un octet nul).")
        return render(request, "refused_request.html", {"message": message}, status=400)
