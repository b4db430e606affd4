"""`kansen check`: what a register export holds, as plain data for the terminal or --json."""

from __future__ import annotations

import hashlib
from typing import Any

from kansen_cli.register import FIELDS, Register

EXAMPLES_PER_KIND = 5


def values_fingerprint(register: Register) -> str:
    """SHA-256 of the canonical values, so two files can be shown to hold the same data."""
    import pandas as pd

    frame = register.people[["row", *FIELDS]].copy()
    for name in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[name]):
            frame[name] = frame[name].dt.strftime("%Y-%m-%d")
    hashed = pd.util.hash_pandas_object(frame.astype("string").fillna("\x00"), index=False)
    return hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()


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
