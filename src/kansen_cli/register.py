"""Reading the municipality's register export (CSV or XLSX) into canonical columns.

Every cell is read as text first, whatever the file type, so that CSV and XLSX go through
one parser and give the same values: client ids keep their leading zeros, a number cell
reads without ".0", Excel dates and serials become dates. Problems are collected per row
(file, row as Excel shows it, column, value, message) and mark that row invalid; only a
missing required column or an unreadable file stops the read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import InputFileError, MissingColumnsError
from kansen_cli.problems import ProblemReport
from kansen_cli.settings import ColumnMap

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

FIELDS: tuple[str, ...] = tuple(ColumnMap.model_fields)
DATE_FIELDS = ("birth_date", "benefit_start", "last_contact", "last_guidance")
BOOL_FIELDS = ("active_guidance", "care_team")
# The funnel and the letters cannot do without these.
REQUIRED_FIELDS = (
    "client_id",
    "surname",
    "street",
    "house_number",
    "postcode",
    "city",
    "neighbourhood",
    "last_contact",
    "last_guidance",
    "active_guidance",
    "care_team",
)
ADDRESS_FIELDS = ("street", "house_number", "postcode", "city")
# Values of these columns are never shown in problems: they identify a person.
PRIVATE_FIELDS = frozenset({"bsn", "initials", "prefix", "surname", "street", "phone", "email", "birth_date"})
DELIMITERS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 30
# Client ids become file names: no path separators, no leading dot, no Windows device names.
CLIENT_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)


@dataclass
class SourceInfo:
    """How the file was read: reported to the user, and stored with a selection."""

    file: str
    kind: str
    sha256: str
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    empty_rows_dropped: int = 0

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.kind, "header_row": self.header_row}
        if self.kind == "csv":
            out["encoding"] = self.encoding
            out["delimiter"] = {"\t": "tab"}.get(self.delimiter or "", self.delimiter)
        else:
            out["sheet"] = self.sheet
        out["empty_rows_dropped"] = self.empty_rows_dropped
        return out


@dataclass
class Register:
    """One register export in canonical columns.

    `people` has one row per data row of the file, in file order, with the canonical fields,
    `row` (the row number the user sees) and `invalid` (True when the row has a problem).
    """

    people: pd.DataFrame
    report: ProblemReport
    source: SourceInfo
    mapped: dict[str, str]
    unused: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.people)


def mask_bsn(value: str) -> str:
    """Show a BSN only as `*****1234`."""
    digits = value.strip()
    return "*****" + digits[-4:] if len(digits) > 4 else "*****"


def normalise_header(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --------------------------------------------------------------------------- raw reading


@dataclass
class _Raw:
    headers: list[str]
    columns: list[pa.Array]  # one string array per header
    rows: np.ndarray  # the row number the user sees, per data row
    source: SourceInfo
    broken: list[tuple[int, str]]  # (row, message) for lines that could not be split


def read_raw(
    path: Path,
    columns: ColumnMap,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> _Raw:
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: file not found")
    if path.is_dir():
        raise InputFileError(f"{path}: is a folder, not a register file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raw = _read_workbook(path, columns, sheet)
    else:
        raw = _read_csv(path, columns, encoding, delimiter)
    return raw


def _decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputFileError(f"unknown encoding {encoding!r}; try utf-8 or cp1252") from None
        except UnicodeDecodeError as exc:
            raise InputFileError(
                f"{path}: not valid {encoding} at byte {exc.start}; try --encoding utf-8 or cp1252"
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:  # cut off mid-character, or not UTF-16 after all
            raise InputFileError(
                f"{path}: starts as UTF-16 but is damaged at byte {exc.start} (cut off?); export it again"
            ) from None
    if b"\x00" in data[:65536]:
        raise InputFileError(
            f"{path}: holds NUL bytes, so it is no text file (binary, or UTF-16 without BOM); "
            "save it as CSV (UTF-8) or give --encoding"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{path}: neither UTF-8 nor cp1252 (byte {exc.start}); give the encoding with --encoding"
        ) from None


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a stray CR or NUL in the line: it is no header anyway
        return line.split(delimiter)


def _find_csv_layout(lines: list[str], key: str, delimiter: str | None, path: Path) -> tuple[int, str]:
    """Header line index and delimiter: the line holding the client-id header decides both."""
    candidates = (delimiter,) if delimiter else DELIMITERS
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        for cand in candidates:
            if key in {normalise_header(h) for h in _split(line, cand)}:
                return index, cand
    # No client-id header: pick the delimiter that splits the first lines consistently, so the
    # missing-column message can list the columns seen.
    sample = [line for line in lines[:50] if line.strip()]
    if not sample:
        raise InputFileError(f"{path}: the file is empty")
    consistent = []
    for cand in candidates:
        counts = {len(_split(line, cand)) for line in sample}
        if len(counts) == 1 and counts.pop() > 1:
            consistent.append(cand)
    if len(consistent) != 1:
        raise InputFileError(
            f"{path}: cannot determine the delimiter (tried "
            + ", ".join(repr(c) if c != "\t" else "tab" for c in candidates)
            + "); give it with --delimiter"
        )
    return 0, consistent[0]


def _read_csv(path: Path, columns: ColumnMap, encoding: str | None, delimiter: str | None) -> _Raw:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if _blank(data):
        raise InputFileError(f"{path}: the file is empty")
    text, used_encoding = _decode(data, path, encoding)
    mac = "\r" in text and "\n" not in text
    if mac:
        # Lines ended by a bare CR ('CSV (Macintosh)' from old Excel for Mac).
        text = text.replace("\r", "\n")
    # UTF-8 files go to pyarrow as the bytes they are (no decode/encode round trip of the body).
    body_bytes = None
    if not mac and used_encoding in ("utf-8", "utf-8-sig"):
        body_bytes = data[3:] if used_encoding == "utf-8-sig" else data
    del data
    # Split on "\n" only (not str.splitlines, which also splits on form feeds and U+2028), so
    # the header's line index is the same one used to cut the body below.
    head = [line.rstrip("\r") for line in text[: 1 << 20].split("\n")[: HEADER_SEARCH_ROWS + 50]]
    header_index, used_delimiter = _find_csv_layout(
        head, normalise_header(columns.client_id), delimiter, path
    )
    headers = [h.strip() for h in _split(head[header_index], used_delimiter)]
    # Exports often end the header with empty cells (`Taal;;`): those are no columns.
    while len(headers) > 1 and not headers[-1]:
        headers.pop()
    width = len(headers)
    # Title lines above the header are cut off, so pyarrow only sees the table.
    if body_bytes is not None:
        del text
        body = _after_lines(body_bytes, header_index + 1)
        del body_bytes
    else:
        body = _after_lines(text, header_index + 1).encode("utf-8")
        del text
    header_row = header_index + 1
    source = SourceInfo(
        file=path.name,
        kind="csv",
        sha256=sha,
        encoding=used_encoding,
        delimiter=used_delimiter,
        header_row=header_row,
    )
    if _blank(body, b" \t\r\n" + used_delimiter.encode()):
        # A header and nothing else (or only blank lines): a register with no people.
        no_rows = [pa.array([], type=pa.string()) for _ in headers]
        source.empty_rows_dropped = body.count(b"\n")
        return _Raw(headers, no_rows, np.zeros(0, dtype=np.int64), source, [])
    if width < 2 and (body.startswith((b"\n", b"\r\n")) or b"\n\n" in body or b"\n\r\n" in body):
        # One column: a blank line would read as an empty cell; the exact reader counts it.
        return _read_csv_exact(body.decode("utf-8"), used_delimiter, headers, source)
    names = [f"c{i}" for i in range(width)]
    broken_count = 0

    def on_invalid(row: Any) -> str:
        nonlocal broken_count
        broken_count += 1
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=used_delimiter,
                # A line break inside a value needs quotes; without any quote in the file the
                # parser may split blocks at any newline (in parallel, and faster).
                newlines_in_values=b'"' in body,
                # Blank lines stay rows (all cells empty, dropped below), so every line is one
                # row and the row numbers are the ones Excel shows.
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise InputFileError(f"{path}: cannot be read as CSV: {str(exc).splitlines()[0]}") from None
    if broken_count:
        # Ragged lines: the exact reader accepts extra empty fields and reports the rest by row.
        return _read_csv_exact(body.decode("utf-8"), used_delimiter, headers, source)
    column_arrays = [table.column(i).combine_chunks() for i in range(width)]
    row_numbers = np.arange(header_row + 1, header_row + 1 + table.num_rows, dtype=np.int64)
    # Rows of only delimiters (`;;;;`, left by Excel after formatted empty rows) are no people.
    empty = _all_empty(column_arrays, table.num_rows)
    if empty.any():
        keep = pa.array(~empty)
        column_arrays = [array.filter(keep) for array in column_arrays]
        row_numbers = row_numbers[~empty]
        source.empty_rows_dropped = int(empty.sum())
    return _Raw(headers, column_arrays, row_numbers, source, [])


def _after_lines(data: Any, count: int) -> Any:
    """`data` (str or bytes) without its first `count` lines."""
    newline = "\n" if isinstance(data, str) else b"\n"
    start = 0
    for _ in range(count):
        found = data.find(newline, start)
        if found < 0:
            return data[:0]
        start = found + 1
    return data[start:]


def _blank(data: bytes, chars: bytes | None = None) -> bool:
    """Whether `data` holds only whitespace (or `chars`), without copying a large file."""
    head = data[: 1 << 16]
    return not head.strip(chars) and not data.strip(chars)


def _all_empty(arrays: list[pa.Array], n: int) -> np.ndarray:
    """Rows whose every cell is empty or blank. Only rows with a blank first cell can be,
    so the other columns are looked at on those rows alone."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def blank(array: pa.Array) -> np.ndarray:
        return pc.equal(pc.utf8_trim_whitespace(array), "").fill_null(True).to_numpy(zero_copy_only=False)

    if not arrays:
        return np.ones(n, dtype=bool)
    candidates = np.flatnonzero(blank(arrays[0]))
    empty = np.zeros(n, dtype=bool)
    if not len(candidates):
        return empty
    still = np.ones(len(candidates), dtype=bool)
    where = pa.array(candidates)
    for array in arrays[1:]:
        still &= blank(pc.take(array, where))
    empty[candidates[still]] = True
    return empty


