"""Content translated with wagtail-localize, as a translator does it: the French source is cut into
segments, a PO file carries each segment's translation, and the translated page is built from it.

The demo content uses this to write its English pages, so that they stay linked to their source
(Wagtail's *Translate* view shows each segment and its translation, the translation memory
knows them) and a translator can take them over segment by segment or by PO file.
"""

from __future__ import annotations

import re

from django.db import models, transaction
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# Recorded on each translation it imports: the editor shows « Traduit avec <this> le <date> ».
TOOL_NAME = "la traduction de démonstration de l'Institut"


class ShapeMismatch(ValueError):
    """The translated text does not have the shape of its source (a block or paragraph missing)."""


def with_block_ids(instance: models.Model) -> None:
    """Give the blocks of an unsaved instance's StreamFields the ids a save would give them."""
    for field in instance._meta.get_fields():
        if isinstance(field, StreamField):
            value = getattr(instance, field.name)
            list(value)  # bind every block, so that nested lists get their item ids too
            setattr(instance, field.name, value.get_prep_value())


def _strings(instance: models.Model) -> list[StringSegmentValue]:
    if instance.pk is None:
        with_block_ids(instance)
    return [s for s in extract_segments(instance) if isinstance(s, StringSegmentValue)]


def wording(source: models.Model, translated: models.Model) -> dict[tuple[str, str], str]:
    """{(segment path, source text): translated text} from two instances of the same shape.

    `translated` is an unsaved instance written with the same blocks, paragraphs and child
    objects, in the same order, as `source`; block and child ids may differ.
    """
    originals, translations = _strings(source), _strings(translated)
    shapes = [[_UUID.sub("*", s.path) for s in side] for side in (originals, translations)]
    if shapes[0] != shapes[1]:
        differences = [(a, b) for a, b in zip(*shapes, strict=False) if a != b]
        raise ShapeMismatch(
            f"{source!r}: {len(originals)} source segments, {len(translations)} translated"
            + (f"; first difference: {differences[0]}" if differences else "")
        )
    return {
        (original.path, original.string.data): text.string.data
        for original, text in zip(originals, translations, strict=True)
    }


@transaction.atomic
def translate(source: models.Model, translated: models.Model, *, locale: Locale) -> models.Model:
    """The translation of `source` into `locale`, made from the wording of `translated` through
    wagtail-localize (PO import, then the translated object built from its segments); a page is
    published. Once a translation exists it is the translators' own: it is returned unchanged.
    """
    existing = Translation.objects.filter(
        source__object_id=source.translation_key, target_locale=locale
    ).first()
    if existing is not None:
        found = source.get_translation_or_none(locale)
        if found is not None:
            return found
    translation_source, _ = TranslationSource.update_or_create_from_instance(source)
    translation, _ = Translation.objects.get_or_create(
        source=translation_source, target_locale=locale
    )
    texts = wording(source, translated)
    po = translation.export_po()
    for entry in po:
        if not entry.obsolete:
            entry.msgstr = texts[(entry.msgctxt, entry.msgid)]
    translation.import_po(po, tool_name=TOOL_NAME)
    result, _ = translation_source.create_or_update_translation(locale, publish=False)
    if isinstance(result, Page):
        result.get_latest_revision().publish()
        result.refresh_from_db()
    return result
