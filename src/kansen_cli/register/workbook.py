"""Reading an XLSX export (with calamine) into a raw table of text: the sheet holding the
client-id header, the header row below any title rows, every cell as the text a CSV export of
it would hold."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _
from kansen_cli.register.columns import normalise_header
from kansen_cli.register.table import HEADER_SEARCH_ROWS, RawTable, SourceInfo, file_sha256
from kansen_cli.settings import ColumnMap

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

Rows = list[list[Any]]


def read_workbook(path: Path, columns: ColumnMap, sheet: str | None) -> RawTable:
    """The table below the header row of the chosen sheet; empty rows dropped and counted."""
    # Imported before the sheet is taken: while a preloaded sheet is still being parsed in its
    # thread (`kansen_cli.preload`), these imports run on the other core. The reader needs them.
    import pandas  # noqa: F401
    import pyarrow.compute  # noqa: F401

    sha = file_sha256(path)
    with _no_gc():
        return _read_sheet(path, columns, sheet, sha)


def _read_sheet(path: Path, columns: ColumnMap, sheet: str | None, sha: str) -> RawTable:
    import numpy as np
    import pyarrow as pa

    key = normalise_header(columns.client_id)
    chosen, rows = _choose_sheet(path, key, sheet)
    if not rows:
        raise InputFileError(_("{path}: sheet {chosen!r} is empty").format(path=path, chosen=chosen))
    wanted = {normalise_header(h) for h in columns.model_dump().values() if h}
    header_index = _header_row(rows, key, wanted)
    header_cells = rows[header_index]
    width = len(header_cells)
    while width and not _cell_text(header_cells[width - 1]):
        width -= 1
    headers = [(_cell_text(v) or "") for v in header_cells[:width]]
    data = rows[header_index + 1 :]
    if data and min(map(len, data)) < width:
        data = [row if len(row) >= width else [*row, *([None] * (width - len(row)))] for row in data]
    # Column by column (zip transposes in C); most columns convert as a whole.
    columns_cells = list(zip(*data, strict=False))[:width] if data else [() for _ in range(width)]
    text_columns = [_column_text(cells) for cells in columns_cells]
    # A row of empty or blank cells is no person (Excel keeps formatted empty rows).
    keep = _filled_rows(text_columns, data, width)
    if not keep.all():
        mask = pa.array(keep)
        text_columns = [column.filter(mask) for column in text_columns]
    row_numbers = np.flatnonzero(keep) + header_index + 2
    source = SourceInfo(
        file=path.name,
        kind="xlsx",
        sha256=sha,
        sheet=chosen,
        header_row=header_index + 1,
        empty_rows_dropped=len(data) - len(row_numbers),
    )
    return RawTable(headers, text_columns, row_numbers, source, [])


def _choose_sheet(path: Path, key: str, sheet: str | None) -> tuple[str, Rows]:
    """The sheet asked for, else the first sheet holding the client-id header (exports often
    open with a cover sheet), else the first sheet; with its rows."""
    workbook, early = _open(path, sheet)
    names = workbook.sheet_names

    def sheet_rows(name: str) -> Rows:
        try:
            parsed = early.pop(name, None) or workbook.get_sheet_by_name(name)
            return parsed.to_python(skip_empty_area=False)
        except Exception as exc:
            raise InputFileError(
                _("{path}: sheet {name!r} cannot be read ({error_type})").format(
                    path=path, name=name, error_type=type(exc).__name__
                )
            ) from None

    def has_key(rows: Rows) -> bool:
        return any(
            key in {normalise_header(_cell_text(v) or "") for v in row} for row in rows[:HEADER_SEARCH_ROWS]
        )

    if sheet is not None:
        if sheet not in names:
            raise InputFileError(
                _("{path}: no sheet {sheet!r}; sheets: {names}").format(
                    path=path, sheet=sheet, names=", ".join(names)
                )
            )
        return sheet, sheet_rows(sheet)
    if not names:
        raise InputFileError(_("{path}: the workbook has no sheets").format(path=path))
    rows = sheet_rows(names[0])
    if not has_key(rows):
        for name in names[1:]:
            candidate = sheet_rows(name)
            if has_key(candidate):
                return name, candidate
    return names[0], rows


def _open(path: Path, sheet: str | None) -> tuple[Any, dict[str, Any]]:
    """The workbook, and the sheet parsed in advance by `kansen_cli.preload` if there is one
    (by name); without a preload (or when it failed) the workbook is opened here."""
    import python_calamine as calamine

    from kansen_cli import preload

    ready = preload.take(path, sheet)
    if ready is not None:
        workbook, name, parsed = ready
        return workbook, {name: parsed}
    try:
        return calamine.CalamineWorkbook.from_path(str(path)), {}
    except calamine.PasswordError:
        raise InputFileError(
            _("{path}: the workbook is password-protected; save it without a password").format(path=path)
        ) from None
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise InputFileError(
            _("{path}: not a readable Excel workbook ({error_type})").format(
                path=path, error_type=type(exc).__name__
            )
        ) from None


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a sheet becomes millions of Python objects (none in
    a cycle), and every collection while they are made walks all of them again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _header_row(rows: Rows, key: str, wanted: set[str]) -> int:
    """The row holding the client-id header; without one, the row with the most known headers,
    else the first row that holds anything (so the missing-column message lists what is there)."""
    best = (0, 0)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = {normalise_header(_cell_text(v) or "") for v in row}
        if key in cells:
            return index
        best = max(best, (len(cells & wanted), -index))
    if best[0]:
        return -best[1]
    return next((i for i, r in enumerate(rows) if any(_cell_text(v) for v in r)), 0)


def _filled_rows(text_columns: list[pa.Array], data: Rows, width: int) -> np.ndarray:
    """Which data rows hold a cell with more than blanks. A letter or digit in any cell settles
    it in Arrow; the rows left (nearly always none) are looked at cell by cell."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    unsure = np.arange(len(data))
    for column in text_columns:
        if not len(unsure):
            break
        cells = column if len(unsure) == len(column) else column.take(pa.array(unsure))
        settled = pc.match_substring_regex(cells, "[0-9A-Za-z]").fill_null(False)
        unsure = unsure[~settled.to_numpy(zero_copy_only=False)]
    keep = np.ones(len(data), dtype=bool)
    keep[unsure] = False
    for i in unsure:
        keep[i] = any((_cell_text(v) or "").strip() for v in data[i][:width])
    return keep


