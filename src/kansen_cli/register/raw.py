"""Any register file (CSV or a workbook) as a raw table of text: the one door to the readers."""

from __future__ import annotations

from pathlib import Path

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _
from kansen_cli.register.csv_reader import read_csv
from kansen_cli.register.table import RawTable
from kansen_cli.register.workbook import read_workbook
from kansen_cli.settings import ColumnMap

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def read_raw(
    path: Path,
    columns: ColumnMap,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> RawTable:
    """Headers and text columns of `path`; a workbook by its suffix, anything else as CSV."""
    path = Path(path)
    if not path.exists():
        raise InputFileError(_("{path}: file not found").format(path=path))
    if path.is_dir():
        raise InputFileError(_("{path}: is a folder, not a register file").format(path=path))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return read_workbook(path, columns, sheet)
    return read_csv(path, columns, encoding, delimiter)
