"""A register file as read, before any mapping: headers, one text column per header, the row
numbers the user sees, and how the file was read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

# The header row is looked for this far down: exports often open with title rows.
HEADER_SEARCH_ROWS = 30


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
class RawTable:
    """Every cell as text, whatever the file type, so CSV and XLSX go through one parser."""

    headers: list[str]
    columns: list[pa.Array]  # one string array per header
    rows: np.ndarray  # the row number the user sees, per data row
    source: SourceInfo
    broken: list[tuple[int, str]]  # (row, message) for lines that could not be split


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
