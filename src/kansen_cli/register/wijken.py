"""The postcode -> wijk table (`--wijken FILE`), for registers without a neighbourhood column."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from kansen_cli.errors import InputFileError
from kansen_cli.i18n import _
from kansen_cli.register.columns import normalise_header
from kansen_cli.register.raw import read_raw
from kansen_cli.settings import ColumnMap

if TYPE_CHECKING:
    import pandas as pd


def read_wijken(path: Path) -> dict[str, str]:
    """Postcode (4 digits or 6 characters) -> neighbourhood, from a two-column CSV or XLSX."""
    columns = ColumnMap(client_id="Postcode")
    raw = read_raw(Path(path), columns)
    if len(raw.headers) < 2:
        raise InputFileError(_("{path}: needs two columns, postcode and wijk").format(path=path))
    keys = {normalise_header(h): i for i, h in enumerate(raw.headers)}
    if "postcode" not in keys:
        raise InputFileError(
            _("{path}: no column 'Postcode'; the first row names the columns, e.g. Postcode;Wijk").format(
                path=path
            )
        )
    wijk_col = next((keys[k] for k in ("wijk", "neighbourhood", "buurt") if k in keys), 1)
    table: dict[str, str] = {}
    for pc, name in zip(
        raw.columns[keys["postcode"]].to_pylist(), raw.columns[wijk_col].to_pylist(), strict=True
    ):
        if not pc or not name:
            continue
        key = re.sub(r"\s+", "", pc).upper()
        if not re.fullmatch(r"[1-9]\d{3}([A-Z]{2})?", key):
            raise InputFileError(
                _("{path}: {pc!r} is not a postcode (4 digits, or 4 digits and 2 letters)").format(
                    path=path, pc=pc
                )
            )
        table[key] = name.strip()
    if not table:
        raise InputFileError(_("{path}: no postcodes found").format(path=path))
    return table


def wijk_lookup(postcode: pd.Series, table: dict[str, str]) -> pd.Series:
    """The wijk of each postcode (`9741 AB`): by the full postcode, else by its four digits."""
    compact = postcode.str.replace(" ", "", regex=False)
    full = compact.map(table)
    short = compact.str[:4].map(table)
    return full.fillna(short).astype("string")
