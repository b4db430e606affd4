"""Writing a workbook of any kind: data sheets with dropdowns and protection, explanation, marker.

A kind's builder turns ledger rows into `DataSheet`s and calls `write_workbook`; the sheets'
order is always: the first data sheet, the explanation, the other data sheets, then the
hidden lists and marker. Returns an openpyxl workbook; the caller saves it through
`files.save_workbook`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.ledger.core import now
from kansen_cli.workbooks.layout import (
    DATE_FORMAT,
    EXPLANATION_SHEET,
    FORMAT_VERSION,
    HEADER_HEIGHT,
    LISTS_SHEET,
    MARKER_SHEET,
    Column,
    date_validation,
    fit_columns,
    list_validation,
    print_setup,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class DataSheet:
    """One data sheet to write: its name, its columns and the pre-filled values per row (by key)."""

    name: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)


def write_workbook(
    sheets: list[DataSheet],
    explanation: list[str],
    kind: str,
    campaign: str,
    batch_id: str = "",
    created_at: str | None = None,
    earliest: dt.date | None = None,
    **extra: str,
) -> Workbook:
    """The workbook of `kind`; `extra` goes into the marker after the batch (e.g. a due date).

    A date typed in is never before `earliest` (the letter date; default a year before the
    workbook was written) and, unless the column is for a date to come, never after the day
    it is typed (Excel's TODAY())."""
    from openpyxl import Workbook

    stamp = created_at or now()
    if earliest is None:
        try:
            written = dt.date.fromisoformat(stamp[:10])
        except ValueError:
            written = dt.date.fromisoformat(now()[:10])
        earliest = written.replace(year=written.year - 1, day=min(written.day, 28))
    footer = (
        _("{campaign}, batch {batch}").format(campaign=campaign, batch=batch_id) if batch_id else campaign
    )
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = sheets[0].name
    lists = _lists_sheet(workbook, [column for sheet in sheets for column in sheet.columns])
    _fill_data_sheet(first, sheets[0], lists, earliest, footer)
    for index, sheet in enumerate(sheets[1:], start=1):
        _fill_data_sheet(workbook.create_sheet(sheet.name, index), sheet, lists, earliest, footer)
    _explain(workbook, explanation)
    meta: dict[str, Any] = {
        "kind": kind,
        "format": FORMAT_VERSION,
        "campaign": campaign,
        "batch_id": batch_id,
    }
    meta.update(extra)
    meta["created_at"] = stamp
    meta["sheets"] = {sheet.name: [[c.key, c.header] for c in sheet.columns] for sheet in sheets}
    _marker(workbook, meta)
    return workbook


def _lists_sheet(workbook: Workbook, columns: list[Column]) -> dict[tuple[str, ...], str]:
    """A hidden sheet with one column per distinct choice list; returns list -> range formula."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    ranges: dict[tuple[str, ...], str] = {}
    for column in columns:
        if not column.choices or column.choices in ranges:
            continue
        index = len(ranges) + 1
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=column.header.split(":")[0])
        for offset, label in enumerate(column.choices, start=2):
            sheet.cell(row=offset, column=index, value=label).data_type = "s"
        last = len(column.choices) + 1
        ranges[column.choices] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${last}"
    return ranges


def _fill_data_sheet(
    sheet: Worksheet, data: DataSheet, lists: dict[tuple[str, ...], str], earliest: dt.date, footer: str
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    columns, rows = data.columns, data.rows

    answer_fill = PatternFill("solid", fgColor="FFF4CC")
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    open_cell = Protection(locked=False)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = answer_fill if column.answer else header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, values in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(
                row=number, column=index, value=None if column.answer else values.get(column.key)
            )
            if isinstance(cell.value, str):
                cell.data_type = "s"  # client ids keep their leading zeros; nothing becomes a formula
            if column.date:
                cell.number_format = DATE_FORMAT
            if column.answer:
                cell.protection = open_cell
                cell.fill = answer_fill
    _validations(sheet, columns, max(len(rows) + 1, 2), lists, earliest)
    fit_columns(sheet)
    print_setup(sheet, footer)
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = HEADER_HEIGHT
    # Protect against accidental edits of the pre-filled cells; resizing columns stays allowed.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _validations(
    sheet: Worksheet,
    columns: list[Column],
    last_row: int,
    lists: dict[tuple[str, ...], str],
    earliest: dt.date,
) -> None:
    """A list validation on every coded column and a date validation on every date to be typed,
    from row 2 to the last data row."""
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{last_row}"
        if column.choices:
            list_validation(sheet, cells, lists[column.choices])
        elif column.date and column.answer:
            date_validation(sheet, cells, earliest, future=column.future)


def _explain(workbook: Workbook, lines: list[str]) -> None:
    sheet = workbook.create_sheet(EXPLANATION_SHEET, 1)
    from openpyxl.styles import Alignment

    for number, line in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=plain(line))
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 110
    print_setup(sheet, "")
    sheet.print_title_rows = None


def plain(text: str) -> str:
    """Text for a cell: no Markdown markup (backticks, asterisks), which a spreadsheet shows as is."""
    return re.sub(r"[`*]", "", text)


def _marker(workbook: Workbook, meta: dict[str, Any]) -> None:
    sheet = workbook.create_sheet(MARKER_SHEET)
    sheet.sheet_state = "hidden"
    for number, (key, value) in enumerate(meta.items(), start=1):
        sheet.cell(row=number, column=1, value=key).data_type = "s"
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        sheet.cell(row=number, column=2, value=text).data_type = "s"
    sheet.protection.sheet = True
