"""The selection funnel (SPEC §5) against an independent pandas filter, and the CLI round."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from campaign_helpers import make_campaign
from kansen_cli.errors import SettingsError
from kansen_cli.register import read_register
from kansen_cli.selection import ages_on, bucket_order, select, window_start
from kansen_cli.settings import Exclusion

ROOT = Path(__file__).parents[1]
SAMPLE_CSV = ROOT / "sample_data" / "register.csv"
AS_OF = dt.date(2026, 10, 1)
PENSION = [Exclusion(bucket="pension_age", min_age=67)]
BUCKETS = [
    "invalid",
    "active_guidance",
    "care_team",
    "recent_contact",
    "already_approached",
    "pension_age",
    "selected",
]
YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar"}


def independent_buckets(path: Path, as_of: dt.date, years: int = 2, approached: frozenset[str] = frozenset()):
    """SPEC §4-5 written again from scratch with plain pandas, one rule per line."""
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    f = raw.apply(lambda c: c.str.strip())
    cid = f["Klantnummer"]
    dates = {
        c: pd.to_datetime(f[c], format="%d-%m-%Y", errors="coerce")
        for c in (
            "Geboortedatum",
            "Ingangsdatum uitkering",
            "Datum laatste gesprek",
            "Einddatum laatste traject",
        )
    }
    bad_date = pd.Series(False, index=f.index)
    for c, parsed in dates.items():
        bad_date |= (f[c] != "") & parsed.isna()
    bsn = f["BSN"]
    bad_bsn = (bsn != "") & ~bsn.map(stdnum_bsn.is_valid)
    dup_bsn = (bsn != "") & bsn.duplicated(keep=False)
    bad_bool = pd.Series(False, index=f.index)
    for c in ("Actieve begeleiding", "Bekend bij WIJ-team"):
        bad_bool |= (f[c] != "") & ~f[c].str.lower().isin(YES | NO)
    invalid = (
        (cid == "")
        | (cid.duplicated(keep=False) & (cid != ""))
        | bad_bsn
        | dup_bsn
        | (f["Achternaam"] == "")
        | (f["Straat"] == "")
        | (f["Woonplaats"] == "")
        | ~f["Huisnummer"].str.match(r"^\d+")
        | ~f["Postcode"].str.upper().str.replace(" ", "").str.fullmatch(r"[1-9]\d{3}[A-Z]{2}")
        | (f["Wijk"] == "")
        | bad_date
        | bad_bool
    )
    active = f["Actieve begeleiding"].str.lower().isin(YES)
    care = f["Bekend bij WIJ-team"].str.lower().isin(YES)
    start = pd.Timestamp(as_of.replace(year=as_of.year - years))
    recent = (dates["Datum laatste gesprek"] >= start) | (dates["Einddatum laatste traject"] >= start)
    born = dates["Geboortedatum"]
    age = as_of.year - born.dt.year - ((born.dt.month * 100 + born.dt.day) > as_of.month * 100 + as_of.day)
    pension = age >= 67
    bucket = np.select(
        [invalid, active, care, recent, cid.isin(approached), pension],
        ["invalid", "active_guidance", "care_team", "recent_contact", "already_approached", "pension_age"],
        default="selected",
    )
    return pd.Series(bucket, index=f.index)


@pytest.fixture(scope="module")
def sample_register():
    return read_register(SAMPLE_CSV)


def test_funnel_matches_independent_filter_on_sample(sample_register):
    selection = select(sample_register.people, AS_OF, 2, set(), PENSION)
    expected = independent_buckets(SAMPLE_CSV, AS_OF)
    assert sum(selection.funnel.values()) == sample_register.rows == len(expected) == 10_000
    assert list(selection.funnel) == BUCKETS
    for bucket in BUCKETS:
        assert selection.funnel[bucket] == int((expected == bucket).sum()), bucket
    # Row by row, not only the counts.
    assert (selection.buckets.astype(str).to_numpy() == expected.to_numpy()).all()
    # The sample is built to look like Kansen in Kaart: about half selected.
    assert 4_500 < selection.selected < 5_500
    assert selection.funnel["invalid"] == 6


def test_funnel_with_approached_people(sample_register):
    people = sample_register.people
    first = select(people, AS_OF, 2, set(), PENSION)
    chosen = people.loc[(first.buckets == "selected").to_numpy(), "client_id"].head(300)
    approached = frozenset(chosen)
    second = select(people, AS_OF, 2, approached, PENSION)
    expected = independent_buckets(SAMPLE_CSV, AS_OF, approached=approached)
    assert second.funnel["already_approached"] == 300 == int((expected == "already_approached").sum())
    assert second.selected == first.selected - 300


@pytest.mark.parametrize("years", [0, 1, 5])
def test_window_years(sample_register, years):
    selection = select(sample_register.people, AS_OF, years, set(), PENSION)
    expected = independent_buckets(SAMPLE_CSV, AS_OF, years=years)
    assert selection.funnel["recent_contact"] == int((expected == "recent_contact").sum())


def test_order_decides_overlaps():
    people = pd.DataFrame(
        {
            "client_id": pd.array(["1", "2", "3", "4", "5", "6"], dtype="string"),
            "invalid": [True, False, False, False, False, False],
            "active_guidance": pd.array([True, True, None, False, False, False], dtype="boolean"),
            "care_team": pd.array([True, True, True, None, False, False], dtype="boolean"),
            "last_contact": pd.to_datetime(
                ["2026-01-01", "2026-01-01", "2026-01-01", "2026-01-01", None, None]
            ),
            "last_guidance": pd.to_datetime([None] * 5 + ["2024-10-01"]),
            "birth_date": pd.to_datetime(["1950-01-01"] * 6),
        }
    )
    selection = select(people, AS_OF, 2, {"5"}, PENSION)
    assert selection.buckets.astype(str).tolist() == [
        "invalid",
        "active_guidance",
        "care_team",
        "recent_contact",
        "already_approached",
        "recent_contact",  # guidance ended exactly on the window's first day: still recent
    ]
    assert selection.as_json() == {
        "rows": 6,
        "funnel": {
            "invalid": 1,
            "active_guidance": 1,
            "care_team": 1,
            "recent_contact": 2,
            "already_approached": 1,
            "pension_age": 0,
            "selected": 0,
        },
        "selected": 0,
    }


def test_window_start_and_ages():
    assert window_start(dt.date(2026, 10, 1), 2) == dt.date(2024, 10, 1)
    assert window_start(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
    births = np.array(["1959-10-01", "1959-10-02", "2000-02-29", "NaT"], dtype="datetime64[s]")
    assert ages_on(births, dt.date(2026, 10, 1)).tolist() == [67, 66, 26, -1]


def test_bucket_names_may_not_clash():
    with pytest.raises(SettingsError, match="selected"):
        bucket_order([Exclusion(bucket="selected", min_age=60)])
    with pytest.raises(SettingsError, match="komt twee keer voor"):
        bucket_order([Exclusion(bucket="x", min_age=60), Exclusion(bucket="x", max_age=18)])


@st.composite
def frames(draw):
    n = draw(st.integers(0, 60))
    flags = st.sampled_from([True, False, None])
    day = st.one_of(st.none(), st.dates(dt.date(1940, 1, 1), dt.date(2030, 1, 1)))
    return pd.DataFrame(
        {
            "client_id": pd.array([str(i) for i in range(n)], dtype="string"),
            "invalid": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
            "active_guidance": pd.array(draw(st.lists(flags, min_size=n, max_size=n)), dtype="boolean"),
            "care_team": pd.array(draw(st.lists(flags, min_size=n, max_size=n)), dtype="boolean"),
            "last_contact": pd.to_datetime(
                pd.Series(draw(st.lists(day, min_size=n, max_size=n)), dtype=object)
            ),
            "last_guidance": pd.to_datetime(
                pd.Series(draw(st.lists(day, min_size=n, max_size=n)), dtype=object)
            ),
            "birth_date": pd.to_datetime(
                pd.Series(draw(st.lists(day, min_size=n, max_size=n)), dtype=object)
            ),
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.sets(st.integers(0, 60).map(str)), st.integers(0, 5))
def test_every_row_in_exactly_one_bucket(frame, approached, years):
    selection = select(frame, AS_OF, years, approached, PENSION)
    assert sum(selection.funnel.values()) == len(frame)
    assert selection.buckets.notna().all()
    assert selection.buckets.value_counts().to_dict() == selection.funnel
    # Selected people are valid, not guided, not in care, no recent contact, not approached.
    chosen = frame[(selection.buckets == "selected").to_numpy()]
    assert not chosen["invalid"].any()
    assert not chosen["active_guidance"].fillna(False).any()
    assert not chosen["client_id"].isin(approached).any()


# --------------------------------------------------------------------------- the CLI


def test_select_json_has_exactly_spec_keys(invoke, campaign):
    result = invoke("select", SAMPLE_CSV, "--as-of", "2026-10-01", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"rows", "funnel", "selected"}
    assert data["rows"] == 10_000
    assert list(data["funnel"]) == BUCKETS
    assert sum(data["funnel"].values()) == data["rows"]
    assert data["selected"] == data["funnel"]["selected"]
    expected = independent_buckets(SAMPLE_CSV, AS_OF)
    assert data["funnel"] == {b: int((expected == b).sum()) for b in BUCKETS}


# The funnel's labels as the glossary and issue 16 name them; a configured exclusion keeps its name.
DUTCH_LABELS = {
    "invalid": "ongeldig",
    "active_guidance": "actieve begeleiding",
    "care_team": "bekend bij wijkteam",
    "recent_contact": "recent contact",
    "already_approached": "al benaderd",
    "pension_age": "pension_age",
    "selected": "geselecteerd",
}
ENGLISH_LABELS = {
    "invalid": "invalid",
    "active_guidance": "active guidance",
    "care_team": "known to the care team",
    "recent_contact": "recent contact",
    "already_approached": "already approached",
    "pension_age": "pension_age",
    "selected": "selected",
}


def _funnel_rows(stdout: str, labels: dict[str, str]) -> dict[str, str]:
    """Each bucket's table line, found by its label in the first cell."""
    rows = {}
    for line in stdout.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        for code, label in labels.items():
            if cells and cells[0] == label:
                rows[code] = line
    return rows


