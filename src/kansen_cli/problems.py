"""Validation problems as data: collected, never raised one at a time."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row) of one file.

    `row` is the row number as the user sees it in Excel or a text editor (header = its own
    row number), `value` is already safe to show (BSNs masked by the reader).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    kind: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ProblemReport:
    """Every problem found in one or more files; decides nothing by itself."""

    problems: list[Problem] = field(default_factory=list)

    def add(
        self,
        file: str,
        row: int | None,
        column: str | None,
        value: object,
        kind: str,
        message: str,
    ) -> None:
        shown = None if value is None else _shorten(str(value))
        self.problems.append(Problem(file, row, column, shown, kind, message))

    def extend(self, other: ProblemReport) -> None:
        self.problems.extend(other.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def by_kind(self) -> dict[str, list[Problem]]:
        grouped: dict[str, list[Problem]] = {}
        for p in self.problems:
            grouped.setdefault(p.kind, []).append(p)
        return grouped

    def counts(self) -> dict[str, int]:
        return dict(Counter(p.kind for p in self.problems))

    def rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row is not None}

    def as_list(self) -> list[dict[str, Any]]:
        return [p.as_dict() for p in self.problems]


def _shorten(text: str, limit: int = 60) -> str:
    # A 1 MB cell must not flood the terminal.
    return text if len(text) <= limit else text[: limit - 1] + "…"
