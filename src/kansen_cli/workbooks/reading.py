"""Reading a returned workbook of any kind: the marker, checked against the registry, and its rows."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _
from kansen_cli.workbooks import registry
from kansen_cli.workbooks.cells import is_blank, norm
from kansen_cli.workbooks.layout import FORMAT_VERSION, MARKER_SHEET


@dataclass
class FilledRow:
    """One data row as read: Excel row number and raw cell values by column key."""

    sheet: str
    row: int
    cells: dict[str, Any]


@dataclass
class FilledWorkbook:
    """What `ingest` needs from a returned workbook; `problems` are file-level (missing columns)."""

    path: Path
    name: str
    sha256: str
    meta: dict[str, Any]
    headers: dict[str, dict[str, str]]  # sheet -> key -> header
    rows: list[FilledRow] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", ""))

    @property
    def batch_id(self) -> str | None:
        return str(self.meta.get("batch_id") or "") or None


def read_marker(workbook: Any, path: Path) -> dict[str, Any]:
    """The hidden marker, checked: a registered kind, the format, the layout of each data sheet."""
    if MARKER_SHEET not in workbook.sheetnames:
        raise InputFileError(
            _(
                "{name}: not a kansen workbook (no '{MARKER_SHEET}' sheet); only sheets "
                "written by `kansen sheet`, `kansen followup`, `kansen survey`, `kansen "
                "caseload` or `kansen calls` can be ingested"
            ).format(name=path.name, MARKER_SHEET=MARKER_SHEET)
        )
    meta: dict[str, Any] = {}
    for values in workbook[MARKER_SHEET].iter_rows(min_row=1, max_col=2, values_only=True):
        key, value = (*values, None, None)[:2]
        if key is not None:
            meta[str(key)] = value
    damaged = InputFileError(
        _("{name}: the '{MARKER_SHEET}' sheet is damaged; write the workbook again").format(
            name=path.name, MARKER_SHEET=MARKER_SHEET
        )
    )
    try:
        meta["sheets"] = json.loads(str(meta.get("sheets", "")))
        meta["format"] = int(str(meta.get("format")))
    except (ValueError, TypeError, RecursionError):
        raise damaged from None
    if meta["format"] > FORMAT_VERSION:
        raise InputFileError(
            _("{name}: written by a newer kansen_cli (format {format}); upgrade").format(
                name=path.name, format=meta["format"]
            )
        )
    kind = registry.kind_named(meta.get("kind"))
    if kind is None:
        raise InputFileError(
            _("{name}: unknown sheet kind {kind!r}").format(name=path.name, kind=meta.get("kind"))
        )
    if not _layouts_fit(meta["sheets"], kind.required):
        raise damaged
    return meta


def _layouts_fit(layouts: Any, required: Any) -> bool:
    """The marker lists exactly the kind's data sheets, each as [key, header] pairs with its keys."""
    if not isinstance(layouts, dict) or set(layouts) != set(required):
        return False
    for sheet_name, layout in layouts.items():
        if not isinstance(layout, list) or not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
            for pair in layout
        ):
            return False
        if not required[sheet_name] <= {pair[0] for pair in layout}:
            return False
    return True


def read_filled(path: Path) -> FilledWorkbook:
    """Read a returned workbook: the marker, the header positions and every non-empty data row."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(
            _("{path}: cannot read ({strerror})").format(path=path, strerror=exc.strerror)
        ) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InputFileError(
            _("{name}: not an Excel workbook (.xlsx) that can be opened").format(name=path.name)
        ) from None
    try:
        meta = read_marker(workbook, path)
        filled = FilledWorkbook(
            path=path, name=path.name, sha256=hashlib.sha256(data).hexdigest(), meta=meta, headers={}
        )
        for sheet_name, layout in meta["sheets"].items():
            headers = {str(key): str(header) for key, header in layout}
            filled.headers[sheet_name] = headers
            if sheet_name not in workbook.sheetnames:
                filled.problems.append(("", _("sheet '{sheet}' is missing").format(sheet=sheet_name)))
                continue
            _read_sheet(workbook[sheet_name], sheet_name, headers, filled)
    finally:
        workbook.close()
    return filled


def _read_sheet(sheet: Any, sheet_name: str, headers: dict[str, str], filled: FilledWorkbook) -> None:
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, ())
    found = {norm(h): i for i, h in enumerate(header_row) if h is not None}
    positions: dict[str, int] = {}
    for key, header in headers.items():
        if norm(header) in found:
            positions[key] = found[norm(header)]
        else:
            filled.problems.append(
                (
                    header,
                    _("column '{header}' is missing from sheet '{sheet}'").format(
                        header=header, sheet=sheet_name
                    ),
                )
            )
    for number, values in enumerate(rows, start=2):
        cells = {key: (values[i] if i < len(values) else None) for key, i in positions.items()}
        if all(is_blank(v) for v in cells.values()):
            continue  # trailing or removed rows
        filled.rows.append(FilledRow(sheet_name, number, cells))