def test_select_prints_the_funnel_in_dutch(invoke, campaign, small_register):
    counts = json.loads(
        invoke(
            "select",
            small_register,
            "--as-of",
            "2026-10-01",
            "-c",
            make_campaign(campaign.parent / "j"),
            "--json",
        ).stdout
    )["funnel"]
    result = invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign)
    assert result.exit_code == 0, result.stderr
    lines = _funnel_rows(result.stdout, DUTCH_LABELS)
    assert set(lines) == set(counts) - {"pension_age"} | ({"pension_age"} & set(counts))
    for code, line in lines.items():
        share = f"{100 * counts[code] / 600:.1f}".replace(".", ",")  # Dutch decimal comma
        assert line.split("│")[2].strip() == str(counts[code])
        assert line.split("│")[3].strip() == share
    assert "Selectietrechter" in result.stdout
    assert "peildatum 01-10-2026" in " ".join(result.stdout.split())
    assert "rijen registerbestand" in result.stdout
    assert "100,0" in result.stdout
    for code in ("active_guidance", "care_team", "recent_contact", "already_approached"):
        assert code not in result.stdout  # the codes are for --json only


def test_select_prints_the_funnel_in_english_with_lang_en(invoke, campaign, small_register):
    result = invoke("--lang", "en", "select", small_register, "--as-of", "2026-10-01", "-c", campaign)
    assert result.exit_code == 0, result.stderr
    lines = _funnel_rows(result.stdout, ENGLISH_LABELS)
    assert {"invalid", "active_guidance", "care_team", "selected"} <= set(lines)
    assert "register rows" in result.stdout
    assert "600" in result.stdout
    assert "100.0" in result.stdout
    assert "Selection funnel" in result.stdout


