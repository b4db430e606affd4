"""Tests for the synthetic register generator (kansen_cli.sample)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

# Imported as a module on purpose: importing `test_bsns` by name would make
# pytest collect it as a test.
from kansen_cli import sample

DATE_COLUMNS = (
    "Geboortedatum",
    "Ingangsdatum uitkering",
    "Datum laatste gesprek",
    "Einddatum laatste traject",
)
TEXT_COLUMNS = tuple(c for c in sample.REGISTER_HEADERS if c not in DATE_COLUMNS and c != "Huisnummer")
POSTCODE_RE = re.compile(r"^(\d{4}) ?([A-Za-z]{2})$")
PHONE_RE = re.compile(r"^(06-\d{8}|050-\d{7})$")
EMAIL_RE = re.compile(r"^[a-z0-9.\-]+@example\.(nl|com)$")
PREFIXES = {"", "van", "de", "van der", "van den", "ter", "van 't", "in 't"}
LANGUAGES = {"Nederlands", "Arabisch", "Turks", "Engels", "Pools", "Tigrinya", "Somalisch"}
AS_OF = sample.SAMPLE_AS_OF
WINDOW_START = date(AS_OF.year - 2, AS_OF.month, AS_OF.day)


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    """10,000 rows without deliberate defects."""
    return sample.generate_register(10_000, invalid_rows=0)


@pytest.fixture(scope="module")
def default() -> pd.DataFrame:
    """10,000 rows with the default number of defects (5)."""
    return sample.generate_register(10_000)


def own_elfproef(number: str) -> bool:
    digits = [int(c) for c in number]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return len(number) == 9 and int(number) > 0 and total % 11 == 0


# The test range by an elfproef written here, not by the generator's own list.
TEST_RANGE_BSNS = [f"99999{i:04d}" for i in range(10_000) if own_elfproef(f"99999{i:04d}")]


def is_bad_date(value: object) -> bool:
    return isinstance(value, str)


def funnel(frame: pd.DataFrame, as_of: date = AS_OF) -> pd.Series:
    """Funnel bucket per row, computed independently of the generator."""
    window_start = date(as_of.year - 2, as_of.month, as_of.day)

    def within(column: str) -> pd.Series:
        return frame[column].map(lambda d: d is not None and window_start <= d <= as_of)

    active = frame["Actieve begeleiding"] == "Ja"
    care = ~active & (frame["Bekend bij WIJ-team"] == "Ja")
    recent = ~active & ~care & (within("Datum laatste gesprek") | within("Einddatum laatste traject"))
    bucket = pd.Series("selected", index=frame.index)
    bucket[recent] = "recent_contact"
    bucket[care] = "care_team"
    bucket[active] = "active_guidance"
    return bucket


# --- public constants --------------------------------------------------------


def test_headers_are_exactly_the_documented_ones() -> None:
    assert sample.REGISTER_HEADERS == (
        "Klantnummer", "BSN", "Voorletters", "Tussenvoegsel", "Achternaam", "Straat",
        "Huisnummer", "Toevoeging", "Postcode", "Woonplaats", "Wijk", "Geboortedatum",
        "Ingangsdatum uitkering", "Datum laatste gesprek", "Einddatum laatste traject",
        "Actieve begeleiding", "Bekend bij WIJ-team", "Telefoonnummer", "E-mailadres", "Taal",
    )  # fmt: skip
    assert sample.SAMPLE_AS_OF.isoformat() == "2026-10-01"


def test_neighbourhoods_have_unique_four_digit_postcodes() -> None:
    assert len(sample.NEIGHBOURHOODS) >= 14
    for required in ("Selwerd", "Vinkhuizen", "Beijum", "Lewenborg", "De Wijert",
                     "Corpus den Hoorn", "Paddepoel", "De Hoogte", "Hoogkerk",
                     "Korrewegwijk", "Schildersbuurt", "Hoornse Meer"):  # fmt: skip
        assert required in sample.NEIGHBOURHOODS
    # The real ones the module docstring names.
    assert sample.NEIGHBOURHOODS["Selwerd"] == ("9741",)
    assert sample.NEIGHBOURHOODS["Beijum"] == ("9736", "9737")
    codes = [pc for pcs in sample.NEIGHBOURHOODS.values() for pc in pcs]
    assert all(re.fullmatch(r"9\d{3}", pc) for pc in codes)
    assert len(codes) == len(set(codes))
    assert all(pcs for pcs in sample.NEIGHBOURHOODS.values())


# --- columns and types -------------------------------------------------------


def test_columns_and_python_types(clean: pd.DataFrame) -> None:
    assert list(clean.columns) == list(sample.REGISTER_HEADERS)
    assert len(clean) == 10_000
    for column in TEXT_COLUMNS:
        values = clean[column].tolist()
        assert all(type(v) is str for v in values), column
        assert not clean[column].isna().any(), column
    assert pd.api.types.is_integer_dtype(clean["Huisnummer"])
    assert all(type(v) is int for v in clean["Huisnummer"].tolist())
    assert clean["Huisnummer"].between(1, 250).all()
    for column in DATE_COLUMNS:
        values = clean[column].tolist()
        assert all(v is None or type(v) is date for v in values), column
    assert clean["Geboortedatum"].notna().all()
    assert clean["Ingangsdatum uitkering"].notna().all()
    assert clean["Datum laatste gesprek"].isna().any()
    assert clean["Einddatum laatste traject"].isna().any()


def test_zero_rows_gives_an_empty_frame_with_the_headers() -> None:
    frame = sample.generate_register(0)
    assert list(frame.columns) == list(sample.REGISTER_HEADERS)
    assert frame.empty


@pytest.mark.parametrize(("rows", "invalid_rows"), [(-1, None), (10, 11), (10, -1), (10_000_001, None)])
def test_bad_arguments_raise(rows: int, invalid_rows: int | None) -> None:
    with pytest.raises(ValueError):
        sample.generate_register(rows, invalid_rows=invalid_rows)


# --- determinism ---------------------------------------------------------------


def test_same_seed_same_frame() -> None:
    first = sample.generate_register(2_000, seed=7)
    second = sample.generate_register(2_000, seed=7)
    pd.testing.assert_frame_equal(first, second)


def test_default_seed_is_2015() -> None:
    pd.testing.assert_frame_equal(sample.generate_register(300), sample.generate_register(300, seed=2015))


def test_different_seed_differs() -> None:
    first = sample.generate_register(2_000, seed=7)
    second = sample.generate_register(2_000, seed=8)
    assert (first["Klantnummer"] != second["Klantnummer"]).mean() > 0.99
    assert (first["Achternaam"] != second["Achternaam"]).any()
    assert (first["Geboortedatum"] != second["Geboortedatum"]).mean() > 0.9


# --- client numbers and invalid rows ------------------------------------------------


def test_client_numbers_are_seven_digits_unique_and_often_zero_padded(clean: pd.DataFrame) -> None:
    ids = clean["Klantnummer"]
    assert ids.str.fullmatch(r"\d{7}").all()
    assert ids.is_unique
    assert ids.str.startswith("0").mean() > 0.2
    assert ids.str.startswith("00").any()


def test_clean_frame_has_no_defects(clean: pd.DataFrame) -> None:
    assert clean["Postcode"].str.fullmatch(POSTCODE_RE).all()
    assert not clean["Datum laatste gesprek"].map(is_bad_date).any()
    assert (clean["Straat"] != "").all()
    assert clean["Klantnummer"].is_unique


def defect_counts(frame: pd.DataFrame) -> dict[str, int]:
    return {
        "postcode": int((~frame["Postcode"].str.fullmatch(POSTCODE_RE)).sum()),
        "date": int(frame["Datum laatste gesprek"].map(is_bad_date).sum()),
        "street": int((frame["Straat"] == "").sum()),
        "duplicate": int(frame["Klantnummer"].duplicated().sum()),
        "rows_sharing_an_id": int(frame["Klantnummer"].duplicated(keep=False).sum()),
    }


def expected_defects(n: int) -> dict[str, int]:
    return {
        "postcode": (n + 3) // 4,
        "date": (n + 2) // 4,
        "street": (n + 1) // 4,
        "duplicate": n // 4,
        "rows_sharing_an_id": 2 * (n // 4),
    }


def test_default_invalid_rows_is_rows_over_2000(default: pd.DataFrame) -> None:
    assert defect_counts(default) == expected_defects(5)


def test_invalid_rows_are_spread_and_realistic() -> None:
    frame = sample.generate_register(4_000, seed=3, invalid_rows=40)
    assert defect_counts(frame) == expected_defects(40)
    bad_dates = frame.loc[frame["Datum laatste gesprek"].map(is_bad_date), "Datum laatste gesprek"]
    for text in bad_dates:
        with pytest.raises(ValueError):
            pd.to_datetime(text, format="%d-%m-%Y")
    broken = (
        ~frame["Postcode"].str.fullmatch(POSTCODE_RE)
        | frame["Datum laatste gesprek"].map(is_bad_date)
        | (frame["Straat"] == "")
        | frame["Klantnummer"].duplicated()
    )
    positions = np.flatnonzero(broken.to_numpy())
    assert positions.min() < 1_000 and positions.max() > 3_000


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.integers(min_value=0, max_value=400),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    data=st.data(),
)
def test_invariants_hold_for_any_size_and_seed(rows: int, seed: int, data: st.DataObject) -> None:
    invalid = data.draw(st.integers(min_value=0, max_value=rows), label="invalid_rows")
    frame = sample.generate_register(rows, seed=seed, invalid_rows=invalid)
    assert list(frame.columns) == list(sample.REGISTER_HEADERS)
    assert len(frame) == rows
    assert frame["Klantnummer"].str.fullmatch(r"\d{7}").all()
    assert defect_counts(frame) == expected_defects(invalid)
    check_bsns(frame)
    assert (frame["BSN"] != "").sum() == min(rows, len(TEST_RANGE_BSNS))
    valid_pc = frame["Postcode"].str.fullmatch(POSTCODE_RE)
    for postcode, wijk in zip(frame.loc[valid_pc, "Postcode"], frame.loc[valid_pc, "Wijk"],
                              strict=True):  # fmt: skip
        assert postcode[:4] in sample.NEIGHBOURHOODS[wijk]
    for column in TEXT_COLUMNS:
        assert all(type(v) is str for v in frame[column].tolist())


# --- BSN -----------------------------------------------------------------------


def check_bsns(frame: pd.DataFrame) -> None:
    filled = frame.loc[frame["BSN"] != "", "BSN"]
    assert filled.is_unique
    for number in filled:
        assert len(number) == 9 and number.startswith("99999")
        assert stdnum_bsn.is_valid(number)


def test_bsns_are_valid_test_numbers_used_once(clean: pd.DataFrame) -> None:
    check_bsns(clean)
    assert set(clean.loc[clean["BSN"] != "", "BSN"]) == set(TEST_RANGE_BSNS)


def test_small_register_gives_everyone_a_bsn() -> None:
    frame = sample.generate_register(50, seed=1)
    check_bsns(frame)
    assert (frame["BSN"] != "").all()


def test_test_bsns_matches_an_independent_elfproef() -> None:
    got = sample.test_bsns()
    assert got == TEST_RANGE_BSNS
    assert len(got) == 909
    got.append("mutated")  # callers get a copy, not the cached list
    assert len(sample.test_bsns()) == 909


# --- funnel and dates ------------------------------------------------------------


def test_funnel_proportions(clean: pd.DataFrame) -> None:
    shares = funnel(clean).value_counts(normalize=True)
    assert shares["active_guidance"] == pytest.approx(0.28, abs=0.03)
    assert shares["care_team"] == pytest.approx(0.08, abs=0.03)
    assert shares["recent_contact"] == pytest.approx(0.13, abs=0.03)
    assert shares["selected"] == pytest.approx(0.50, abs=0.04)


def test_selected_are_half_without_dates_half_with_old_ones(clean: pd.DataFrame) -> None:
    selected = clean[funnel(clean) == "selected"]
    no_dates = selected["Datum laatste gesprek"].isna() & selected["Einddatum laatste traject"].isna()
    assert no_dates.mean() == pytest.approx(0.5, abs=0.1)


def test_funnel_dates_keep_away_from_the_window_edge(clean: pd.DataFrame) -> None:
    # So that >= / > or 730 / 731 days cannot move anyone between buckets.
    bucket = funnel(clean)
    relevant = clean[bucket.isin(["recent_contact", "selected"])]
    for column in ("Datum laatste gesprek", "Einddatum laatste traject"):
        days = relevant[column].dropna().map(lambda d: (d - WINDOW_START).days)
        assert not days.between(-13, 13).any(), column


def test_dates_are_plausible(clean: pd.DataFrame) -> None:
    birth = clean["Geboortedatum"]
    start = clean["Ingangsdatum uitkering"]
    age_days = birth.map(lambda d: (AS_OF - d).days)
    assert (birth.map(lambda d: date(d.year + 18, d.month, min(d.day, 28))) <= AS_OF).all()
    senior = age_days >= 67 * 365.2425
    assert 0.003 <= senior.mean() <= 0.02
    assert (start <= AS_OF).all()
    assert (start >= date(AS_OF.year - 20, AS_OF.month, AS_OF.day)).all()
    # benefit starts after the 18th birthday (one day slack for leap-day rounding)
    assert ((start - birth).map(lambda t: t.days) >= 18 * 365.2425 - 1).all()
    for column in ("Datum laatste gesprek", "Einddatum laatste traject"):
        filled = clean[column].dropna()
        assert (filled <= AS_OF).all()
        assert (filled > birth[filled.index]).all()


def test_as_of_moves_every_date() -> None:
    as_of = date(2020, 3, 15)
    frame = sample.generate_register(2_000, as_of=as_of, invalid_rows=0)
    for column in DATE_COLUMNS:
        assert (frame[column].dropna() <= as_of).all()
    shares = funnel(frame, as_of).value_counts(normalize=True)
    assert shares["recent_contact"] == pytest.approx(0.13, abs=0.04)


def test_booleans_are_ja_nee(clean: pd.DataFrame) -> None:
    for column in ("Actieve begeleiding", "Bekend bij WIJ-team"):
        assert set(clean[column]) == {"Ja", "Nee"}


# --- names, addresses, contact --------------------------------------------------------


def test_names(clean: pd.DataFrame) -> None:
    assert clean["Voorletters"].str.fullmatch(r"([A-Z]\.){1,3}").all()
    assert clean["Voorletters"].str.len().nunique() == 3
    assert set(clean["Tussenvoegsel"]) == PREFIXES
    assert (clean["Tussenvoegsel"] == "").mean() > 0.6
    surnames = set(clean["Achternaam"])
    assert {"Jansen", "Vries", "Dijkstra", "Çelik", "Yılmaz", "Nguyễn"} <= surnames
    assert any(not s.isascii() for s in surnames)
    lengths = clean["Achternaam"].str.len()
    assert lengths.max() <= 40
    assert (lengths >= 30).sum() >= 3
    assert (clean["Straat"].str.len() >= 30).any()


def test_addresses_match_their_wijk(clean: pd.DataFrame) -> None:
    parts = clean["Postcode"].str.extract(POSTCODE_RE)
    for pc4, wijk in zip(parts[0], clean["Wijk"], strict=True):
        assert pc4 in sample.NEIGHBOURHOODS[wijk]
    letters = parts[1].str.upper()
    assert not letters.isin(["SS", "SD", "SA"]).any()
    no_space = clean["Postcode"].str.fullmatch(r"\d{4}[A-Z]{2}")
    assert no_space.mean() > 0.75
    assert clean["Postcode"].str.contains(" ").any()
    assert clean["Postcode"].str.fullmatch(r"\d{4}[a-z]{2}").any()
    assert set(clean["Toevoeging"]) <= {"", "A", "B", "bis", "1", "2"}
    assert (clean["Toevoeging"] == "").mean() > 0.75
    hoogkerk = clean["Woonplaats"] == "Hoogkerk"
    assert (clean.loc[hoogkerk, "Wijk"] == "Hoogkerk").all()
    assert set(clean["Woonplaats"]) <= {"Groningen", "Hoogkerk"}


def test_same_street_and_number_give_the_same_postcode(clean: pd.DataFrame) -> None:
    normalised = clean["Postcode"].str.replace(" ", "").str.upper()
    per_address = normalised.groupby([clean["Straat"], clean["Huisnummer"]]).nunique()
    assert (per_address == 1).all()


def test_row_order_is_not_sorted_by_wijk(clean: pd.DataFrame) -> None:
    assert not clean["Wijk"].is_monotonic_increasing
    changes = (clean["Wijk"] != clean["Wijk"].shift()).sum()
    assert changes > len(clean) * 0.8


def test_neighbourhood_sizes_are_unequal_but_batchable(clean: pd.DataFrame) -> None:
    counts = clean.loc[funnel(clean) == "selected", "Wijk"].value_counts()
    assert set(counts.index) == set(sample.NEIGHBOURHOODS)
    assert counts.min() >= 120
    assert counts.max() <= 750
    assert counts.max() / counts.min() >= 2


def test_contact_details(clean: pd.DataFrame) -> None:
    phone = clean["Telefoonnummer"]
    assert phone[phone != ""].str.fullmatch(PHONE_RE).all()
    assert (phone == "").mean() == pytest.approx(0.15, abs=0.03)
    assert phone.str.startswith("050-").any() and phone.str.startswith("06-").any()
    email = clean["E-mailadres"]
    assert email[email != ""].str.fullmatch(EMAIL_RE).all()
    assert (email != "").mean() == pytest.approx(0.40, abs=0.03)
    assert set(clean["Taal"]) == LANGUAGES
    assert (clean["Taal"] == "Nederlands").mean() > 0.75


def test_email_is_an_ascii_fold_of_the_name(clean: pd.DataFrame) -> None:
    rows = clean[(clean["E-mailadres"] != "") & (clean["Achternaam"] == "Öztürk")]
    assert not rows.empty
    assert rows["E-mailadres"].str.contains(r"\.ozturk").all()
    rows = clean[(clean["E-mailadres"] != "") & (clean["Tussenvoegsel"] == "de")]
    assert rows["E-mailadres"].str.contains(r"\.de[a-z]").all()


# --- wijken table ---------------------------------------------------------------


def test_generate_wijken_covers_every_postcode(clean: pd.DataFrame) -> None:
    table = sample.generate_wijken()
    assert list(table.columns) == ["Postcode", "Wijk"]
    assert table["Postcode"].str.fullmatch(r"\d{4}").all()
    assert table["Postcode"].is_unique
    expected = {(pc, w) for w, pcs in sample.NEIGHBOURHOODS.items() for pc in pcs}
    assert set(zip(table["Postcode"], table["Wijk"], strict=True)) == expected
    mapping = dict(zip(table["Postcode"], table["Wijk"], strict=True))
    used = clean["Postcode"].str[:4]
    assert used.isin(list(mapping)).all()
    assert (used.map(mapping) == clean["Wijk"]).all()
    pd.testing.assert_frame_equal(table, sample.generate_wijken(seed=99))
