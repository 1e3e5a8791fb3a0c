"""The house in order: apps depend one way, no file imports itself back, Persian/Arabic letters in one package.

Reads every import of the project's Python files (``ast``, also imports
inside functions) and fails on an import that runs back up a floor of the
README's diagram, on two apps of one floor importing each other, and on
any circle of files (bench included).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "tests", "var", "static", "templates", "locale", "migrations"}

# The README's diagram, bottom up: an app imports only apps on lower floors.
FLOORS = {
    "articles.text": 0,
    "articles": 1,
    "search": 2, "pagecache": 2,
    "entities": 3,
    "editors": 4, "feeds": 4,
    "newsportal": 5,
    "bench": 6,
}


def _files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not SKIP.intersection(parts):
            yield path


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if parts[0] == "bench":  # bench scripts import each other by their bare names
        return "bench." + ".".join(parts[1:])
    return ".".join(parts)


def _app(module: str) -> str | None:
    if module == "articles.text" or module.startswith("articles.text."):
        return "articles.text"
    top = module.split(".")[0]
    return top if top in FLOORS else None


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports (a name imported from a package counts as its module, if it is one)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names = [f"{target}.{alias.name}" for alias in node.names] + [target]
        else:
            continue
        for name in names:
            if module.startswith("bench.") and name in {m[len("bench."):] for m in modules if m.startswith("bench.")}:
                name = f"bench.{name}"
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
                break
    return found


def _graph() -> tuple[dict[str, set[str]], dict[str, Path]]:
    paths = {_module(p): p for p in _files()}
    modules = set(paths)
    return {m: _imports(p, modules) for m, p in paths.items()}, paths


def test_no_import_runs_back_up_a_floor():
    graph, paths = _graph()
    wrong = []
    for module, targets in graph.items():
        source = _app(module)
        for target in targets:
            dest = _app(target)
            if source is None or dest is None or dest == source:
                continue
            if FLOORS[dest] >= FLOORS[source]:
                where = str(paths[module].relative_to(ROOT))
                wrong.append(f"{where} imports {target} (floor {FLOORS[source]} -> {FLOORS[dest]})")
    assert wrong == []


def test_the_text_package_imports_no_django_and_no_app():
    graph, paths = _graph()
    for module, path in paths.items():
        if _app(module) == "articles.text":
            assert not [t for t in graph[module] if _app(t) != "articles.text"], module
            assert "django" not in {n.split(".")[0] for n in re.findall(r"^\s*(?:from|import)\s+([\w.]+)", path.read_text(), re.M)}


def test_no_circle_of_files():
    graph, _ = _graph()
    # Tarjan's strongly connected components: any with two files or more is a circle.
    index, low, stack, on_stack, circles, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


# --- Persian/Arabic letters are handled in articles/text/ only -----------------------

ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc\u200c]")
USER_VISIBLE = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext", "gettext_noop"}
# The only places outside the text package with strings of such letters, and how many each holds
# (counts may only go down).  Benchmarks' test data: the queries, typing mistakes and corpus
# sources they measure with, as tests/ holds its own.
TEST_DATA = {
    "bench/admin_search.py": 1, "bench/corpora.py": 3, "bench/hostile_queries.py": 37, "bench/load.py": 7,
    "bench/relevance.py": 35, "bench/run.py": 1, "bench/search_quality.py": 1, "bench/suggest_speed.py": 1,
}
ALLOWED = TEST_DATA


def _letter_strings(path: Path) -> int:
    """String constants with an Arabic-script letter or ZWNJ (literal or escaped) that are neither
    docstrings nor user-visible text (gettext calls, help_text and verbose names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            exempt.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            visible = list(node.args) if name in USER_VISIBLE else []
            visible += [k.value for k in node.keywords if k.arg in {"help_text", "verbose_name", "verbose_name_plural"}]
            exempt.update(id(n) for arg in visible for n in ast.walk(arg))
    return sum(1 for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
               and id(node) not in exempt and ARABIC_SCRIPT.search(node.value))


def test_no_persian_or_arabic_letter_is_handled_outside_the_text_package():
    found = {}
    for path in _files():
        where = str(path.relative_to(ROOT))
        if where.startswith("articles/text/"):
            continue
        if count := _letter_strings(path):
            found[where] = count
    grown = {where: (count, ALLOWED.get(where, 0)) for where, count in found.items() if count > ALLOWED.get(where, 0)}
    assert grown == {}, "letters handled outside articles/text/ (found, allowed): use or extend the text package"


def test_the_letter_count_sees_rules_but_not_messages_docstrings_or_the_bom(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        '"""ماژول."""\nfrom django.utils.translation import gettext as _\n'
        'TITLES = ["وزیر", "الرئيس"]\nZWNJ = "\\u200c"\nBOM = "\\ufeff"\nMESSAGE = _("خبر")\n',
        encoding="utf-8",
    )
    assert _letter_strings(source) == 3
