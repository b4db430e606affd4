"""Reading the municipality's register export (CSV or XLSX) into canonical columns.

Every cell is read as text first, whatever the file type, so that CSV and XLSX go through
one parser and give the same values: client ids keep their leading zeros, a number cell
reads without ".0", Excel dates and serials become dates. Problems are collected per row
(file, row as Excel shows it, column, value, message) and mark that row invalid; only a
missing required column or an unreadable file stops the read.

The modules, in the order a file goes through them:

- `raw`: the one door, `read_raw`: a workbook by its suffix, anything else as CSV;
- `csv_layout` (encoding, delimiter, header line) and `csv_reader`: CSV into a `RawTable`,
  every line accounted for (`csv_quotes`: a quoted line break is allowed, a stray quote that
  swallows lines is refused);
- `workbook`: XLSX (calamine) into a `RawTable` (`table`: what every reader returns);
- `columns`: the municipality's headers mapped to the canonical `fields`;
- `bsn_ids`: a client-id column holding BSNs is refused (client ids name files);
- `checks`: every field checked and parsed, problems collected (`cells`: column helpers);
- `wijken`: the postcode -> wijk table for registers without a neighbourhood column;
- `reader`: `read_register`, which strings them together into a `Register`.
"""

from __future__ import annotations

from kansen_cli.register.cells import parse_booleans, parse_dates
from kansen_cli.register.fields import DATE_FIELDS, FIELDS, mask_bsn
from kansen_cli.register.reader import Register, read_register

__all__ = ["DATE_FIELDS", "FIELDS", "Register", "mask_bsn", "parse_booleans", "parse_dates", "read_register"]
