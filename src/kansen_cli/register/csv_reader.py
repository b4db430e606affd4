"""Reading a CSV export into a raw table of text, fast: pyarrow's parser on the bytes after the
header, and a record-by-record reader only for files with blank or ragged lines, or values over
several lines. No line may go missing: pyarrow's rows must be the lines one to one, and the
exact reader accounts for every line it reads (a stray quote would swallow the rest)."""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _
from kansen_cli.register.columns import normalise_header
from kansen_cli.register.csv_layout import decode, find_layout, header_fields
from kansen_cli.register.csv_quotes import line_breaks, refuse_stray_quote, refuse_unreadable
from kansen_cli.register.table import HEADER_SEARCH_ROWS, RawTable, SourceInfo
from kansen_cli.settings import ColumnMap

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# The header is looked for in the first lines of the file, within its first HEAD_CHARS characters.
HEAD_CHARS = 1 << 20


def read_csv(path: Path, columns: ColumnMap, encoding: str | None, delimiter: str | None) -> RawTable:
    """The table below the header line; title lines above it are cut off."""
    data = path.read_bytes()
    # hashlib lets go of the GIL on large data: the file is hashed on the second core while
    # this one decodes it and finds the header.
    digest = hashlib.sha256()
    hasher = threading.Thread(target=digest.update, args=(data,), name="kansen-sha256", daemon=True)
    hasher.start()
    if _blank(data):
        raise InputFileError(_("{path}: the file is empty").format(path=path))
    # UTF-8 files go to pyarrow as the bytes they are (no decode/encode round trip of the body).
    body_bytes = None
    utf8 = _utf8_head(data, encoding)
    if utf8 is not None:
        text, used_encoding = utf8
        body_bytes = data[3:] if used_encoding == "utf-8-sig" else data
    else:
        text, used_encoding = decode(data, path, encoding)
        mac = "\r" in text and "\n" not in text
        if mac:
            # Lines ended by a bare CR ('CSV (Macintosh)' from old Excel for Mac).
            text = text.replace("\r", "\n")
        if not mac and used_encoding in ("utf-8", "utf-8-sig"):
            body_bytes = data[3:] if used_encoding == "utf-8-sig" else data
    del data
    # Split on "\n" only (not str.splitlines, which also splits on form feeds and U+2028), so
    # the header's line index is the same one used to cut the body below.
    head = [line.rstrip("\r") for line in text[:HEAD_CHARS].split("\n")[: HEADER_SEARCH_ROWS + 50]]
    header_index, used_delimiter = find_layout(head, normalise_header(columns.client_id), delimiter, path)
    headers = header_fields(head[header_index], used_delimiter)
    # Title lines above the header are cut off, so pyarrow only sees the table. The whole file
    # is let go of as soon as it is not needed: a national register is a gigabyte.
    if body_bytes is not None:
        del text
        body = _after_lines(body_bytes, header_index + 1)
        del body_bytes
    else:
        body = _after_lines(text, header_index + 1).encode("utf-8")
        del text
    hasher.join()
    source = SourceInfo(
        file=path.name,
        kind="csv",
        sha256=digest.hexdigest(),
        encoding=used_encoding,
        delimiter=used_delimiter,
        header_row=header_index + 1,
    )
    return _read_body(body, headers, used_delimiter, source, path)


def _read_body(body: bytes, headers: list[str], delimiter: str, source: SourceInfo, path: Path) -> RawTable:
    """The data lines (UTF-8) as text columns, numbered as Excel shows them."""
    import numpy as np
    import pyarrow as pa

    if _blank(body, b" \t\r\n" + delimiter.encode()):
        # A header and nothing else (or only blank lines): a register with no people.
        no_rows = [pa.array([], type=pa.string()) for _ in headers]
        source.empty_rows_dropped = body.count(b"\n")
        return RawTable(headers, no_rows, np.zeros(0, dtype=np.int64), source, [])
    if len(headers) < 2 and (body.startswith((b"\n", b"\r\n")) or b"\n\n" in body or b"\n\r\n" in body):
        # One column: a blank line would read as an empty cell; the exact reader counts it.
        return _read_exact(body.decode("utf-8"), delimiter, headers, source, path)
    table = _arrow_table(body, len(headers), delimiter, path)
    if table is None or not _every_line_a_row(body, table.num_rows):
        # Ragged lines: the exact reader accepts extra empty fields and reports the rest by row.
        # Values over several lines, or lines pyarrow did not make rows of: the exact reader
        # tells a quoted line break from a stray quote and accounts for every line.
        return _read_exact(body.decode("utf-8"), delimiter, headers, source, path)
    return _without_empty_rows(table, headers, source)


