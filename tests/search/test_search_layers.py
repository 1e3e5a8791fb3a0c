"""The search app's layers: no import circles, Whoosh kept inside ``search/whoosh/``."""

import ast
from pathlib import Path

import pytest
from haystack import connections
from haystack.exceptions import SearchBackendError

from articles.models import Article
from search import sync
from search.whoosh import backend as whoosh_backend

ROOT = Path(__file__).resolve().parents[2]
SEARCH = ROOT / "search"
# The modules that may use Whoosh's private names (see their docstrings).
PRIVATE_READERS = {"codec.py", "writer.py", "arrays.py"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of its code, as absolute names."""
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _python_files(folder: Path):
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def test_the_search_app_has_no_import_circle():
    modules = {_module_name(p): p for p in _python_files(SEARCH)}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    assert graph["search.whoosh.bulk"] and graph["search.signals"]  # the scan sees imports

    def reach(start):
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    circles = sorted(name for name in graph if name in reach(name))
    assert circles == []


def test_no_module_outside_search_whoosh_imports_whoosh():
    offenders = set()
    for folder in ("articles", "search", "suggest", "feeds", "entities", "editors", "pagecache", "newsportal"):
        for path in _python_files(ROOT / folder):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith("search/whoosh/"):
                continue
            if any(m == "whoosh" or m.startswith("whoosh.") for m in _imports(path)):
                offenders.add(relative)
    assert offenders == set()


def test_whoosh_internals_are_imported_by_the_codec_writer_and_reader_only():
    internal = ("whoosh.codec", "whoosh.filedb", "whoosh.system", "whoosh.util", "whoosh.writing")
    users = {p.name for p in _python_files(SEARCH / "whoosh")
             if any(m.startswith(internal) for m in _imports(p))}
    assert users and users <= PRIVATE_READERS


def test_the_posting_format_is_declared_once():
    # The engine and the reader ask search.whoosh.postings; they declare no layout of their own.
    for name in ("engine.py", "arrays.py"):
        source = (SEARCH / "whoosh" / name).read_text(encoding="utf-8")
        assert "struct" not in source and "PtB1" not in source and '"<u1"' not in source


@pytest.mark.django_db(transaction=True)
def test_an_index_held_too_long_raises_the_backends_own_error(monkeypatch):
    backend = connections["default"].get_backend()
    backend.setup()
    monkeypatch.setattr(whoosh_backend, "WRITER_TIMEOUT", 0.1)
    held = backend.storage.lock(whoosh_backend.SYNC_LOCK)
    assert held.acquire(blocking=False)
    try:
        with pytest.raises(SearchBackendError, match="no turn to update the search index"):
            sync.apply_changes("default", Article, {1})
    finally:
        held.release()
