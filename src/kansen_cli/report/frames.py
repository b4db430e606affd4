"""Helpers on the ledger's frames that more than one report section needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

NONE = "_none"  # no result / no classification / unknown yet
SEP = ";"  # several-valued answers in the ledger are ';'-joined codes


def codes(known: Iterable[str], seen: Iterable[Any]) -> list[str]:
    """Codebook order, then any code in the data the codebook no longer lists (never dropped)."""
    order = list(known)
    extra = sorted({str(c) for c in seen if isinstance(c, str) and c and c not in order})
    return order + extra


def split(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(SEP) if part.strip()]


def groups(frame: pd.DataFrame, column: str) -> dict[Any, pd.DataFrame]:
    """`{value: frame[frame[column] == value]}` for every value, in one pass: filtering the
    whole frame once per batch is quadratic (4,000 batches of a million letters)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(frame[column])
    order = np.argsort(codes, kind="stable")  # stable: each group keeps the frame's row order
    ordered = frame.iloc[order]
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {
        value: ordered.iloc[bounds[i] : bounds[i + 1]]
        for i, value in enumerate(uniques.tolist() if hasattr(uniques, "tolist") else list(uniques))
    }


def isin(series: pd.Series, values: Iterable[Any]) -> Any:
    """`series.isin(values)` for client ids, in Arrow: pandas' isin on Arrow strings loops in
    Python over `values` (11 s for half a million ids)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.is_in(
            pa.array(series, type=pa.string(), from_pandas=True),
            value_set=pa.array(list(values), type=pa.string(), from_pandas=True),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text: pandas knows what to do
        return series.isin(values).to_numpy()
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def clean(series: pd.Series) -> pd.Series:
    """Codes as text, with missing or empty replaced by NONE."""
    return series.astype(object).where(series.notna() & (series.astype(str).str.strip() != ""), NONE)


def latest_calls(calls: pd.DataFrame) -> pd.DataFrame:
    """Each person's last follow-up round."""
    return calls.sort_values(["client_id", "round"]).groupby("client_id", sort=True).tail(1)
