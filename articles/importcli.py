"""``manage.py import_articles`` as a function: progress, report lines and the exit status.

The command only parses its arguments and calls ``run_import``, which tests
call too.  Per-file lines and the totals (always the last line) go to
``stdout``; rejections, warnings and the progress within a long file to
``stderr``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import BinaryIO, TextIO

from django.utils import translation

from .importer import import_paths, iter_inputs
from .importreport import CREATED, REJECTED, UNCHANGED, UPDATED, FileReport

EXIT_OK = 0  # everything read was imported (or was there unchanged)
EXIT_SOME_REJECTED = 1  # some items were rejected, the others imported
EXIT_NOTHING_IMPORTED = 3  # nothing imported: no files, or every item rejected
# (2 is a usage error: unknown option or no path)


def run_import(paths: Sequence[str], *, stdout: TextIO, stderr: TextIO, quiet_files: bool = False,
               stdin: BinaryIO | None = None, stdin_name: str = "stdin.jsonl", progress_seconds: float = 5.0, link: bool = True) -> int:
    """Import ``paths`` (``-`` is standard input) printing as it goes; return the exit status.

    ``link=False`` leaves entity linking and near-duplicates out (``import_paths``).
    """
    with translation.override("en"):  # the operator's log reads the same on every server
        inputs = list(iter_inputs(paths))
        if not inputs:
            stderr.write("no files found in " + ", ".join(map(str, paths)) + "\n")
            stdout.write("total: 0 created, 0 updated, 0 unchanged, 0 rejected\n")
            return EXIT_NOTHING_IMPORTED
        progress = Progress(len(inputs), stderr, progress_seconds)

        def report_file(file_report: FileReport) -> None:
            for message in file_report.warnings:
                stderr.write(f"warning {message}\n")
            for message in file_report.messages:
                stderr.write(f"rejected {message}\n")
            progress.add(sum(file_report.counts.values()))
            if not quiet_files:
                stdout.write(f"{progress.prefix()} {file_report.name}: {file_report.summary()}{progress.suffix()}\n")

        report = import_paths(paths, progress=report_file, on_line=progress.line,
                              stdin=stdin, stdin_name=stdin_name, link=link)
        totals = report.totals
        stdout.write(f"total: {report.summary()}\n")
    if totals[CREATED] + totals[UPDATED] + totals[UNCHANGED] == 0:
        return EXIT_NOTHING_IMPORTED
    return EXIT_SOME_REJECTED if totals[REJECTED] else EXIT_OK


class Progress:
    """Files done of all, items per second and the time left; lines read within a long feed."""

    def __init__(self, total_files: int, stderr: TextIO, every: float = 5.0):
        self.total, self.done, self.items, self.started = total_files, 0, 0, time.monotonic()
        self.stderr, self.every, self.last = stderr, every, self.started

    def add(self, items: int) -> None:
        self.done += 1
        self.items += items

    def line(self, report: FileReport) -> None:
        """Say how far a long file has come, every ``every`` seconds."""
        if report.lines % 64:  # the clock is read now and then, not on every line
            return
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        written = sum(report.counts.values())
        rate = (self.items + written) / max(now - self.started, 1e-9)
        self.stderr.write(f"  {report.name}: {report.lines:,} lines read, {written:,} articles done, "
                          f"{rate:,.0f} articles/s\n")

    def prefix(self) -> str:
        width = len(str(self.total))
        return f"[{self.done:>{width}}/{self.total}]"

    def suffix(self) -> str:
        elapsed = time.monotonic() - self.started
        # Only worth saying on a long import: a few seeds finish before it matters.
        if self.total < 10 or elapsed < 2:
            return ""
        left = elapsed / self.done * (self.total - self.done)
        rate = self.items / elapsed
        return f"  ({self.items:,} items, {rate:,.{1 if rate < 10 else 0}f}/s, about {_duration(left)} left)"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
