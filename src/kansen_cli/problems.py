"""Validation problems as data: collected, never raised one at a time."""

from __future__ import annotations

import re
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
        shown = None if value is None else _shorten(mask_bsns(str(value)))
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


_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def mask_bsns(text: str) -> str:
    """A BSN typed where it does not belong (a client-number cell, an answer) is shown masked.

    Any nine-digit run passing the elfproef counts: better to mask a number that only looks
    like a BSN than to print a real one.
    """
    from stdnum.nl import bsn

    return _NINE_DIGITS.sub(
        lambda m: "*****" + m.group()[-4:] if bsn.is_valid(m.group()) else m.group(), text
    )


def _shorten(text: str, limit: int = 60) -> str:
    # A 1 MB cell must not flood the terminal.
    return text if len(text) <= limit else text[: limit - 1] + "…"