def _read_csv_exact(body: str, delimiter: str, headers: list[str], source: SourceInfo) -> _Raw:
    """Read record by record, numbering rows as Excel shows them (blank lines count).

    Only files with blank or ragged lines come here. A record with more fields than the header
    is accepted when the extra fields are empty (a trailing delimiter); any other record whose
    field count differs is reported as a broken line and becomes an invalid register row.
    """
    import numpy as np
    import pyarrow as pa

    width = len(headers)
    cells: list[list[str]] = [[] for _ in range(width)]
    good: list[int] = []
    broken: list[tuple[int, str]] = []
    empty_rows = 0
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
    for number, record in enumerate(reader, start=source.header_row + 1):
        if not any(field.strip() for field in record):
            empty_rows += 1
            continue
        if len(record) > width and not any(field.strip() for field in record[width:]):
            record = record[:width]
        if len(record) != width:
            broken.append((number, f"has {len(record)} fields where the header has {width}"))
            continue
        good.append(number)
        for column, value in zip(cells, record, strict=True):
            column.append(value)
    source.empty_rows_dropped = empty_rows
    arrays = [pa.array(column, type=pa.string()) for column in cells]
    return _Raw(headers, arrays, np.asarray(good, dtype=np.int64), source, broken)


def _read_workbook(path: Path, columns: ColumnMap, sheet: str | None) -> _Raw:
    import numpy as np
    import python_calamine as calamine

    sha = file_sha256(path)
    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise InputFileError(
            f"{path}: the workbook is password-protected; save it without a password"
        ) from None
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise InputFileError(f"{path}: not a readable Excel workbook ({type(exc).__name__})") from None
    names = workbook.sheet_names
    key = normalise_header(columns.client_id)

    def sheet_rows(name: str) -> list[list[Any]]:
        try:
            return workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise InputFileError(f"{path}: sheet {name!r} cannot be read ({type(exc).__name__})") from None

    def has_key(rows: list[list[Any]]) -> bool:
        return any(
            key in {normalise_header(_cell_text(v) or "") for v in row} for row in rows[:HEADER_SEARCH_ROWS]
        )

    if sheet is None:
        if not names:
            raise InputFileError(f"{path}: the workbook has no sheets")
        # The first sheet holding the client-id header: exports often open with a cover sheet.
        chosen, rows = names[0], sheet_rows(names[0])
        if not has_key(rows):
            for name in names[1:]:
                candidate = sheet_rows(name)
                if has_key(candidate):
                    chosen, rows = name, candidate
                    break
    elif sheet in names:
        chosen, rows = sheet, sheet_rows(sheet)
    else:
        raise InputFileError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(names)}")
    if not rows:
        raise InputFileError(f"{path}: sheet {chosen!r} is empty")
    wanted = {normalise_header(h) for h in columns.model_dump().values() if h}
    header_index = None
    best = (0, 0)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = {normalise_header(_cell_text(v) or "") for v in row}
        if key in cells:
            header_index = index
            break
        best = max(best, (len(cells & wanted), -index))
    if header_index is None:
        header_index = (
            -best[1] if best[0] else next((i for i, r in enumerate(rows) if any(_cell_text(v) for v in r)), 0)
        )
    header_cells = rows[header_index]
    width = len(header_cells)
    while width and not _cell_text(header_cells[width - 1]):
        width -= 1
    headers = [(_cell_text(v) or "") for v in header_cells[:width]]
    data = rows[header_index + 1 :]
    # A row of empty or blank cells is no person (Excel keeps formatted empty rows).
    keep = [i for i, row in enumerate(data) if any((_cell_text(v) or "").strip() for v in row[:width])]
    dropped = len(data) - len(keep)
    kept = data if len(keep) == len(data) else [data[i] for i in keep]
    if kept and min(map(len, kept)) < width:
        kept = [row if len(row) >= width else [*row, *([None] * (width - len(row)))] for row in kept]
    # Column by column (zip transposes in C); most columns convert as a whole.
    columns_cells = list(zip(*kept, strict=False))[:width] if kept else [() for _ in range(width)]
    text_columns = [_column_text(cells) for cells in columns_cells]
    row_numbers = np.asarray(keep, dtype=np.int64) + header_index + 2
    source = SourceInfo(
        file=path.name,
        kind="xlsx",
        sha256=sha,
        sheet=chosen,
        header_row=header_index + 1,
        empty_rows_dropped=dropped,
    )
    return _Raw(headers, text_columns, row_numbers, source, [])


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

    kinds = set(map(type, cells))
    kinds.discard(type(None))
    if kinds <= {str}:
        return no_empty(pa.array(cells, type=pa.string()))
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


