"""The public page where anyone checks a document the Institut issued by its number (an
attestation, a certificat de réalisation): one rule for every kind of document.

A number typed in the form goes to its own address; a number of the wrong shape is said so
(400 when typed, 404 as an address); a well-formed number that no document bears is 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import redirect, render

from institut.lib.references import MAX_TYPED_LENGTH


@dataclass(frozen=True)
class CheckedDocument:
    """A kind of document that anyone may check by its number."""

    pattern: re.Pattern  # a number of this kind, once stripped and upper-cased
    route: str  # the URL name of a number's own page
    find: Callable[[str], object | None]  # the document bearing a well-formed number
    name: str  # the document's name in the template's context
    template: str
    shape_error: str  # lazy; « %(number)s » is what the person typed
    unknown_error: str  # lazy


def document_check(request, number: str | None, kind: CheckedDocument):
    """The check page of `kind`, for a number in the address or typed in the form (`?numero=`)."""
    raw = number if number is not None else request.GET.get("numero", "")
    typed = raw.strip()[:MAX_TYPED_LENGTH]
    cleaned = typed.upper()
    if number is None and cleaned and kind.pattern.match(cleaned):
        return redirect(kind.route, number=cleaned)
    context = {"number": cleaned, kind.name: None, "error": None}
    status = 200
    if cleaned:
        if not kind.pattern.match(cleaned):
            context["error"] = kind.shape_error % {"number": typed}
            status = 400 if number is None else 404
        else:
            context[kind.name] = kind.find(cleaned)
            if context[kind.name] is None:
                context["error"] = kind.unknown_error
                status = 404
    return render(request, kind.template, context, status=status)
