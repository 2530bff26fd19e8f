"""The site's icons: small inline SVG line drawings that take the colour of the text.

`{% icon "calendar" %}` draws a decorative icon, hidden from assistive technology: put it beside
a visible text that says the same thing. `{% icon "check" label=_("Terminé") %}` draws an icon
that stands alone, announced by its label (and shown as a tooltip through its title).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# 24x24 drawings, stroked with currentColor by the .icon rule of site.css.
ICONS: dict[str, str] = {
    "alert": '<path d="M12 3 2 20h20L12 3z"/><path d="M12 10v4"/><path d="M12 17.5v.5"/>',
    "arrow-right": '<path d="M4 12h15"/><path d="m13 6 6 6-6 6"/>',
    "award": '<circle cx="12" cy="9" r="6"/><path d="m8.5 14-1.5 7 5-3 5 3-1.5-7"/>',
    "bell": '<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4l2-2z"/><path d="M10 21h4"/>',
    "book": '<path d="M4 4h6a2 2 0 0 1 2 2v14a2 2 0 0 0-2-2H4z"/>'
    '<path d="M20 4h-6a2 2 0 0 0-2 2v14a2 2 0 0 1 2-2h6z"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18"/>'
    '<path d="M8 3v4"/><path d="M16 3v4"/>',
    "check": '<path d="m5 12.5 4.5 4.5L19 7"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "cross": '<path d="M6 6l12 12"/><path d="M18 6 6 18"/>',
    "download": '<path d="M12 3v12"/><path d="m7 10 5 5 5-5"/><path d="M4 20h16"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6"/><path d="M12 7.5v.5"/>',
    "logbook": '<rect x="5" y="3" width="14" height="18" rx="2"/><path d="M9 8h6"/>'
    '<path d="M9 12h6"/><path d="M9 16h3"/>',
    "place": '<path d="M12 21s-7-6.2-7-11a7 7 0 0 1 14 0c0 4.8-7 11-7 11z"/>'
    '<circle cx="12" cy="10" r="2.5"/>',
    "print": '<path d="M7 9V3h10v6"/><rect x="3" y="9" width="18" height="8" rx="2"/>'
    '<path d="M7 14h10v7H7z"/>',
    "search": '<circle cx="11" cy="11" r="6.5"/><path d="m16 16 5 5"/>',
    "shield": '<path d="M12 3 4 6v6c0 4.5 3.4 8 8 9 4.6-1 8-4.5 8-9V6l-8-3z"/>'
    '<path d="m8.5 12 2.5 2.5 4.5-4.5"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>',
    "users": '<circle cx="9" cy="8" r="3.5"/><path d="M2 20a7 7 0 0 1 14 0"/>'
    '<path d="M16 4.5a3.5 3.5 0 0 1 0 7"/><path d="M18 13.5a7 7 0 0 1 4 6.5"/>',
}


@register.simple_tag
def icon(name: str, label: str = "") -> str:
    """The icon `name` as inline SVG: decorative without a label, announced with one."""
    drawing = mark_safe(ICONS[name])  # constant markup, written above
    if not label:
        return format_html(
            '<svg class="icon icon-{}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
            "{}</svg>",
            name,
            drawing,
        )
    return format_html(
        '<svg class="icon icon-{}" viewBox="0 0 24 24" role="img" aria-label="{}" '
        'focusable="false"><title>{}</title>{}</svg>',
        name,
        label,
        label,
        drawing,
    )