# --------------------------------------------------------------------------- mapping

# Three digits in a row: a BSN, client number, postcode, phone number or date, never a header.
_DATA_LIKE = re.compile(r"\d{3}")


def looks_like_data(headers: Sequence[str]) -> bool:
    """Whether a supposed header row is a row of values (so it must not be shown)."""
    return any(_DATA_LIKE.search(h) for h in headers)


def map_columns(
    headers: Sequence[str], columns: ColumnMap, required: Sequence[str], file: str
) -> tuple[dict[str, int], list[str]]:
    """Field -> column index; raises when a required field has no column."""
    positions: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        positions.setdefault(normalise_header(header), []).append(index)
    mapped: dict[str, int] = {}
    for name, header in columns.model_dump().items():
        if not header:
            continue
        found = positions.get(normalise_header(header), [])
        if len(found) > 1:
            raise MissingColumnsError(
                f"{file}: column {header!r} appears {len(found)} times "
                f"(columns {', '.join(str(i + 1) for i in found)}); keep one or rename the others"
            )
        if found:
            mapped[name] = found[0]
    missing = [name for name in required if name not in mapped]
    if missing:
        wanted = ", ".join(f"{getattr(columns, n)!r} ({n})" for n in missing)
        if looks_like_data(headers):
            # The row taken as header holds dates, postcodes or numbers: it is a person's row in
            # an export without header, and echoing it would show their BSN and name.
            raise MissingColumnsError(
                f"{file}: required column(s) not found: {wanted}; the first row holds values "
                "(numbers, dates), not column names: the export seems to have no header row. "
                "Export it with column names, or map them in kansen.toml under [register.columns]"
            )
        seen = ", ".join(repr(h) for h in headers if h.strip()) or "none"
        raise MissingColumnsError(
            f"{file}: required column(s) not found: {wanted}; columns seen: {seen}; "
            "map them in kansen.toml under [register.columns]"
        )
    used = set(mapped.values())
    unused = [h for i, h in enumerate(headers) if i not in used and h.strip()]
    return mapped, unused


