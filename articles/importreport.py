"""What an import tells: each file's created, updated, unchanged and rejected items, and why.

``RejectedInput`` is raised wherever an input cannot become an article (its
message, a translatable sentence, says why); the reports gather the outcomes
per file and in total, for the command's lines and the admin's upload page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, REJECTED)


class RejectedInput(ValueError):
    """An input that cannot become an article; the message says why."""


@dataclass
class FileReport:
    """What happened to one file (a feed counts each of its lines)."""

    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    lines: int = 0  # lines of a feed read so far

    def add(self, outcome: str, message: str = "", article_id: int | None = None):
        self.counts[outcome] += 1
        if message:
            self.messages.append(message)
        if article_id is not None:
            self.article_ids.append(article_id)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def summary(self) -> str:
        return ", ".join(f"{self.counts[o]} {o}" for o in OUTCOMES)


@dataclass
class ImportReport:
    """Per-file reports and their totals."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        return {o: sum(f.counts[o] for f in self.files) for o in OUTCOMES}

    def summary(self) -> str:
        return ", ".join(f"{n} {o}" for o, n in self.totals.items())

