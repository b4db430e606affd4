"""Writing the synthetic register as a municipality would export it (CSV and XLSX)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kansen_cli.errors import KansenError
from kansen_cli.files import check_writable, write_csv, write_xlsx
from kansen_cli.i18n import _
from kansen_cli.register import DATE_FIELDS
from kansen_cli.settings import ColumnMap

_HEADERS = ColumnMap()
DATE_COLUMNS = tuple(getattr(_HEADERS, name) for name in DATE_FIELDS)


def write_sample(
    out: Path,
    rows: int,
    seed: int = 2015,
    wijken: Path | None = None,
    force: bool = False,
    as_of: dt.date | None = None,
    columns: ColumnMap | None = None,
) -> list[Path]:
    """The register at `out` (.csv or .xlsx) and, when asked, the postcode -> wijk table.

    `as_of` is the reference date the register's dates are made for (default: the one the
    committed sample data was made for). `columns`: a campaign's register headers, so that a
    preset that names a column its own way (Nijmegen's "Bekend bij sociaal wijkteam") reads
    the sample as it is written."""
    from kansen_cli.sample import SAMPLE_AS_OF, generate_register, generate_wijken

    suffix = Path(out).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise KansenError(_("{out}: use a .csv or .xlsx file name").format(out=out))
    check_writable(Path(out), force)
    if wijken is not None:
        check_writable(Path(wijken), force)
    frame = generate_register(rows, seed=seed, as_of=as_of or SAMPLE_AS_OF)
    renamed = {} if columns is None else campaign_headers(columns)
    if suffix == ".csv":
        text = frame.copy()
        for column in DATE_COLUMNS:
            text[column] = [_dutch_date(v) for v in text[column]]
        write_csv(Path(out), text.rename(columns=renamed), force)
    else:
        write_xlsx(Path(out), {"Uitkeringsbestand": frame.rename(columns=renamed)}, force)
    written = [Path(out)]
    if wijken is not None:
        table = generate_wijken(seed=seed)
        write_csv(Path(wijken), table, force) if Path(wijken).suffix.lower() != ".xlsx" else write_xlsx(
            Path(wijken), {"Wijken": table}, force
        )
        written.append(Path(wijken))
    return written


def campaign_headers(columns: ColumnMap) -> dict[str, str]:
    """Default register header -> the campaign's header, for the fields it names otherwise."""
    default = _HEADERS.model_dump()
    return {default[f]: header for f, header in columns.model_dump().items() if header != default[f]}


def _dutch_date(value: object) -> str:
    """Dates as registers export them (dd-mm-yyyy); deliberately broken values kept as they are."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)
