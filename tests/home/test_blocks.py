"""The shared content blocks as a reader sees them."""

from __future__ import annotations

from home.blocks import CalloutBlock


def render(**value):
    block = CalloutBlock()
    return block.render(block.to_python({"body": "<p>Texte.</p>", **value}))


def test_a_callout_says_its_kind_then_its_title():
    html = render(kind="warning", title="Les limites du rôle")
    assert "<strong>Attention — Les limites du rôle</strong>" in html


def test_a_callout_whose_title_repeats_its_kind_says_it_once():
    html = render(kind="info", title="À retenir")
    assert "<strong>À retenir</strong>" in html
    assert "À retenir — À retenir" not in html
