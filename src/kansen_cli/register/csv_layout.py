"""What a CSV export is before it is a table: its encoding, its delimiter, and the line that
holds the header (exports often open with title lines)."""

from __future__ import annotations

import csv
from pathlib import Path

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _
from kansen_cli.register.columns import normalise_header
from kansen_cli.register.table import HEADER_SEARCH_ROWS

DELIMITERS = (";", ",", "\t")


def decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    """The text and the encoding used: the one given, else UTF-16 by its BOM, UTF-8 with or
    without BOM, or cp1252 (what Excel on Windows saves as "CSV")."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise InputFileError(
                _("unknown encoding {encoding!r}; try utf-8 or cp1252").format(encoding=encoding)
            ) from None
        except UnicodeDecodeError as exc:
            raise InputFileError(
                _("{path}: not valid {encoding} at byte {start}; try --encoding utf-8 or cp1252").format(
                    path=path, encoding=encoding, start=exc.start
                )
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:  # cut off mid-character, or not UTF-16 after all
            raise InputFileError(
                _(
                    "{path}: starts as UTF-16 but is damaged at byte {start} (cut off?); export it again"
                ).format(path=path, start=exc.start)
            ) from None
    if b"\x00" in data[:65536]:
        raise InputFileError(
            _(
                "{path}: holds NUL bytes, so it is no text file (binary, or UTF-16 "
                "without BOM); save it as CSV (UTF-8) or give --encoding"
            ).format(path=path)
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
            _("{path}: neither UTF-8 nor cp1252 (byte {start}); give the encoding with --encoding").format(
                path=path, start=exc.start
            )
        ) from None


def split_line(line: str, delimiter: str) -> list[str]:
    """One line's fields, quotes honoured."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a stray CR or NUL in the line: it is no header anyway
        return line.split(delimiter)


def find_layout(lines: list[str], key: str, delimiter: str | None, path: Path) -> tuple[int, str]:
    """Header line index and delimiter: the line holding the client-id header decides both."""
    candidates = (delimiter,) if delimiter else DELIMITERS
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        for cand in candidates:
            if key in {normalise_header(h) for h in split_line(line, cand)}:
                return index, cand
    # No client-id header: pick the delimiter that splits the first lines consistently, so the
    # missing-column message can list the columns seen.
    sample = [line for line in lines[:50] if line.strip()]
    if not sample:
        raise InputFileError(_("{path}: the file is empty").format(path=path))
    consistent = []
    for cand in candidates:
        counts = {len(split_line(line, cand)) for line in sample}
        if len(counts) == 1 and counts.pop() > 1:
            consistent.append(cand)
    if len(consistent) != 1:
        raise InputFileError(
            _("{path}: cannot determine the delimiter (tried {tried}); give it with --delimiter").format(
                path=path, tried=", ".join(repr(c) if c != "\t" else "tab" for c in candidates)
            )
        )
    return 0, consistent[0]


def header_fields(line: str, delimiter: str) -> list[str]:
    """The header's column names, trimmed."""
    headers = [h.strip() for h in split_line(line, delimiter)]
    # Exports often end the header with empty cells (`Taal;;`): those are no columns.
    while len(headers) > 1 and not headers[-1]:
        headers.pop()
    return headers
