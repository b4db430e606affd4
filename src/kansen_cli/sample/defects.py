"""The deliberately invalid rows of a sample register: one realistic defect each, the kinds
in rotation (a postcode that is none, a date that is none, an empty street, a client number
copied from another row), so `kansen check` has something to find."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansen_cli.sample.draw import IntArray, ObjArray, objects
from kansen_cli.sample.tables import BAD_DATES, BAD_POSTCODES


def break_rows(rng: np.random.Generator, frame: pd.DataFrame, count: int) -> None:
    """Give ``count`` random rows one defect each, kinds in rotation."""
    if count == 0:
        return
    n = len(frame)
    positions = rng.choice(n, size=count, replace=False)
    kinds = np.arange(count) % 4
    bad_pc = positions[kinds == 0]
    bad_date = positions[kinds == 1]
    no_street = positions[kinds == 2]
    duplicates = positions[kinds == 3]

    _set_values(frame, "Postcode", bad_pc, objects(BAD_POSTCODES), rng)
    _set_values(frame, "Datum laatste gesprek", bad_date, objects(BAD_DATES), rng)
    _set_values(frame, "Straat", no_street, objects(("",)), rng)
    if duplicates.shape[0]:
        others = np.setdiff1d(np.arange(n), duplicates, assume_unique=True)
        sources = rng.choice(others, size=duplicates.shape[0], replace=False)
        ids = frame["Klantnummer"].to_numpy(dtype=object, copy=True)
        ids[duplicates] = ids[sources]
        frame["Klantnummer"] = ids


def _set_values(
    frame: pd.DataFrame,
    column: str,
    positions: IntArray,
    choices: ObjArray,
    rng: np.random.Generator,
) -> None:
    values = frame[column].to_numpy(dtype=object, copy=True)
    values[positions] = choices[rng.integers(0, choices.shape[0], positions.shape[0])]
    frame[column] = values
