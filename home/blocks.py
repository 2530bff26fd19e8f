"""The shared block library: every page's StreamField is built from these blocks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# The rich text of a short passage inside a block: emphasis, lists and links, no headings.
SIMPLE_RICH_TEXT = ["bold", "italic", "ol", "ul", "link"]


class HeadingBlock(blocks.StructBlock):
    """A section heading at level 2 or 3."""

    text = blocks.CharBlock(label=_("Texte"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section")), ("h3", _("Sous-titre"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    """An image with the alternative text that screen readers need."""

    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"),
        max_length=250,
        help_text=_("Décrivez ce que montre l'image pour les personnes qui ne la voient pas."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image_block.html"


class VideoBlock(blocks.StructBlock):
    """An embedded video, always with its transcript."""

    video = EmbedBlock(label=_("Adresse de la vidéo"))
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Transcription"),
        features=SIMPLE_RICH_TEXT,
        help_text=_("Obligatoire : le texte intégral de la vidéo."),
    )

    class Meta:
        icon = "media"
        label = _("Vidéo")
        template = "blocks/video_block.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable document with a descriptive title."""

    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Titre du lien"), max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document à télécharger")
        template = "blocks/document_block.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation and who said it."""

    text = blocks.TextBlock(label=_("Citation"))
    attribution = blocks.CharBlock(label=_("Auteur·rice"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote_block.html"


class CalloutBlock(blocks.StructBlock):
    """A highlighted box: a point to remember, a caution or a resource."""

    kind = blocks.ChoiceBlock(
        label=_("Type"),
        choices=[("info", _("À retenir")), ("warning", _("Attention")), ("tip", _("Conseil"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    body = blocks.RichTextBlock(label=_("Texte"), features=SIMPLE_RICH_TEXT)

    class Meta:
        icon = "warning"
        label = _("Encadré")
        template = "blocks/callout_block.html"


class LinkCardBlock(blocks.StructBlock):
    """A card that leads to another page of the site."""

    title = blocks.CharBlock(label=_("Titre"), max_length=120)
    text = blocks.TextBlock(label=_("Texte"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(label=_("ou adresse"), required=False, max_length=300)

    class Meta:
        icon = "link"
        label = _("Carte lien")
        template = "blocks/link_card_block.html"


RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every content page may use."""

    paragraph = blocks.RichTextBlock(
        label=_("Texte"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()


class HomeStreamBlock(BaseStreamBlock):
    """The home page adds cards leading to the main parts of the site."""

    cards = blocks.ListBlock(LinkCardBlock(), label=_("Cartes"), template="blocks/cards_block.html")
