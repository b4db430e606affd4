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
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.letters import address_line

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

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
    # A date still to come (a call-back, a target date): no upper bound on its validation.
    future: bool = False


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


# --- how a sheet looks on screen and on paper -------------------------------------------------

MIN_WIDTH = 8
MAX_WIDTH = 40
# A date shows as dd-mm-jjjj: ten characters whatever Python's text of it is.
DATE_CHARS = 10
HEADER_LINES = 3
HEADER_HEIGHT = 45  # points: three lines of 11-point text


def _shown_length(value: Any) -> int:
    if isinstance(value, dt.date):
        return DATE_CHARS
    return max((len(line) for line in str(value).splitlines()), default=0) if present(value) else 0


def fitted_width(header: str, values: Any) -> int:
    """A column's width: the longest value plus a margin, within MIN..MAX_WIDTH, and room for
    the header in at most HEADER_LINES wrapped lines. The header wraps between words, so its
    longest word always fits whole (no "Benade|rd")."""
    text = str(header)
    longest_word = max((len(w) for w in text.split()), default=0)
    header_room = max(longest_word, -(-len(text) // HEADER_LINES))
    content = max([0, *(_shown_length(v) for v in values)])
    return max(MIN_WIDTH, longest_word + 2, min(MAX_WIDTH, max(header_room, content) + 2))


def fit_columns(sheet: Worksheet, header_row: int = 1) -> None:
    """Fit every column's width to its content and wrap the header row between words."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for index, cells in enumerate(sheet.iter_cols(min_row=header_row), start=1):
        header = cells[0].value if cells else ""
        width = fitted_width(str(header or ""), (c.value for c in cells[1:]))
        sheet.column_dimensions[get_column_letter(index)].width = width
        if cells:
            cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[header_row].height = HEADER_HEIGHT


def print_setup(sheet: Worksheet, footer: str) -> None:
    """Landscape, fit to the page's width, the header row on every page, `footer` and the page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.left.text = footer
    sheet.oddFooter.left.size = 9
    sheet.oddFooter.right.text = _("Page &P of &N")
    sheet.oddFooter.right.size = 9


def excel_date(day: dt.date) -> str:
    """A date as a formula both Excel and LibreOffice read the same in every locale."""
    return f"DATE({day.year},{day.month},{day.day})"


def date_validation(sheet: Worksheet, cells: str, earliest: dt.date, future: bool = False) -> None:
    """Only a date in `cells`: from `earliest` up to today (the day it is filled in), or any day
    from `earliest` on for a date still to come."""
    from openpyxl.worksheet.datavalidation import DataValidation

    first = excel_date(earliest)
    if future:
        validation = DataValidation(type="date", operator="greaterThanOrEqual", formula1=first)
        message = _("Type a date from {earliest} on, as dd-mm-yyyy.")
    else:
        validation = DataValidation(type="date", operator="between", formula1=first, formula2="TODAY()")
        message = _("Type a date between {earliest} and today, as dd-mm-yyyy.")
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = _("Not a valid date")
    validation.error = message.format(earliest=earliest.strftime("%d-%m-%Y"))
    validation.add(cells)
    sheet.add_data_validation(validation)


def list_validation(sheet: Worksheet, cells: str, formula: str) -> None:
    """A dropdown in `cells` with the values of `formula` (a range, or a quoted list)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Choose from the list"),
        error=_("Choose a value from the list."),
    )
    validation.add(cells)
    sheet.add_data_validation(validation)
