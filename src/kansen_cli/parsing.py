"""Cell parsers for register columns, vectorised over Arrow string arrays.

A national register has a million rows; these run in Arrow's C++ kernels (RE2 regular
expressions, casts) and NumPy, never in a Python loop per row. Each parser returns the
parsed values and a boolean mask of cells that were present but could not be parsed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

TRUE_WORDS = ("ja", "j", "yes", "y", "1", "true", "waar", "x")
FALSE_WORDS = ("nee", "n", "no", "0", "false", "onwaar")
# Excel serial day numbers between 1910 and 2100; anything else in a date column is no date.
SERIAL_MIN, SERIAL_MAX = 3654, 73051
_DAY_FIRST = r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
_ISO = r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_SERIAL = r"^\d{4,5}(?:\.\d+)?$"
_POSTCODE = r"^(?P<digits>[1-9]\d{3})(?P<letters>[A-Z]{2})$"
# At most six digits: a longer "house number" is a mistake, and would not fit an integer either.
# The addition follows a separator (12-1, 12 bis) or starts with a letter (12A); RE2 has no
# look-ahead, so the separator is matched into the group and stripped afterwards.
_HOUSE = (
    r"^(?P<number>\d{1,6})(?:[.,]0+)?"
    r"(?P<rest>\s*[-/ ]\s*[A-Za-z0-9]{1,6}|\s*[A-Za-z][A-Za-z0-9]{0,5})?$"
)


def _valid(array: pa.Array) -> np.ndarray:
    return array.is_valid().to_numpy(zero_copy_only=False)


def _ints(struct: pa.StructArray, name: str) -> np.ndarray:
    """A matched group as int64, -1 where the pattern did not match."""
    import pyarrow as pa
    import pyarrow.compute as pc

    field = pc.if_else(struct.is_valid(), struct.field(name), pa.scalar(None, pa.string()))
    return pc.fill_null(pc.cast(field, pa.int64()), -1).to_numpy(zero_copy_only=False)


def parse_dates(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Dates as datetime64[s]: day-first (31-12-2019, 1/2/2020, 31.12.2019), ISO
    (2019-12-31, with or without a time) and Excel serial numbers. Impossible dates such as
    31-02-2019 fail instead of rolling over into March."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(array)
    result = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    present = _valid(array)
    if not present.any():
        return result, np.zeros(n, dtype=bool)
    text = pc.utf8_trim_whitespace(array)
    year = np.full(n, -1, dtype=np.int64)
    month = year.copy()
    day = year.copy()
    for pattern in (_DAY_FIRST, _ISO):
        parts = pc.extract_regex(text, pattern)
        hit = parts.is_valid().to_numpy(zero_copy_only=False) & (year < 0)
        if hit.any():
            year[hit] = _ints(parts, "y")[hit]
            month[hit] = _ints(parts, "m")[hit]
            day[hit] = _ints(parts, "d")[hit]
    ok = (year > 0) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    months = (np.where(ok, year, 1970) - 1970) * 12 + np.where(ok, month, 1) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]")
    candidate = first + (np.where(ok, day, 1) - 1).astype("timedelta64[D]")
    # Day 31 of a 30-day month lands in the next month: that is no date.
    ok &= candidate.astype("datetime64[M]") == first.astype("datetime64[M]")
    result[ok] = candidate[ok].astype("datetime64[s]")
    serial_like = pc.match_substring_regex(text, _SERIAL).fill_null(False).to_numpy(zero_copy_only=False)
    serial_like &= ~ok
    if serial_like.any():
        values = pc.cast(pc.filter(text, pa.array(serial_like)), pa.float64()).to_numpy(zero_copy_only=False)
        where = np.flatnonzero(serial_like)
        good = (values >= SERIAL_MIN) & (values <= SERIAL_MAX)
        base = np.datetime64("1899-12-30", "D")
        days = np.floor(values[good]).astype(np.int64).astype("timedelta64[D]")
        result[where[good]] = (base + days).astype("datetime64[s]")
        ok[where[good]] = True
    return result, present & ~ok


def parse_booleans(array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Ja/Nee, J/N, Yes/No, 1/0, True/False (any case) -> bool; empty -> null (unknown)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lowered = pc.utf8_lower(pc.utf8_trim_whitespace(array))
    truth = pc.is_in(lowered, value_set=pa.array(TRUE_WORDS))
    false = pc.is_in(lowered, value_set=pa.array(FALSE_WORDS))
    known = pc.or_(truth, false)
    values = pc.if_else(known, truth, pa.scalar(None, pa.bool_()))
    bad = pc.and_(pc.is_valid(array), pc.invert(known)).to_numpy(zero_copy_only=False)
    return values, bad


def normalise_postcodes(array: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Any spacing or case -> `1234 AB`; invalid ones null and flagged."""
    import pyarrow as pa
    import pyarrow.compute as pc

    compact = pc.replace_substring_regex(pc.utf8_upper(array), r"\s+", "")
    parts = pc.extract_regex(compact, _POSTCODE)
    matched = parts.is_valid()
    normal = pc.if_else(
        matched,
        pc.binary_join_element_wise(parts.field("digits"), parts.field("letters"), " "),
        pa.scalar(None, pa.string()),
    )
    bad = pc.and_(pc.is_valid(array), pc.invert(matched)).to_numpy(zero_copy_only=False)
    return normal, bad


def split_house_numbers(numbers: pa.Array, additions: pa.Array) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """House number as int (-1 when missing or bad), the addition (taken from `12A` when the
    addition column is empty), and a mask of numbers that do not start with digits."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.extract_regex(numbers, _HOUSE)
    matched = parts.is_valid()
    number = _ints(parts, "number")
    rest = pc.if_else(matched, parts.field("rest"), pa.scalar(None, pa.string()))
    rest = pc.replace_substring_regex(rest, r"^[\s/-]+", "")
    rest = pc.if_else(pc.equal(rest, ""), pa.scalar(None, pa.string()), rest)
    addition = pc.coalesce(additions, rest)
    bad = pc.and_(pc.is_valid(numbers), pc.invert(matched)).to_numpy(zero_copy_only=False)
    return number, addition, bad


def bsn_valid(array: pa.Array) -> np.ndarray:
    """True where the cell holds a BSN passing the elfproef (8 digits get a leading zero).

    Only the filled cells are checked, in NumPy: a register holds at most one BSN a person.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(array)
    out = np.zeros(n, dtype=bool)
    text = pc.utf8_trim_whitespace(array)
    shaped = pc.match_substring_regex(text, r"^\d{8,9}$").fill_null(False).to_numpy(zero_copy_only=False)
    if not shaped.any():
        return out
    where = np.flatnonzero(shaped)
    padded = pc.utf8_lpad(pc.take(text, pa.array(where)), 9, "0")
    digits = np.frombuffer("".join(padded.to_pylist()).encode("ascii"), dtype=np.uint8).reshape(-1, 9) - 48
    weights = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)
    total = digits.astype(np.int64) @ weights
    out[where] = (total % 11 == 0) & (digits.sum(axis=1) > 0)
    return out
