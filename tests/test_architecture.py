"""The package layout of ARCHITECTURE.md, checked: layers, no import cycle, docstrings, module size.

Every import of every module under ``translate/`` counts, at module level or inside a function
(a lazy import still runs, and still ties the two modules together); an import of a package
counts as an import of its ``__init__``, and importing ``translate.x.y`` does not count as
importing ``translate.x`` (Python runs the parent ``__init__`` first, but that is no arrow of
ours). ``import translate`` and ``import translate.cli`` loading no torch, transformers,
ctranslate2 or numpy is ``tests/test_pipeline.py::test_import_translate_loads_no_torch_and_reads_no_files``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "translate"
MAX_LINES = 330

LAYERS: list[tuple[str, ...]] = [
    # bottom to top; the same table as ARCHITECTURE.md. A module may import its own unit (the
    # longest entry its name starts with) and any unit of a lower layer; never a unit of its own
    # layer or of a higher one.
    ("translate", "translate.errors"),
    ("translate.paths", "translate.textio", "translate.progress"),
    ("translate.doc",),
    ("translate.text",),
    ("translate.engines",),
    ("translate.glossary",),
    ("translate.review",),
    ("translate.interchange",),
    ("translate.tm",),
    ("translate.pipeline",),
    ("translate.review.publish", "translate.evaluate", "translate.batch"),
    ("translate.server",),
    ("translate.cli",),
    ("translate.__main__",),
]

ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    # (importer, imported): why. Keep this short; ARCHITECTURE.md lists the same.
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
PACKAGES = {name for name, p in MODULES.items() if p.name == "__init__.py"}


def _imports(name: str) -> set[str]:
    """The ``translate`` modules ``name`` imports anywhere in its body."""
    path = MODULES[name]
    here = name if name in PACKAGES else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _unit(name: str) -> tuple[str, int]:
    """The layer-table entry ``name`` belongs to, and its layer."""
    best: tuple[str, int] | None = None
    for level, units in enumerate(LAYERS):
        for unit in units:
            inside = name == unit or (unit != "translate" and name.startswith(unit + "."))
            if inside and (best is None or len(unit) > len(best[0])):
                best = (unit, level)
    assert best is not None, f"{name} is in no layer of LAYERS (add it to the table and to ARCHITECTURE.md)"
    return best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_the_import_walk_sees_lazy_and_package_imports():
    assert "translate.engines.ct2" in GRAPH["translate.engines"]  # inside load_engine
    assert "translate.engines.resolve" in GRAPH["translate.engines"]  # at module level
    assert "translate.cli.group" in GRAPH["translate.cli.pipeline_cmds"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _unit("translate.review.publish") == ("translate.review.publish", 10)
    assert _unit("translate.review.log")[1] < _unit("translate.tm.apply")[1] < _unit("translate.review.publish")[1]


def test_no_import_cycle_between_modules():
    assert _cycles(GRAPH) == []


def test_every_module_is_in_a_layer():
    for name in MODULES:
        _unit(name)


def test_no_import_runs_up_or_sideways_between_layers():
    wrong = []
    for name, targets in sorted(GRAPH.items()):
        unit, level = _unit(name)
        for target in sorted(targets):
            other, other_level = _unit(target)
            if other != unit and other_level >= level and (name, target) not in ALLOWED_UPWARD:
                wrong.append(f"{name} (layer {level}) imports {target} (layer {other_level})")
    assert wrong == []


def test_architecture_md_shows_the_same_layers():
    text = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| *(\d+) *\| *(`translate[^|]*)\|", text, re.MULTILINE)
    documented = {int(level): tuple(re.findall(r"`(translate[\w.]*)`", units)) for level, units in rows}
    assert documented == dict(enumerate(LAYERS))


def test_allowed_exceptions_are_still_needed():
    for name, target in ALLOWED_UPWARD:
        assert target in GRAPH[name], f"{name} no longer imports {target}: drop it from ALLOWED_UPWARD"


@pytest.mark.parametrize("package", sorted(p for p in PACKAGES if p != "translate"))
def test_every_subpackage_says_what_it_owns_and_may_import(package):
    doc = ast.get_docstring(ast.parse(MODULES[package].read_text(encoding="utf-8"))) or ""
    assert len(doc.split()) >= 20, f"{package}/__init__.py needs a docstring: what it owns, what it may import"
    assert "import" in doc, f"{package}/__init__.py: the docstring does not say what the package may import"


def test_no_module_is_longer_than_one_sitting():
    long = {name: n for name, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"modules over {MAX_LINES} lines: {long}"