def _column_text(cells: Sequence[Any]) -> pa.Array:
    """One workbook column as text, exactly as `_cell_text` per cell gives it, but converted
    as a whole where the column holds one kind of value (text, whole numbers or dates, with
    empty cells): a Python call per cell costs seconds on a national register."""
    import datetime as dt

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    null = pa.scalar(None, pa.string())

    def no_empty(array: pa.Array) -> pa.Array:
        return pc.if_else(pc.equal(array, ""), null, array)

    try:  # most columns hold only text (and empty cells): Arrow checks that as it converts
        return no_empty(pa.array(cells, type=pa.string()))
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        pass
    kinds = set(map(type, cells))
    kinds.discard(type(None))
    if len(kinds - {str}) == 1 and all(v == "" for v in cells if type(v) is str):
        kind = next(iter(kinds - {str}))
        values = [v if type(v) is kind else None for v in cells] if str in kinds else list(cells)
        if kind is dt.date:
            return pa.array(values, type=pa.date32()).cast(pa.string())
        if kind is float:
            numbers = pa.array(values, type=pa.float64())
            plain = numbers.drop_null().to_numpy()
            if np.all((np.floor(plain) == plain) & (np.abs(plain) < 2**53)):
                return numbers.cast(pa.int64()).cast(pa.string())
    return pa.array([_cell_text(v) for v in cells], type=pa.string())


def _cell_text(value: Any) -> str | None:
    """A workbook cell as the text a CSV export of it would hold."""
    import datetime as dt

    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
