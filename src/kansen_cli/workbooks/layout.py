"""What every data sheet is made of: columns, the hidden sheets' names, the cell formats.

Design, so that a consultant can fill a workbook with the mouse alone and `ingest` always
knows what it reads:

- a data sheet has its header in row 1 and one row per person (or per referral);
- every coded answer is a dropdown (Excel data validation) listing the Dutch labels from the
  codebook; the lists live on a hidden sheet, because labels may contain commas;
- several-valued answers (activity types, referrals) get one column per option with a
  Ja/Nee dropdown, so no typing of lists;
- the pre-filled columns are locked (sheet protection without password, against accidents);
  only the answer cells are open;
- a hidden sheet `_kansen` holds the marker: workbook kind, format version, campaign, batch
  and the column layout. It holds no personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kansen_cli.letters import address_line

FORMAT_VERSION = 1
MARKER_SHEET = "_kansen"
LISTS_SHEET = "_lijsten"
EXPLANATION_SHEET = "Uitleg"
# The two answers of an option column (activity type, referral). Not codebook values: a
# tick box in the only form a dropdown offers.
MARK_YES = "Ja"
MARK_NO = "Nee"
DATE_FORMAT = "DD-MM-YYYY"


@dataclass(frozen=True)
class Column:
    """One column of a data sheet: its key for `ingest`, its Dutch header, and how it is filled."""

    key: str
    header: str
    width: int = 14
    answer: bool = False
    choices: tuple[str, ...] = ()
    date: bool = False


def person_name(row: Any) -> str:
    parts = [row.get("initials"), row.get("prefix"), row.get("surname")]
    return " ".join(str(p) for p in parts if present(p))


def person_address(row: Any) -> str:
    # The street line exactly as the letter prints it, so sheet and letter name the same address.
    street = address_line(row.get("street"), row.get("house_number"), row.get("house_number_addition"))
    town = " ".join(str(p) for p in (row.get("postcode"), row.get("city")) if present(p))
    return ", ".join(p for p in (street, town) if p)


def present(value: Any) -> bool:
    """Not empty: neither None, NaN nor the empty string."""
    return value is not None and value == value and str(value) != ""


def as_date(value: Any) -> dt.date | None:
    """A ledger date (yyyy-mm-dd, maybe with a time) as a date for a sheet cell."""
    return dt.date.fromisoformat(str(value)[:10]) if present(value) else None
