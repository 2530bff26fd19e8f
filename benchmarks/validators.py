"""`make bench-validators`: every validator and pattern of the site on inputs up to 1 MB.

Runs, on texts of growing size and of shapes that make backtracking patterns slow (one long
word, dots, dashes, spaces, digits, at signs...):

- every field of the site's forms, through its whole `clean` (what a request goes through);
- every validator of those fields and of the models' fields, called directly (what would happen
  if the length guard were missing);
- every compiled regular expression of the site's modules (`search` over the whole text).

Prints the slowest cases and, for each target, how its time grows from one size to the next
(x10 in size: about x10 in time when linear, x100 when quadratic). A target that takes more than
`--stop` seconds is not run on the larger sizes. A benchmark, not a test: nothing fails.

    python -m benchmarks.validators [--sizes 1000,10000,100000,1000000] [--top 20]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import inspect
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Modules whose forms, model fields and compiled patterns are measured.
MODULES = [
    "institut.forms",
    "institut.models",
    "courses.forms",
    "courses.models",
    "courses.views",
    "courses.selectors",
    "courses.payments.forms",
    "courses.payments.models",
    "supervision.forms",
    "supervision.models",
    "supervision.logbook.forms",
    "supervision.logbook.models",
    "certification.forms",
    "certification.models",
    "certification.registry.forms",
    "certification.registry.models",
    "certification.registry.selectors",
    "institut.ratelimit",
    "certification.links",
]

# Texts that make a backtracking pattern try every split: `shape(n)` is n characters long.
SHAPES: dict[str, Callable[[int], str]] = {
    "one word": lambda n: "a" * n,
    "dots": lambda n: ("a." * n)[:n],
    "dashes": lambda n: ("a-" * n)[:n],
    "spaces": lambda n: ("a " * n)[:n],
    "digits": lambda n: ("1 " * n)[:n],
    "at signs": lambda n: ("a @ " * n)[:n],
    "address tail": lambda n: "a@" + "b" * (n - 2),
    "prose": lambda n: ("Atelier en sous-groupes mêlés, 12 h 30. " * n)[:n],
}


@dataclass
class Target:
    name: str
    call: Callable[[str], object]
    times: dict[int, float] = field(default_factory=dict)  # size -> slowest time over the shapes
    worst_shape: dict[int, str] = field(default_factory=dict)
    stopped_at: int | None = None


def module_targets(module) -> list[Target]:
    from django import forms
    from django.db import models

    targets: list[Target] = []
    for attr, value in vars(module).items():
        if isinstance(value, re.Pattern):
            targets.append(Target(f"{module.__name__}.{attr}.search", value.search))
        if not inspect.isclass(value) or value.__module__ != module.__name__:
            continue
        if issubclass(value, forms.BaseForm):
            for name, form_field in value.base_fields.items():
                label = f"{value.__name__}.{name}"
                targets.append(Target(f"{label} (clean)", form_field.clean))
                if not isinstance(form_field, forms.CharField):
                    continue  # validators of numbers and dates expect numbers and dates
                for validator in form_field.validators:
                    targets.append(Target(f"{label} {validator_name(validator)}", validator))
        if issubclass(value, models.Model) and not value._meta.abstract:
            for model_field in value._meta.get_fields():
                if not isinstance(model_field, models.CharField | models.TextField):
                    continue
                for validator in model_field.validators:
                    label = f"{value.__name__}.{model_field.name} {validator_name(validator)}"
                    targets.append(Target(label, validator))
    return targets


def validator_name(validator) -> str:
    return getattr(validator, "__name__", type(validator).__name__)


def measure(target: Target, sizes: list[int], stop: float) -> None:
    from django.core.exceptions import ValidationError

    with contextlib.suppress(Exception):
        target.call("warm-up")  # a first call may compile a pattern or import a module
    for size in sizes:
        for shape, make in SHAPES.items():
            text = make(size)
            started = time.perf_counter()
            try:
                target.call(text)
            except (ValidationError, ValueError, TypeError, LookupError):
                pass  # refusing the text is the validator's job; only the time matters here
            except Exception:  # a field whose clean needs the database, say: not measured
                target.times.setdefault(size, 0.0)
                target.worst_shape.setdefault(size, "(fails)")
                continue
            elapsed = time.perf_counter() - started
            if elapsed > target.times.get(size, -1):
                target.times[size], target.worst_shape[size] = elapsed, shape
        if target.times[size] > stop:
            target.stopped_at = size
            return


def growth(target: Target, sizes: list[int]) -> str:
    measured = [size for size in sizes if size in target.times]
    if len(measured) < 2:
        return "—"
    small, large = measured[-2], measured[-1]
    if target.times[large] < 0.005:
        return "(under 5 ms)"
    ratio = target.times[large] / max(target.times[small], 1e-6)
    return f"x{ratio:.0f} for x{large // small}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--top", type=int, default=20, help="how many of the slowest to print")
    parser.add_argument("--stop", type=float, default=2.0, help="seconds past which to stop")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "institut.settings")
    import django

    django.setup()
    targets = [
        target for name in MODULES for target in module_targets(importlib.import_module(name))
    ]
    started = time.perf_counter()
    for target in targets:
        measure(target, sizes, args.stop)
    largest = sizes[-1]

    def slowest_time(target: Target) -> float:
        return max(target.times.values())

    ranked = sorted(targets, key=slowest_time, reverse=True)
    print(
        f"{len(targets)} validators, fields and patterns, {len(SHAPES)} shapes of text, "
        f"sizes {', '.join(f'{size:,}' for size in sizes)} characters "
        f"({time.perf_counter() - started:.1f} s in all)\n"
    )
    print(f"{'slowest':<62} {'at size':>10} {'ms':>9}  {'shape':<13} growth")
    for target in ranked[: args.top]:
        size = max(target.times, key=target.times.get)
        note = (
            f"  STOPPED: over {args.stop:g} s at {target.stopped_at:,}" if target.stopped_at else ""
        )
        print(
            f"{target.name[:62]:<62} {size:>10,} {target.times[size] * 1000:>9.2f}  "
            f"{target.worst_shape[size]:<13} {growth(target, sizes)}{note}"
        )
    slow = [target for target in targets if target.stopped_at]
    within = max((target.times.get(largest, 0) for target in targets), default=0)
    print(
        f"\nLongest time on {largest:,} characters: {within * 1000:.1f} ms"
        + (f"; {len(slow)} stopped before the largest size." if slow else ".")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
