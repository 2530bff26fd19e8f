"""Benchmark volume for courses (see institut/scale.py): loaded with COPY by `seed_scale`."""

from __future__ import annotations

from institut.scale import ScaleContext


def seed(ctx: ScaleContext) -> None:
    """TODO: filled in by the courses engineer."""