# --------------------------------------------------------------------------- parsing


def read_register(
    path: Path,
    columns: ColumnMap | None = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    wijken: Path | None = None,
    need_birth_date: bool = False,
) -> Register:
    """Read, map and validate one register export. Raises only for file-level problems.

    Cells are checked and parsed as Arrow arrays (kansen_cli.parsing: RE2 and NumPy, no
    Python loop per row); Python only touches the rows that have a problem.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from kansen_cli import parsing

    columns = columns or ColumnMap()
    raw = read_raw(Path(path), columns, encoding, delimiter, sheet)
    file = raw.source.file
    required = [f for f in REQUIRED_FIELDS if not (f == "neighbourhood" and wijken)]
    if need_birth_date:
        required.append("birth_date")
    mapped_idx, unused = map_columns(raw.headers, columns, required, file)
    if not len(raw.rows) and not raw.broken:
        # Selecting from nobody is a wrong export (a filter left on), not an empty campaign.
        raise InputFileError(
            f"{file}: no data rows below the header (row {raw.source.header_row}); is this the right export?"
        )
    report = ProblemReport()
    n = len(raw.rows)
    bad = np.zeros(n, dtype=bool)
    nulls = pa.nulls(n, pa.string())
    # Trimmed text per field, empty -> null; fields without a column are all null.
    cells = {
        name: _clean_arrow(raw.columns[mapped_idx[name]]) if name in mapped_idx else nulls for name in FIELDS
    }

    def problem(mask: np.ndarray, name: str, show: bool, kind: str, message: str) -> None:
        nonlocal bad
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        bad |= mask
        header = raw.headers[mapped_idx[name]] if name in mapped_idx else name
        shown: list[Any] = [None] * len(idx)
        if show and name not in PRIVATE_FIELDS - {"bsn"}:
            shown = pc.take(cells[name], pa.array(idx)).to_pylist()
            if name == "bsn":
                shown = [None if v is None else mask_bsn(v) for v in shown]
        for i, value in zip(idx, shown, strict=True):
            report.add(file, int(raw.rows[i]), header, value, kind, message)

    def missing(name: str) -> np.ndarray:
        return cells[name].is_null().to_numpy(zero_copy_only=False)

    # client id: text, never empty, unique, safe as a file name (letters per person)
    cid = cells["client_id"]
    empty = missing("client_id")
    problem(empty, "client_id", False, "missing_client_id", "client id is empty")
    dup = _duplicated(cid) & ~empty
    problem(
        dup,
        "client_id",
        True,
        "duplicate_client_id",
        "client id occurs on more than one row; each person must appear once",
    )
    safe = pc.match_substring_regex(cid, f"^{CLIENT_ID_PATTERN}$")
    reserved = pc.is_in(
        pc.utf8_upper(pc.replace_substring_regex(cid, r"\..*$", "")),
        value_set=pa.array(sorted(WINDOWS_RESERVED)),
    )
    unsafe = pc.or_(pc.invert(safe), reserved).fill_null(False).to_numpy(zero_copy_only=False)
    problem(
        unsafe,
        "client_id",
        True,
        "invalid_client_id",
        "client id may hold letters, digits, '-', '_' and '.' only, starting with a letter or digit",
    )

    # BSN: optional; when present it must pass the elfproef and be unique
    if "bsn" in mapped_idx:
        has = ~missing("bsn")
        valid = parsing.bsn_valid(cells["bsn"])
        problem(has & ~valid, "bsn", True, "invalid_bsn", "BSN fails the elfproef (11-check)")
        dup_bsn = _duplicated(cells["bsn"]) & has
        problem(dup_bsn, "bsn", True, "duplicate_bsn", "BSN occurs on more than one row")

    # address
    for name in ("street", "city", "surname"):
        if name in mapped_idx:
            problem(
                missing(name),
                name,
                False,
                "missing_" + name,
                f"{name.replace('_', ' ')} is empty; needed for the letter",
            )
    house, addition, bad_house = parsing.split_house_numbers(
        cells["house_number"], cells["house_number_addition"]
    )
    problem(
        missing("house_number"),
        "house_number",
        False,
        "missing_house_number",
        "house number is empty; needed for the letter",
    )
    problem(
        bad_house,
        "house_number",
        True,
        "invalid_house_number",
        "house number must start with digits, e.g. 12 or 12A",
    )
    postcode, bad_pc = parsing.normalise_postcodes(cells["postcode"])
    problem(
        missing("postcode"),
        "postcode",
        False,
        "missing_postcode",
        "postcode is empty; needed for the letter",
    )
    problem(
        bad_pc,
        "postcode",
        True,
        "invalid_postcode",
        "postcode must be four digits and two letters, e.g. 9741 AB",
    )

    # neighbourhood
    neighbourhood = _to_pandas_text(cells["neighbourhood"])
    if wijken is not None:
        neighbourhood = _wijk_lookup(_to_pandas_text(postcode), read_wijken(wijken))
    problem(
        neighbourhood.isna().to_numpy() & ~bad_pc & ~missing("postcode"),
        "neighbourhood",
        False,
        "missing_neighbourhood",
        "no neighbourhood: the column is empty"
        + (" and the postcode is not in the wijken table" if wijken else ""),
    )

    frame: dict[str, Any] = {}
    for name in FIELDS:
        frame[name] = _to_pandas_text(cells[name])
    frame["house_number"] = pd.array(np.where(house >= 0, house, 0), dtype="Int64")
    frame["house_number"][house < 0] = pd.NA
    frame["house_number_addition"] = _to_pandas_text(addition)
    frame["postcode"] = _to_pandas_text(postcode)
    frame["neighbourhood"] = neighbourhood

    # dates and booleans
    for name in DATE_FIELDS:
        dates, unparsed = parsing.parse_dates(cells[name])
        frame[name] = dates
        problem(
            unparsed,
            name,
            True,
            "invalid_date",
            "not a date; use dd-mm-yyyy, yyyy-mm-dd, dd/mm/yyyy or an Excel date",
        )
    for name in BOOL_FIELDS:
        flags, unparsed = parsing.parse_booleans(cells[name])
        frame[name] = flags.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        problem(
            unparsed,
            name,
            True,
            "invalid_boolean",
            "not a yes/no value; use Ja/Nee, J/N, Yes/No, 1/0 or True/False",
        )

    people = pd.DataFrame(frame)
    people.insert(0, "row", raw.rows)
    people["invalid"] = bad
    if raw.broken:
        people = _append_broken(people, raw.broken, report, file)
    return Register(
        people=people.reset_index(drop=True),
        report=report,
        source=raw.source,
        mapped={name: raw.headers[i] for name, i in mapped_idx.items()},
        unused=unused,
    )


def _append_broken(
    people: pd.DataFrame, broken: list[tuple[int, str]], report: ProblemReport, file: str
) -> pd.DataFrame:
    """Lines that could not be split still count as register rows: invalid ones."""
    import pandas as pd

    for row, message in broken:
        report.add(file, row, None, None, "broken_line", message)
    extra = pd.DataFrame({"row": [row for row, _ in broken], "invalid": True})
    out = pd.concat([people, extra], ignore_index=True)
    return out.sort_values("row", kind="stable")


def _duplicated(array: pa.Array) -> np.ndarray:
    """True on every row whose value occurs more than once (nulls are one value, like pandas'
    `duplicated(keep=False)`), by Arrow's hash table instead of Python objects."""
    import numpy as np

    codes = array.dictionary_encode(null_encoding="encode").indices.to_numpy(zero_copy_only=False)
    return np.bincount(codes)[codes] > 1 if len(codes) else np.zeros(0, dtype=bool)


