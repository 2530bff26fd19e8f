"""An e-mail's subject is plain text: what a template puts in it is never HTML-escaped."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

SUBJECT_OPENING = "{% load i18n %}{% autoescape off %}"


def test_it_renders_every_subject_template_without_html_escaping():
    templates = sorted(Path(settings.BASE_DIR, "templates").rglob("*_subject.txt"))

    assert templates
    escaped = [
        str(path.relative_to(settings.BASE_DIR))
        for path in templates
        if not path.read_text().startswith(SUBJECT_OPENING)
        or "{% endautoescape %}" not in path.read_text()
    ]
    assert escaped == []
