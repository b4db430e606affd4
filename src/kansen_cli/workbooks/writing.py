"""Writing a workbook of any kind: data sheets with dropdowns and protection, explanation, marker.

A kind's builder turns ledger rows into `DataSheet`s and calls `write_workbook`; the sheets'
order is always: the first data sheet, the explanation, the other data sheets, then the
hidden lists and marker. Returns an openpyxl workbook; the caller saves it through
`files.save_workbook`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import now
from kansen_cli.workbooks.layout import (
    DATE_FORMAT,
    EXPLANATION_SHEET,
    FORMAT_VERSION,
    LISTS_SHEET,
    MARKER_SHEET,
    Column,
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
    **extra: str,
) -> Workbook:
    """The workbook of `kind`; `extra` goes into the marker after the batch (e.g. a due date)."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = sheets[0].name
    lists = _lists_sheet(workbook, [column for sheet in sheets for column in sheet.columns])
    _fill_data_sheet(first, sheets[0].columns, sheets[0].rows, lists)
    for index, sheet in enumerate(sheets[1:], start=1):
        _fill_data_sheet(workbook.create_sheet(sheet.name, index), sheet.columns, sheet.rows, lists)
    _explain(workbook, explanation)
    meta: dict[str, Any] = {
        "kind": kind,
        "format": FORMAT_VERSION,
        "campaign": campaign,
        "batch_id": batch_id,
    }
    meta.update(extra)
    meta["created_at"] = created_at or now()
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
    sheet: Worksheet, columns: list[Column], rows: list[dict[str, Any]], lists: dict[tuple[str, ...], str]
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    answer_fill = PatternFill("solid", fgColor="FFF4CC")
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    open_cell = Protection(locked=False)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = answer_fill if column.answer else header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
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
    _dropdowns(sheet, columns, max(len(rows) + 1, 2), lists)
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 45
    # Protect against accidental edits of the pre-filled cells; resizing columns stays allowed.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _dropdowns(
    sheet: Worksheet, columns: list[Column], last_row: int, lists: dict[tuple[str, ...], str]
) -> None:
    """A list validation on every coded column, from row 2 to the last data row."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=lists[column.choices],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Kies uit de lijst",
            error="Kies een waarde uit de lijst.",
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _explain(workbook: Workbook, lines: list[str]) -> None:
    sheet = workbook.create_sheet(EXPLANATION_SHEET, 1)
    for number, line in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=line).data_type = "s"
    sheet.column_dimensions["A"].width = 110


def _marker(workbook: Workbook, meta: dict[str, Any]) -> None:
    sheet = workbook.create_sheet(MARKER_SHEET)
    sheet.sheet_state = "hidden"
    for number, (key, value) in enumerate(meta.items(), start=1):
        sheet.cell(row=number, column=1, value=key).data_type = "s"
        text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        sheet.cell(row=number, column=2, value=text).data_type = "s"
    sheet.protection.sheet = True
