"""Small conversions of whole text columns (Arrow arrays), and pandas fronts for the cell
parsers of `kansen_cli.parsing`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa


def clean(array: pa.Array) -> pa.Array:
    """Trim; an empty cell becomes null. Text is kept exactly otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def to_text(array: pa.Array) -> pd.Series:
    """An Arrow string array as a pandas string column (nulls become NA)."""
    import pandas as pd

    return array.to_pandas(types_mapper={array.type: pd.StringDtype()}.get).astype("string")


def duplicated(array: pa.Array) -> np.ndarray:
    """True on every row whose value occurs more than once (nulls are one value, like pandas'
    `duplicated(keep=False)`), by Arrow's hash table instead of Python objects."""
    import numpy as np

    codes = array.dictionary_encode(null_encoding="encode").indices.to_numpy(zero_copy_only=False)
    return np.bincount(codes)[codes] > 1 if len(codes) else np.zeros(0, dtype=bool)


def parse_dates(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Dates as datetime64[s] from any accepted spelling, and a mask of values that failed.

    Day-first (`31-12-2019`, `1/2/2020`, `31.12.2019`), ISO (`2019-12-31`, optionally with a
    time), and Excel serial day numbers. Impossible dates such as 31-02-2019 fail rather than
    roll over into March. (A pandas front for `kansen_cli.parsing.parse_dates`.)
    """
    from kansen_cli import parsing

    return parsing.parse_dates(_from_pandas(text))


def parse_booleans(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Ja/Nee, J/N, Yes/No, 1/0, True/False (any case); empty is unknown (NA)."""
    from kansen_cli import parsing

    values, bad = parsing.parse_booleans(_from_pandas(text))
    return flags_to_pandas(values), bad


def flags_to_pandas(values: pa.Array) -> pd.Series:
    """Arrow booleans as a pandas nullable boolean column (unknown stays NA)."""
    import pandas as pd
    import pyarrow as pa

    return values.to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)


def _from_pandas(text: pd.Series) -> pa.Array:
    import pyarrow as pa

    return clean(pa.array(text.astype(object), type=pa.string(), from_pandas=True))