def _arrow_table(body: bytes, width: int, delimiter: str, path: Path) -> pa.Table | None:
    """Every cell as a string, by pyarrow's parser; None when a line has too many or too few
    fields (pyarrow cannot say which, so the exact reader takes over)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

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
                delimiter=delimiter,
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
        raise InputFileError(
            _("{path}: cannot be read as CSV: {error}").format(path=path, error=str(exc).splitlines()[0])
        ) from None
    return None if broken_count else table


def _every_line_a_row(body: bytes, rows: int) -> bool:
    """Whether pyarrow made one row of every line.

    A value holding a line break (quoted, or the lines a stray quote swallowed) leaves fewer
    rows than lines, so equal counts prove there is none; counting bytes is far cheaper than
    searching every cell. Only a bare CR (a line end of its own to pyarrow, one row more) could
    make up for such a value, so a file with quotes and a bare CR goes to the exact reader too.
    """
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    if rows != lines:
        return False
    if b'"' in body:
        crs = body.count(b"\r")
        return not crs or crs == body.count(b"\r\n")
    return True


def _without_empty_rows(table: pa.Table, headers: list[str], source: SourceInfo) -> RawTable:
    """Rows of only delimiters (`;;;;`, left by Excel after formatted empty rows) are no people."""
    import numpy as np
    import pyarrow as pa

    column_arrays = [table.column(i).combine_chunks() for i in range(len(headers))]
    first = source.header_row + 1
    row_numbers = np.arange(first, first + table.num_rows, dtype=np.int64)
    empty = _all_empty(column_arrays, table.num_rows)
    if empty.any():
        keep = pa.array(~empty)
        column_arrays = [array.filter(keep) for array in column_arrays]
        row_numbers = row_numbers[~empty]
        source.empty_rows_dropped = int(empty.sum())
    return RawTable(headers, column_arrays, row_numbers, source, [])


def _utf8_head(data: bytes, encoding: str | None) -> tuple[str, str] | None:
    """The start of the text (enough for `HEAD_CHARS` characters) and "utf-8" or "utf-8-sig",
    when `decode` would find the file to be UTF-8 with "\n" line ends; else None (then
    `decode` decides). The whole file is checked by Arrow's UTF-8 validation instead of being
    decoded into a Python string of its own size (or two or four times it)."""
    import numpy as np
    import pyarrow as pa

    if encoding is not None or data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:65536]:
        return None
    if b"\r" in data and b"\n" not in data:  # old Mac line ends: `read_csv` rewrites them
        return None
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return None
    bom = data.startswith(b"\xef\xbb\xbf")
    start = 3 if bom else 0
    # A character is at most four bytes; a character cut off at the end is past HEAD_CHARS.
    head = data[start : start + 4 * HEAD_CHARS].decode("utf-8", errors="ignore")
    return head, "utf-8-sig" if bom else "utf-8"


def _after_lines(data: Any, count: int) -> Any:
    """`data` (str or bytes) without its first `count` lines."""
    newline = "\n" if isinstance(data, str) else b"\n"
    start = 0
    for _line in range(count):
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


def _read_exact(body: str, delimiter: str, headers: list[str], source: SourceInfo, path: Path) -> RawTable:
    """Read record by record, numbering rows as Excel shows them (blank lines count).

    Only files with blank or ragged lines, quoted line breaks or lines the fast reader could not
    account for come here. A record with more fields than the header is accepted when the extra
    fields are empty (a trailing delimiter); any other record whose field count differs is
    reported as a broken line and becomes an invalid register row. A record over several lines
    must be a quoted line break in a value (`csv_quotes`); every line is accounted for.
    """
    import numpy as np
    import pyarrow as pa

    width = len(headers)
    cells: list[list[str]] = [[] for _ in range(width)]
    good: list[int] = []
    broken: list[tuple[int, str]] = []
    empty_rows = 0
    buffer = io.StringIO(body, newline="")
    reader = csv.reader(buffer, delimiter=delimiter)
    number = source.header_row
    while True:
        first_line, start = reader.line_num + 1, buffer.tell()
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = source.header_row + first_line
            refuse_unreadable(body, start, line, headers, delimiter, path, exc)
        number += 1
        if reader.line_num > first_line:
            trailing_empty = len(record) > width and not any(f.strip() for f in record[width:])
            fields = width if trailing_empty else len(record)
            refuse_stray_quote(
                body,
                start,
                buffer.tell(),
                source.header_row + first_line,
                fields,
                headers,
                delimiter,
                str(path),
            )
        if not any(field.strip() for field in record):
            empty_rows += 1
            continue
        if len(record) > width and not any(field.strip() for field in record[width:]):
            record = record[:width]
        if len(record) != width:
            broken.append(
                (
                    number,
                    _("has {fields} fields where the header has {width}").format(
                        fields=len(record), width=width
                    ),
                )
            )
            continue
        good.append(number)
        for column, value in zip(cells, record, strict=True):
            column.append(value)
    _account_for_lines(body, reader.line_num, number - source.header_row, path)
    source.empty_rows_dropped = empty_rows
    arrays = [pa.array(column, type=pa.string()) for column in cells]
    return RawTable(headers, arrays, np.asarray(good, dtype=np.int64), source, broken)


def _account_for_lines(body: str, lines_read: int, records: int, path: Path) -> None:
    """Every line below the header is part of a row, a blank row, or a quoted line break.

    The csv module counts what it read; a different count from the text's own would mean
    lines that went nowhere, so the file is refused rather than read short."""
    lines = line_breaks(body) + (1 if body and body[-1] not in "\r\n" else 0)
    if lines != lines_read:
        raise InputFileError(
            _(
                "{path}: {lines} lines below the header, but only {lines_read} were read "
                "into {records} rows; the file cannot be read reliably: export it again"
            ).format(path=path, lines=lines, lines_read=lines_read, records=records)
        )