def test_select_json_keeps_the_bucket_codes(invoke, campaign, small_register):
    data = json.loads(
        invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign, "--json").stdout
    )
    assert {"active_guidance", "care_team", "recent_contact", "already_approached"} <= set(data["funnel"])


def test_select_funnel_at_80_columns_breaks_no_word(invoke, campaign, small_register, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign)
    assert result.exit_code == 0, result.stderr
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    lines = _funnel_rows(result.stdout, DUTCH_LABELS)
    for code in (
        "invalid",
        "active_guidance",
        "care_team",
        "recent_contact",
        "already_approached",
        "selected",
    ):
        assert code in lines, DUTCH_LABELS[code]  # the label whole, in one cell of one line
    table_lines = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(table_lines) == len(lines) + 1  # one line per bucket and the total: nothing wrapped


def test_select_out_file(invoke, campaign, small_register, tmp_path):
    out = tmp_path / "selectie.xlsx"
    data = json.loads(
        invoke(
            "select", small_register, "--as-of", "2026-10-01", "-c", campaign, "--out", out, "--json"
        ).stdout
    )
    frame = pd.read_excel(out, dtype={"client_id": str}, engine="openpyxl")
    assert len(frame) == data["selected"]
    assert "bsn" not in frame.columns
    assert frame["client_id"].is_unique
    again = invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign, "--out", out)
    assert again.exit_code == 1
    assert "--force" in again.stderr


