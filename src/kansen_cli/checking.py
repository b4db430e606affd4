"""`kansen check`: what a register export holds, as plain data for the terminal or --json."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from kansen_cli.register import FIELDS, Register

if TYPE_CHECKING:
    import pandas as pd

EXAMPLES_PER_KIND = 5


def values_fingerprint(register: Register) -> str:
    """SHA-256 of the canonical values, so two files can be shown to hold the same data.

    The values are hashed as text by pandas (`hash_pandas_object`), dates as `yyyy-mm-dd`;
    the dates are spelled by Arrow's cast, which gives the same text as `strftime` at a
    fraction of its cost (a Python call per date).
    """
    import pandas as pd

    people = register.people
    columns = {}
    for name in ("row", *FIELDS):
        column = people[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            column = _iso_dates(column)
        columns[name] = column.astype("string").fillna("\x00")
    hashed = pd.util.hash_pandas_object(pd.DataFrame(columns, copy=False), index=False)
    return hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()


def _iso_dates(column: pd.Series) -> pd.Series:
    """Dates (datetime64, NaT for none) as `yyyy-mm-dd` text, NA for none."""
    import pandas as pd
    import pyarrow as pa

    days = pa.array(column.to_numpy(), from_pandas=True).cast(pa.date32())
    text = days.cast(pa.string())
    return text.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get).set_axis(column.index)


def check_summary(register: Register) -> dict[str, Any]:
    """Rows read, columns mapped and unused, problems by kind with examples."""
    report = register.report
    by_kind = report.by_kind()
    return {
        "file": register.source.file,
        "format": register.source.describe(),
        "rows": register.rows,
        "valid_rows": int((~register.people["invalid"]).sum()),
        "invalid_rows": int(register.people["invalid"].sum()),
        "columns_mapped": register.mapped,
        "columns_unused": register.unused,
        "problems": {
            "count": len(report),
            "by_kind": {kind: len(items) for kind, items in sorted(by_kind.items())},
            "examples": {
                kind: [
                    {k: v for k, v in p.as_dict().items() if k != "file"} for p in items[:EXAMPLES_PER_KIND]
                ]
                for kind, items in sorted(by_kind.items())
            },
        },
        "values_sha256": values_fingerprint(register),
    }
