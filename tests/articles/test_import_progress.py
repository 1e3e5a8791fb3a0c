"""``manage.py import_articles`` shows how far a long import has come."""

import io
import json

import pytest
from django.core.management import call_command

from articles import importcli
from tests.conftest import SEEDS


def run_import(*paths):
    out = io.StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        assert exc.code in (1, 3)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_each_file_line_counts_files_done_of_all():
    seeds = sorted(p.name for p in SEEDS.iterdir() if p.is_file())

    lines = run_import(SEEDS)

    total = len(seeds)
    for number, name in enumerate(seeds, 1):
        assert any(line.startswith(f"[{number}/{total}] {name}: 1 created") for line in lines), (name, lines)
    assert lines[-1].startswith(f"total: {total} created")


@pytest.mark.django_db
def test_a_long_import_says_items_per_second_and_time_left(tmp_path, monkeypatch):
    for n in range(12):
        line = {"id": f"p-{n}", "title": "نشست اقتصادی قفقاز", "body": "نشست اقتصادی کشورهای قفقاز در تفلیس برگزار شد.",
                "language": "fa"}
        (tmp_path / f"feed-{n:02d}.jsonl").write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    clock = iter(range(0, 1000, 10))  # every file takes ten seconds
    monkeypatch.setattr(importcli.time, "monotonic", lambda: next(clock))

    lines = run_import(tmp_path)

    assert lines[0] == "[ 1/12] feed-00.jsonl: 1 created, 0 updated, 0 unchanged, 0 rejected  (1 items, 0.1/s, about 2 min left)"
    assert lines[10].startswith("[11/12] feed-10.jsonl: 1 created")
    assert lines[10].endswith("(11 items, 0.1/s, about 10 s left)")