def test_bad_as_of_is_usage_error(invoke, campaign, small_register):
    result = invoke("select", small_register, "--as-of", "31-31-2026", "-c", campaign)
    assert result.exit_code == 2


def test_already_approached_survives_lost_leading_zeros(invoke, campaign, tmp_path):
    """A register re-saved by Excel turns 0088403 into 88403: still the same, approached person."""
    import json

    register = tmp_path / "register.csv"
    rows = [f"00{n};Jansen;Straat;{n};9741AB;Groningen;Selwerd;;;Nee;Nee;01-01-1980" for n in range(101, 111)]
    header = (
        "Klantnummer;Achternaam;Straat;Huisnummer;Postcode;Woonplaats;Wijk;Datum laatste gesprek;"
        "Einddatum laatste traject;Actieve begeleiding;Bekend bij WIJ-team;Geboortedatum"
    )
    register.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert invoke("select", register, "--as-of", "2026-10-01", "-c", campaign).exit_code == 0
    assert invoke("batch", "-c", campaign).exit_code == 0
    resaved = tmp_path / "resaved.csv"
    resaved.write_text(register.read_text(encoding="utf-8").replace("\n00", "\n"), encoding="utf-8")
    assert "\n101;" in resaved.read_text(encoding="utf-8")
    result = invoke("select", resaved, "--as-of", "2026-10-01", "-c", campaign, "--json")
    assert result.exit_code == 0, result.output
    funnel = json.loads(result.stdout)["funnel"]
    assert funnel["already_approached"] == 10
    assert funnel["selected"] == 0


def test_select_workflow_counts_from_today_unless_told_and_the_cli_prints_its_json(
    small_register: Path, tmp_path: Path, invoke
) -> None:
    from kansen_cli.settings import Settings
    from kansen_cli.workflows import select as workflow

    day = dt.date(2026, 10, 1)
    a, b, c = (make_campaign(tmp_path / name) for name in "abc")
    by_today = workflow.run(a, Settings(), small_register, today=day)
    named = workflow.run(b, Settings(), small_register, today=dt.date(2031, 1, 1), as_of=day)
    assert by_today.selection.as_of == named.selection.as_of == day
    assert by_today.as_json() == named.as_json()
    printed = invoke("select", small_register, "--as-of", day.isoformat(), "-c", c, "--json")
    assert printed.exit_code == 0, printed.stderr
    assert json.loads(printed.stdout) == by_today.as_json()
