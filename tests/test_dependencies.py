"""Dependencies point one way: no import cycle, and each layer imports only the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("conflictmap", "gazetteer", "geoparse")
# Who may import whom (by layer; a layer may always import itself).
ALLOWED = {
    "geoparse": set(),
    "conflictmap.fresh": set(),
    "gazetteer": {"geoparse", "conflictmap.fresh"},
    "conflictmap.rules": {"geoparse", "conflictmap.fresh"},
    # Roles and permissions: below the apps, so their views may check them.
    "conflictmap.accounts": set(),
    # The API's versions and JSON: below the apps, so their URLs and views use them.
    "conflictmap.versioning": set(),
    "conflictmap.articles": {"geoparse", "gazetteer", "conflictmap.accounts", "conflictmap.versioning"},
    "conflictmap.incidents": {
        "geoparse",
        "gazetteer",
        "conflictmap.rules",
        "conflictmap.articles",
        "conflictmap.backend",
        "conflictmap.accounts",
        "conflictmap.versioning",
    },
    "conflictmap.backend": set(),
    # ACLED's own events: a layer beside ours, above incidents (it reuses the map's filters and counts).
    "conflictmap.acled": {
        "geoparse",
        "gazetteer",
        "conflictmap.incidents",
        "conflictmap.articles",
        "conflictmap.backend",
        "conflictmap.accounts",
    },
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def resolve(module: str, node: ast.ImportFrom | ast.Import, is_package: bool) -> list[str]:
    """Return the absolute names an import statement brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".") if is_package else module.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, node.module] if node.module else parts)
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def imports(known: dict[str, Path], top_level: bool) -> dict[str, set[str]]:
    """Map each project module to the project modules it imports (module level, or inside functions)."""
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = (
            tree.body
            if top_level
            else [
                n
                for f in ast.walk(tree)
                if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
                for n in ast.walk(f)
            ]
        )
        found = set()
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found |= {t for t in resolve(name, node, path.name == "__init__.py") if t in known}
        graph[name] = found - {name}
    return graph


def layer(module: str) -> str:
    return max(
        (key for key in ALLOWED if module == key or module.startswith(key + ".")), key=len, default=module
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


KNOWN = modules()
GRAPH = imports(KNOWN, top_level=True)


def test_there_is_no_import_cycle():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(m for m in KNOWN if ".migrations" not in m))
def test_each_module_imports_only_the_layers_below_it(module):
    mine = layer(module)
    if mine not in ALLOWED:
        return  # settings, urls, celery: the wiring at the top may import anything
    wrong = {t for t in GRAPH[module] if layer(t) != mine and layer(t) not in ALLOWED[mine]}
    assert not wrong, f"{module} ({mine}) imports {sorted(wrong)}"


def test_function_local_imports_of_our_modules_say_why():
    silent = []
    for name, path in KNOWN.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom) and any(
                    t.split(".")[0] in PACKAGES for t in resolve(name, node, path.name == "__init__.py")
                ) | (isinstance(node, ast.ImportFrom) and node.level > 0):
                    around = lines[max(0, node.lineno - 3) : node.lineno]
                    if not any("#" in line for line in around):
                        silent.append(f"{name}:{node.lineno}")
    assert silent == []