def _clean_arrow(array: pa.Array) -> pa.Array:
    """Trim; an empty cell becomes null. Text is kept exactly otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _to_pandas_text(array: pa.Array) -> pd.Series:
    import pandas as pd

    return array.to_pandas(types_mapper={array.type: pd.StringDtype()}.get).astype("string")


def parse_dates(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dates as datetime64[s] from any accepted spelling, and a mask of values that failed.

    Day-first (`31-12-2019`, `1/2/2020`, `31.12.2019`), ISO (`2019-12-31`, optionally with a
    time), and Excel serial day numbers. Impossible dates such as 31-02-2019 fail rather than
    roll over into March. (A pandas front for `kansen_cli.parsing.parse_dates`.)
    """
    import pyarrow as pa

    from kansen_cli import parsing

    return parsing.parse_dates(
        _clean_arrow(pa.array(text.astype(object), type=pa.string(), from_pandas=True))
    )


def parse_booleans(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Ja/Nee, J/N, Yes/No, 1/0, True/False (any case); empty is unknown (NA)."""
    import pandas as pd
    import pyarrow as pa

    from kansen_cli import parsing

    values, bad = parsing.parse_booleans(
        _clean_arrow(pa.array(text.astype(object), type=pa.string(), from_pandas=True))
    )
    return values.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get), bad


# --------------------------------------------------------------------------- wijken


def read_wijken(path: Path) -> dict[str, str]:
    """Postcode (4 digits or 6 characters) -> neighbourhood, from a two-column CSV or XLSX."""
    columns = ColumnMap(client_id="Postcode")
    raw = read_raw(Path(path), columns)
    if len(raw.headers) < 2:
        raise InputFileError(f"{path}: needs two columns, postcode and wijk")
    keys = {normalise_header(h): i for i, h in enumerate(raw.headers)}
    wijk_col = next((keys[k] for k in ("wijk", "neighbourhood", "buurt") if k in keys), 1)
    table: dict[str, str] = {}
    for pc, name in zip(
        raw.columns[keys["postcode"]].to_pylist(), raw.columns[wijk_col].to_pylist(), strict=True
    ):
        if not pc or not name:
            continue
        key = re.sub(r"\s+", "", pc).upper()
        if not re.fullmatch(r"[1-9]\d{3}([A-Z]{2})?", key):
            raise InputFileError(f"{path}: {pc!r} is not a postcode (4 digits, or 4 digits and 2 letters)")
        table[key] = name.strip()
    if not table:
        raise InputFileError(f"{path}: no postcodes found")
    return table


def _wijk_lookup(postcode: pd.Series, table: dict[str, str]) -> pd.Series:
    compact = postcode.str.replace(" ", "", regex=False)
    full = compact.map(table)
    short = compact.str[:4].map(table)
    return full.fillna(short).astype("string")
