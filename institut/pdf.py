"""Documents as PDF: an HTML template rendered by WeasyPrint, with no network access (static
files are read from the project's folder), and the QR code printed on those that can be checked."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict) -> bytes:
    """The PDF bytes of the template rendered with the context, in the active language."""
    from weasyprint import HTML

    # No request, so no context processor: the document says the language it is written in.
    context = {"LANGUAGE_CODE": translation.get_language() or settings.LANGUAGE_CODE, **context}
    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def qr_code(url: str) -> str:
    """A QR code of the URL, as an SVG data URI to put in an <img>."""
    return segno.make(url, error="m").svg_data_uri(scale=4)
