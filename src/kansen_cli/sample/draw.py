"""Vectorised drawing with NumPy: weighted choices, days in a range, day numbers and dates.

Dates are drawn as day numbers since 1970-01-01 (int64), `NO_DATE` standing for an empty
cell, and turned into `datetime.date` objects only at the end.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
ObjArray = npt.NDArray[np.object_]

EPOCH = date(1970, 1, 1)
NO_DATE = np.int64(-(2**62))  # day count standing for "no date"


def objects(values: tuple[str, ...] | list[str]) -> ObjArray:
    """A NumPy array of Python strings (not fixed-width `<U`), for fancy indexing."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def pick(rng: np.random.Generator, weights: tuple[float, ...] | list[float], n: int) -> IntArray:
    """n indices drawn with the given relative weights (vectorised)."""
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    idx = np.searchsorted(cum / cum[-1], rng.random(n), side="right")
    return np.minimum(idx, len(cum) - 1).astype(np.int64)


def pick_rows(rng: np.random.Generator, cum: npt.NDArray[np.float64]) -> IntArray:
    """One index per row from per-row cumulative probabilities (rows x k)."""
    u = rng.random(cum.shape[0]) * cum[:, -1]
    idx = (cum <= u[:, None]).sum(axis=1)
    return np.minimum(idx, cum.shape[1] - 1).astype(np.int64)


def days(day: date) -> int:
    """The day number of a date."""
    return (day - EPOCH).days


def uniform_days(rng: np.random.Generator, lo: IntArray, hi: IntArray) -> IntArray:
    """A day in [lo, hi] per row (meaningless where lo > hi; callers mask that)."""
    span = np.maximum(hi - lo + 1, 1)
    return lo + np.floor(rng.random(lo.shape[0]) * span).astype(np.int64)


def to_dates(day_numbers: IntArray) -> ObjArray:
    """datetime.date objects (None where empty)."""
    as_dt = np.where(day_numbers == NO_DATE, np.iinfo(np.int64).min, day_numbers).astype("datetime64[D]")
    out: ObjArray = as_dt.astype(object)
    return out
