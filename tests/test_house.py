"""The house rules, read from the product code's own imports (issue 15).

- no import circle, except through a Celery tasks module (tasks call services, services queue
  tasks);
- no `import *`, no private name taken from another module;
- `institut` imports no content app (only the root URLconf includes their URLs);
- courses and supervision never import each other;
- selectors never import services.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("institut", "courses", "certification", "supervision", "home")
CONTENT_APPS = ("courses", "certification", "supervision", "home")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _product_files() -> dict[str, Path]:
    files = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            files[_module_name(path)] = path
    return files


MODULES = _product_files()


def _target(module: str, name: str | None) -> str:
    """The product module an import reaches: `from a.b import c` is a.b.c when c is a module."""
    if name and f"{module}.{name}" in MODULES:
        return f"{module}.{name}"
    return module


def _imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import of `module`, at any depth
    (an import inside a function ties the two modules just as well)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if MODULES[module].name != "__init__.py":
                    package = package[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([base] if base else [])])
            found += [(base, alias.name, node.lineno) for alias in node.names]
    return found


def _product(module: str) -> bool:
    return module.split(".")[0] in APPS


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for module in MODULES:
        for imported, name, _line in _imports(module):
            target = _target(imported, name)
            if target in MODULES and target != module:
                graph[module].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_product_modules_are_read():
    assert {"institut.person_cache", "courses.payments.services.refunds", "home.models"} <= set(
        MODULES
    )
    assert "institut.personal_pages" in _graph()["institut.person_cache"]


def test_no_import_circle_except_through_celery_tasks():
    graph = _graph()
    without_tasks = {
        module: {other for other in imports if not other.endswith(".tasks")}
        for module, imports in graph.items()
        if not module.endswith(".tasks")
    }
    assert _cycles(without_tasks) == []


def test_the_circle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_star_import_and_no_private_name_from_another_module():
    refused = [
        f"{module}:{line} from {imported} import {name}"
        for module in MODULES
        for imported, name, line in _imports(module)
        if name == "*"
        or (
            name is not None
            and name.startswith("_")
            and not name.startswith("__")
            and _product(imported)
            and _target(imported, name) != module
        )
    ]
    assert refused == []


def _imports_of(prefix: str):
    for module in MODULES:
        if module == prefix or module.startswith(prefix + "."):
            for imported, name, line in _imports(module):
                yield module, _target(imported, name), line


def test_institut_imports_no_content_app():
    refused = [
        f"{module}:{line} {target}"
        for module, target, line in _imports_of("institut")
        # The root URLconf includes every app's URLs: that is its job.
        if module != "institut.urls" and target.split(".")[0] in CONTENT_APPS
    ]
    assert refused == []


@pytest.mark.parametrize("app,other", [("courses", "supervision"), ("supervision", "courses")])
def test_courses_and_supervision_never_import_each_other(app, other):
    refused = [
        f"{module}:{line} {target}"
        for module, target, line in _imports_of(app)
        if target.split(".")[0] == other
    ]
    assert refused == []


def _kind_imports(kind: str, forbidden: set[str]) -> list[str]:
    """Imports of modules named `kind` (selectors, models) that reach a module of `forbidden`."""
    return [
        f"{module}:{line} {target}"
        for module in MODULES
        if module.rsplit(".", 1)[-1] == kind
        for _module, target, line in _imports_of(module)
        if forbidden & set(target.split("."))
    ]


def test_selectors_never_import_services():
    assert _kind_imports("selectors", {"services"}) == []


def test_models_never_import_views_services_or_selectors():
    assert _kind_imports("models", {"views", "services", "selectors"}) == []
