"""Validation problems as data: collected, never raised one at a time."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from kansen_cli.i18n import language, ngettext


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row) of one file.

    `row` is the row number as the user sees it in Excel or a text editor (header = its own
    row number), `value` is already safe to show (`shown_value`: code-like values as typed,
    BSNs masked, other text only as its kind and length).
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
        known: bool = False,
    ) -> None:
        """`known`: the value is one the tool itself knows (a label from a list, a yes/no mark,
        a client id it matched, its own batch id), so it is shown as it is."""
        self.problems.append(Problem(file, row, column, shown_value(value, known), kind, message))

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


def shown_value(value: object, known: bool = False) -> str | None:
    """What a problem may show of a typed value: a code-like one (a date, a number, a code) as
    it is, BSNs masked; anything else only as its kind and length, "<text of 12 characters>":
    a surname or an e-mail address typed into an answer column must not be printed."""
    if value is None:
        return None
    if isinstance(value, dt.date | float) and not isinstance(value, bool):
        return _shorten(mask_bsns(typed(value)))
    text = str(value)
    if known or isinstance(value, bool | int) or _code_like(text):
        return _shorten(mask_bsns(text))
    digits = _digits_only(text)
    if _PHONE.fullmatch(digits):
        count = len(digits.lstrip("+"))
        return ngettext("<number of {count} digit>", "<number of {count} digits>", count).format(count=count)
    length = len(text.strip())
    return ngettext("<text of {count} character>", "<text of {count} characters>", length).format(
        count=length
    )


def typed(value: dt.date | float) -> str:
    """A date or number from a cell as the person typed it, not as Python prints it: a date as
    01-09-2026 (the workbooks' format, in either language; with its time only when it has one),
    a whole number without `.0`, a fraction with the language's decimal sign (7,5 in Dutch)."""
    if isinstance(value, dt.datetime):
        moment = value.time()
        shown = f"{value:%d-%m-%Y}"
        return shown if moment == dt.time(0) else f"{shown} {moment:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    return text.replace(".", ",") if language() == "nl" else text


# Dutch phone numbers: 0 and nine digits, or +31 / 0031 and nine digits.
_PHONE = re.compile(r"(?:\+31|0031|0)[1-9]\d{8}")


def _digits_only(text: str) -> str:
    return re.sub(r"[\s().-]", "", text)


def _code_like(text: str) -> bool:
    """Digits and signs (a date, a number, a house number, a postcode) with at most as many
    letters as digits: never a name, which has letters and no digits. Phone numbers and e-mail
    addresses are no codes, whatever their shape."""
    if "@" in text or _PHONE.fullmatch(_digits_only(text)):
        return False
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return letters == 0 or 0 < letters <= digits


def _shorten(text: str, limit: int = 60) -> str:
    # A 1 MB cell must not flood the terminal.
    return text if len(text) <= limit else text[: limit - 1] + "…"
