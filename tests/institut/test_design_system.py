"""The design system of static/css/site.css: its colour tokens reach WCAG AA contrast where they
are used, the print stylesheet hides the site's chrome, and icons carry a text alternative."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from institut.templatetags.icons import ICONS

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
# (text, background) pairs the stylesheet puts together: body text, links, badges, alerts, buttons.
TEXT_PAIRS = [
    ("--ink", "--paper"),
    ("--ink", "--soft"),
    ("--muted", "--paper"),
    ("--muted", "--soft"),
    ("--brand", "--paper"),
    ("--brand", "--soft"),
    ("--brand", "--brand-tint"),
    ("--accent", "--paper"),
    ("--accent", "--soft"),
    ("--accent", "--accent-tint"),
    ("--ok", "--ok-tint"),
    ("--warn", "--warn-tint"),
    ("--error", "--error-tint"),
    ("--error", "--paper"),
    ("--ink", "--accent-tint"),
    ("--ink", "--ok-tint"),
    ("--ink", "--warn-tint"),
    ("--ink", "--error-tint"),
    ("--paper", "--brand"),
    ("--paper", "--brand-dark"),
    ("--paper", "--error"),
]


def tokens() -> dict[str, str]:
    root = re.search(r":root \{(.*?)\n\}", CSS.read_text(), re.S).group(1)
    return dict(re.findall(r"(--[a-z-]+): (#[0-9a-f]{6});", root))


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("text", "background"), TEXT_PAIRS)
def test_it_keeps_text_colours_at_wcag_aa_contrast(text, background):
    colours = tokens()
    assert contrast(colours[text], colours[background]) >= 4.5, (text, background)


def test_it_hides_the_navigation_and_footer_when_printing():
    css = CSS.read_text()
    printed = css[css.index("@media print") :]
    for selector in (".site-nav", ".space-nav", ".site-footer", ".skip-link", ".button"):
        assert selector in printed
    assert "display: none !important" in printed
    assert "break-inside: avoid" in printed


def test_it_hides_a_decorative_icon_from_assistive_technology():
    html = Template('{% load icons %}{% icon "calendar" %} Date').render(Context())
    assert 'aria-hidden="true"' in html
    assert "role=" not in html


def test_it_names_an_icon_that_stands_alone():
    html = Template('{% load icons %}{% icon "check" label="Terminé" %}').render(Context())
    assert 'role="img"' in html
    assert 'aria-label="Terminé"' in html
    assert "<title>Terminé</title>" in html
    assert "aria-hidden" not in html


def test_every_icon_is_a_closed_drawing():
    for name, drawing in ICONS.items():
        assert drawing.count("<") == drawing.count("/>"), name


def test_a_month_field_looks_and_sizes_like_the_date_fields_beside_it():
    """« Clôturer une période »: the month field was the browser's small default box."""
    css = CSS.read_text()
    fields = next(line for line in css.splitlines() if "input[type=date]," in line)
    assert "input[type=month]" in fields
    assert "min-height: 44px" in fields


def test_a_stacked_table_s_caption_spans_the_phone_s_width():
    """« 8 candidatures » read « 8 / candidatures », one word a line, above stacked rows."""
    css = CSS.read_text()
    phone = css[css.index(".table-stack thead") :]
    phone = phone[: phone.index("\n}")]
    assert ".table-stack caption { display: block; }" in phone


def test_a_logbook_duration_reads_on_one_line():
    logbook = (CSS.parent / "logbook.css").read_text()
    assert ".logbook .totals-grid td { white-space: nowrap; }" in logbook
