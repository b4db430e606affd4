"""`read_register`: one register export, read, mapped and checked, as canonical columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _
from kansen_cli.problems import ProblemReport
from kansen_cli.progress import OnProgress
from kansen_cli.progress import report as report_progress
from kansen_cli.register.bsn_ids import refuse_bsns_as_client_ids
from kansen_cli.register.checks import ROW_STEPS, RowChecks
from kansen_cli.register.columns import map_columns
from kansen_cli.register.fields import REQUIRED_FIELDS
from kansen_cli.register.raw import read_raw
from kansen_cli.register.table import SourceInfo
from kansen_cli.register.wijken import read_wijken
from kansen_cli.settings import ColumnMap

if TYPE_CHECKING:
    import pandas as pd


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


def read_register(
    path: Path,
    columns: ColumnMap | None = None,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    wijken: Path | None = None,
    need_birth_date: bool = False,
    on_progress: OnProgress | None = None,
) -> Register:
    """Read, map and validate one register export. Raises only for file-level problems.

    Cells are checked and parsed as Arrow arrays (kansen_cli.parsing: RE2 and NumPy, no
    Python loop per row); Python only touches the rows that have a problem. `on_progress` is
    told (done, total) after reading the file and after each check of the rows.
    """
    columns = columns or ColumnMap()
    total = 1 + len(ROW_STEPS)
    report_progress(on_progress, 0, total)
    raw = read_raw(Path(path), columns, encoding, delimiter, sheet)
    report_progress(on_progress, 1, total)
    file = raw.source.file
    required = [f for f in REQUIRED_FIELDS if not (f == "neighbourhood" and wijken)]
    if need_birth_date:
        required.append("birth_date")
    mapped_idx, unused = map_columns(raw.headers, columns, required, file)
    refuse_bsns_as_client_ids(raw, mapped_idx)
    if not len(raw.rows) and not raw.broken:
        # Selecting from nobody is a wrong export (a filter left on), not an empty campaign.
        raise InputFileError(
            _("{file}: no data rows below the header (row {header_row}); is this the right export?").format(
                file=file, header_row=raw.source.header_row
            )
        )
    report = ProblemReport()
    checks = RowChecks(raw, mapped_idx, report, read_wijken(wijken) if wijken is not None else None)
    for done, step in enumerate(ROW_STEPS, start=2):
        step(checks)
        report_progress(on_progress, done, total)
    people = checks.frame()
    people.insert(0, "row", raw.rows)
    people["invalid"] = checks.invalid
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
