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
YEAR_MIN, YEAR_MAX = 1900, 2100
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


def _fixed_width_dates(text: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of the cells spelled `dd-mm-yyyy` or `yyyy-mm-dd` (ten characters, the
    way nearly every export writes dates), read straight from the Arrow buffer in NumPy; the
    last array marks the cells read. Other spellings are left to the regular expressions."""
    import numpy as np
    import pyarrow as pa

    n = len(text)
    year = np.full(n, -1, dtype=np.int64)
    month = year.copy()
    day = year.copy()
    hit = np.zeros(n, dtype=bool)
    if text.type != pa.string() or not n:
        return year, month, day, hit
    _, offsets_buf, data_buf = text.buffers()
    if data_buf is None:
        return year, month, day, hit
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[text.offset : text.offset + n + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    sized = np.flatnonzero((np.diff(offsets) == 10) & text.is_valid().to_numpy(zero_copy_only=False))
    if not len(sized):
        return year, month, day, hit
    starts = offsets[sized]
    # One byte position at a time (ten gathers of one byte per cell), digits as small ints.
    chars = [data[starts + k] for k in range(10)]
    value = [c.astype(np.int16) - 48 for c in chars]  # four digits fit in int16
    digit = [(c >= 48) & (c <= 57) for c in chars]

    def number(first: int, last: int) -> np.ndarray:
        out = value[first]
        for k in range(first + 1, last):
            out = out * 10 + value[k]
        return out

    def separator(k: int, allowed: bytes) -> np.ndarray:
        found = np.zeros(len(sized), dtype=bool)
        for char in allowed:
            found |= chars[k] == char
        return found

    def digits(*positions: int) -> np.ndarray:
        found = digit[positions[0]].copy()
        for k in positions[1:]:
            found &= digit[k]
        return found

    day_first = separator(2, b"-/.") & separator(5, b"-/.") & digits(0, 1, 3, 4, 6, 7, 8, 9)
    iso = separator(4, b"-/") & separator(7, b"-/") & digits(0, 1, 2, 3, 5, 6, 8, 9)
    for mask, y, m, d in ((day_first, (6, 10), (3, 5), (0, 2)), (iso, (0, 4), (5, 7), (8, 10))):
        rows = sized[mask]
        year[rows] = number(*y)[mask]
        month[rows] = number(*m)[mask]
        day[rows] = number(*d)[mask]
        hit[rows] = True
    return year, month, day, hit


def _days_since_epoch(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970-01-01 of valid calendar dates, and which dates are valid (integer
    arithmetic, H. Hinnant's days_from_civil; 31-02 is invalid, not 3 March)."""
    import numpy as np

    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
    # Years outside 1900-2100 are typing errors (01-05-0202 for 2022), not dates to select on.
    in_range = (year >= YEAR_MIN) & (year <= YEAR_MAX) & (month >= 1) & (month <= 12)
    limit = month_days[np.where(in_range, month, 0)] + (leap & (month == 2))
    ok = in_range & (day >= 1) & (day <= limit)
    y = np.where(ok, year, 1970) - (np.where(ok, month, 1) <= 2)
    m = np.where(ok, month, 1)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + np.where(ok, day, 1) - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468, ok


def parse_dates(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Dates as datetime64[s]: day-first (31-12-2019, 1/2/2020, 31.12.2019), ISO
    (2019-12-31, with or without a time) and Excel serial numbers. Impossible dates such as
    31-02-2019 fail instead of rolling over into March, and so do years before 1900 or after
    2100, which are typing errors."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(array)
    result = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    present = _valid(array)
    if not present.any():
        return result, np.zeros(n, dtype=bool)
    text = pc.utf8_trim_whitespace(array)
    year, month, day, hit = _fixed_width_dates(text)
    # The regular expressions only see what the fixed-width reader did not read.
    rest = np.flatnonzero(present & ~hit)
    if len(rest):
        others = pc.take(text, pa.array(rest))
        for pattern in (_DAY_FIRST, _ISO):
            parts = pc.extract_regex(others, pattern)
            found = parts.is_valid().to_numpy(zero_copy_only=False) & (year[rest] < 0)
            if found.any():
                where = rest[found]
                year[where] = _ints(parts, "y")[found]
                month[where] = _ints(parts, "m")[found]
                day[where] = _ints(parts, "d")[found]
    ok = np.zeros(n, dtype=bool)
    read = np.flatnonzero(year >= 0)
    days, valid = _days_since_epoch(year[read], month[read], day[read])
    ok[read[valid]] = True
    result[read[valid]] = (days[valid] * 86400).astype("datetime64[s]")
    unread = np.flatnonzero(present & ~ok)
    if len(unread):
        others = pc.take(text, pa.array(unread))
        serial_like = (
            pc.match_substring_regex(others, _SERIAL).fill_null(False).to_numpy(zero_copy_only=False)
        )
        if serial_like.any():
            values = pc.cast(pc.filter(others, pa.array(serial_like)), pa.float64()).to_numpy(
                zero_copy_only=False
            )
            where = unread[serial_like]
            good = (values >= SERIAL_MIN) & (values <= SERIAL_MAX)
            base = np.datetime64("1899-12-30", "D")
            serial_days = np.floor(values[good]).astype(np.int64).astype("timedelta64[D]")
            result[where[good]] = (base + serial_days).astype("datetime64[s]")
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
