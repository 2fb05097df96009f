"""The map's ES modules import each other without cycles (an import cycle makes evaluation order depend on
which module the page loads first: a module may run before one it reads at the top level)."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "conflictmap" / "incidents" / "static" / "incidents"
# `import { a, b } from "./x.js";` (possibly over several lines) and `import "./x.js";`
IMPORT = re.compile(r"^\s*import\s+(?:[^;]*?\s+from\s+)?[\"']\./([\w.-]+\.js)[\"']", re.MULTILINE | re.DOTALL)


def module_graph() -> dict[str, list[str]]:
    """Each module of the folder with the sibling modules it imports."""
    return {
        path.name: IMPORT.findall(path.read_text(encoding="utf-8")) for path in sorted(STATIC.glob("*.js"))
    }


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle as the list of modules along it (first repeated last), or None: depth-first, three colours."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        path.append(node)
        on_path.add(node)
        for dep in graph.get(node, ()):
            if dep in on_path:
                return [*path[path.index(dep) :], dep]
            if dep not in done:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in graph:
        if start not in done:
            found = visit(start)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a.js": ["b.js"], "b.js": ["c.js"], "c.js": ["a.js"]}) == [
        "a.js",
        "b.js",
        "c.js",
        "a.js",
    ]
    assert find_cycle({"a.js": ["b.js", "c.js"], "b.js": ["c.js"], "c.js": []}) is None
    assert find_cycle({"a.js": ["a.js"]}) == ["a.js", "a.js"]


def test_the_import_pattern_reads_multiline_imports():
    source = 'import {\n  a, b\n} from "./x.js";\nimport { c } from "./y.js";\nimport "./z.js";\n// import nothing\n'
    assert IMPORT.findall(source) == ["x.js", "y.js", "z.js"]


def test_every_import_names_a_module_of_the_folder():
    graph = module_graph()
    assert graph.get("map.js"), "the entry module imports the others"
    missing = {(mod, dep) for mod, deps in graph.items() for dep in deps if dep not in graph}
    assert not missing


def test_the_map_modules_import_each_other_without_cycles():
    cycle = find_cycle(module_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])
