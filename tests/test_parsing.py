"""The vectorised cell parsers agree with the plain rules of SPEC §4."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from kansen_cli import parsing


def test_dates_in_every_accepted_spelling() -> None:
    cells = [
        "01-02-2019",
        "1-2-2019",
        "2019-02-01",
        "01/02/2019",
        "01.02.2019",
        "43497",
        "2019-02-01 00:00:00",
    ]
    values, bad = parsing.parse_dates(pa.array(cells))
    assert not bad.any()
    assert set(values.astype("datetime64[D]").tolist()) == {dt.date(2019, 2, 1)}


def test_impossible_and_foreign_dates_are_flagged_not_rolled_over() -> None:
    values, bad = parsing.parse_dates(
        pa.array(["31-02-2019", "31-04-2020", "onbekend", "00-00-0000", "12", None])
    )
    assert bad.tolist() == [True, True, True, True, True, False]
    assert np.isnat(values).all()


@given(st.dates(min_value=dt.date(1910, 1, 2), max_value=dt.date(2099, 12, 31)))
def test_any_real_date_round_trips_in_each_format(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    cells = [day.strftime("%d-%m-%Y"), f"{day.day}-{day.month}-{day.year}", day.isoformat(), str(serial)]
    values, bad = parsing.parse_dates(pa.array(cells))
    assert not bad.any()
    assert values.astype("datetime64[D]").tolist() == [day] * 4


def test_booleans() -> None:
    values, bad = parsing.parse_booleans(
        pa.array(["Ja", "nee", "J", "n", "1", "0", "Yes", "NO", "true", "False", None, "?"])
    )
    assert values.to_pylist() == [True, False, True, False, True, False, True, False, True, False, None, None]
    assert bad.tolist() == [False] * 11 + [True]


def test_postcodes_are_normalised() -> None:
    values, bad = parsing.normalise_postcodes(
        pa.array(["9741ab", " 9741  AB", "9741 AB", "0741AB", "97XX", None])
    )
    assert values.to_pylist() == ["9741 AB", "9741 AB", "9741 AB", None, None, None]
    assert bad.tolist() == [False, False, False, True, True, False]


def test_house_numbers_split_additions() -> None:
    number, addition, bad = parsing.split_house_numbers(
        pa.array(["12", "12a", "12-1", "12.0", "abc", None]), pa.array([None, None, None, "B", None, None])
    )
    assert number.tolist() == [12, 12, 12, 12, -1, -1]
    assert addition.to_pylist() == [None, "a", "1", "B", None, None]
    assert bad.tolist() == [False, False, False, False, True, False]


@given(st.text(alphabet="0123456789", min_size=0, max_size=10))
def test_bsn_check_matches_python_stdnum(text: str) -> None:
    expected = len(text) in (8, 9) and stdnum_bsn.is_valid(text.zfill(9)) and int(text) != 0
    assert parsing.bsn_valid(pa.array([text])).tolist() == [expected]


def test_an_absurdly_long_house_number_is_flagged_not_overflowed() -> None:
    number, _, bad = parsing.split_house_numbers(
        pa.array(["99999999999999999999999", "123456"]), pa.array([None, None], type=pa.string())
    )
    assert bad.tolist() == [True, False]
    assert number.tolist() == [-1, 123456]


def test_implausible_years_are_typing_errors_not_dates() -> None:
    values, bad = parsing.parse_dates(pa.array(["01-05-0202", "01-05-2202", "0202-05-01", "01-05-1900"]))
    assert bad.tolist() == [True, True, True, False]
    assert values[3].astype("datetime64[D]").tolist() == dt.date(1900, 5, 1)
