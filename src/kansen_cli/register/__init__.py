"""Reading the municipality's register export (CSV or XLSX) into canonical columns.

Every cell is read as text first, whatever the file type, so that CSV and XLSX go through
one parser and give the same values: client ids keep their leading zeros, a number cell
reads without ".0", Excel dates and serials become dates. Problems are collected per row
(file, row as Excel shows it, column, value, message) and mark that row invalid; only a
missing required column or an unreadable file stops the read.

The modules, in the order a file goes through them:

- `raw`: the one door, `read_raw`: a workbook by its suffix, anything else as CSV;
- `csv_layout` (encoding, delimiter, header line) and `csv_reader`: CSV into a `RawTable`;
- `workbook`: XLSX (calamine) into a `RawTable` (`table`: what every reader returns);
- `columns`: the municipality's headers mapped to the canonical `fields`;
- `checks`: every field checked and parsed, problems collected (`cells`: column helpers);
- `wijken`: the postcode -> wijk table for registers without a neighbourhood column;
- `reader`: `read_register`, which strings them together into a `Register`.
"""

from __future__ import annotations

from kansen_cli.register.cells import parse_booleans, parse_dates
from kansen_cli.register.columns import looks_like_data, map_columns, normalise_header
from kansen_cli.register.csv_layout import DELIMITERS
from kansen_cli.register.fields import (
    ADDRESS_FIELDS,
    BOOL_FIELDS,
    CLIENT_ID_PATTERN,
    DATE_FIELDS,
    FIELDS,
    PRIVATE_FIELDS,
    REQUIRED_FIELDS,
    WINDOWS_RESERVED,
    mask_bsn,
)
from kansen_cli.register.raw import read_raw
from kansen_cli.register.reader import Register, read_register
from kansen_cli.register.table import HEADER_SEARCH_ROWS, RawTable, SourceInfo, file_sha256
from kansen_cli.register.wijken import read_wijken

__all__ = [
    "ADDRESS_FIELDS",
    "BOOL_FIELDS",
    "CLIENT_ID_PATTERN",
    "DATE_FIELDS",
    "DELIMITERS",
    "FIELDS",
    "HEADER_SEARCH_ROWS",
    "PRIVATE_FIELDS",
    "REQUIRED_FIELDS",
    "WINDOWS_RESERVED",
    "RawTable",
    "Register",
    "SourceInfo",
    "file_sha256",
    "looks_like_data",
    "map_columns",
    "mask_bsn",
    "normalise_header",
    "parse_booleans",
    "parse_dates",
    "read_raw",
    "read_register",
    "read_wijken",
]
