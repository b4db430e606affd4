"""What a consultant may have typed into a cell, read the same way for every workbook kind.

Labels are matched without regard to case or spacing and the code itself is accepted too;
dates come as real dates, Excel serial numbers or text in a Dutch format; Ja/Nee columns
take the usual ways of saying yes and no; client numbers may have lost their leading zeros.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from kansen_cli.parsing import FALSE_WORDS, TRUE_WORDS

TEXT_DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%y", "%d/%m/%y")
# The register's words for yes and no, and the marks a consultant may type in a tick box.
YES_WORDS = frozenset(TRUE_WORDS) | {"✓", "v"}
NO_WORDS = frozenset(FALSE_WORDS) | {"-", "—", "–"}


def norm(text: Any) -> str:
    """A header or label compared without regard to case or spacing."""
    return " ".join(str(text).split()).casefold() if text is not None else ""


def lookup(choices: dict[str, str]) -> dict[str, str]:
    """Normalised label or code -> code."""
    table = {norm(code): code for code in choices}
    table.update({norm(label): code for code, label in choices.items()})
    return table


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: Any) -> dt.date | None:
    """A date as Excel may have saved it: real date, serial number, or text in a Dutch format."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            return converted.date() if isinstance(converted, dt.datetime) else None
        return None
    text = str(value).strip()
    if " " in text:  # "2026-11-03 00:00:00": a date that became text with its time
        text = text.split(" ")[0]
    for fmt in TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def cell_text(value: Any) -> str:
    """Text of an identifier cell; Excel may have made 0000119 into the number 119."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def mark(value: Any) -> bool | None:
    """A Ja/Nee cell as True or False (empty is no); None when it says neither."""
    if is_blank(value) or value is False:
        return False
    if value is True:
        return True
    if norm(value) in YES_WORDS:
        return True
    if norm(value) in NO_WORDS:
        return False
    return None


class ClientIds:
    """Matches a client-number cell to a known client id, for every kind of returned workbook.

    Excel turns a number-like id such as 0000119 into the number 119, so an id that matches
    no one exactly is matched once more without leading zeros, unless that is ambiguous
    (both 012 and 12 known).
    """

    def __init__(self, known: Iterable[str]) -> None:
        self.known = set(known)
        stripped: dict[str, str | None] = {}
        for client_id in self.known:
            key = client_id.lstrip("0")
            stripped[key] = None if key in stripped else client_id
        self.stripped = stripped

    def match(self, value: Any) -> str | None:
        if is_blank(value):
            return None
        text = cell_text(value)
        if text in self.known:
            return text
        return self.stripped.get(text.lstrip("0"))
