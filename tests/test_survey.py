"""`kansen survey`: who is sampled, the survey workbook and its checks, and the report's section.

Expected figures are worked out by hand in the comments, or by scipy on the same numbers; the
golden files were written by the code and checked against those hand figures.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dates import TODAY
from kansen_cli import stats
from kansen_cli.ledger import open_ledger
from kansen_cli.ledger.reporting import read_report_data
from kansen_cli.report import build_report
from kansen_cli.report_render import to_json, to_markdown
from kansen_cli.settings import Settings
from kansen_cli.survey import NON_PARTICIPANT, PARTICIPANT, allocate, draw_sample, group_of
from registration_helpers import build_campaign, fill, ledger_rows
from safety_helpers import ledger_dump
from test_report import GOLDEN, NOW, build_golden_ledger

# Dutch, the default: the workbooks, their headers and the messages these tests assert.

ROLES = Settings().codebook.roles

# ---------------------------------------------------------------------------- who is sampled


def test_groups_follow_the_contact_result() -> None:
    assert group_of("gesproken", ROLES) == PARTICIPANT
    for declined in ("afgezegd", "niet_thuis", "niet_bereikt"):
        assert group_of(declined, ROLES) == NON_PARTICIPANT
    # Moved or benefit ended: not asked. No result yet: not asked either.
    assert group_of("vervallen", ROLES) is None
    assert group_of(None, ROLES) is None
    assert group_of(float("nan"), ROLES) is None


def test_allocation_by_hand() -> None:
    assert allocate(10, {"a": 50, "b": 30, "c": 20}) == {"a": 5, "b": 3, "c": 2}
    # 5 * 3/7 = 2.14, 2.14, 5 * 1/7 = 0.71: floors 2, 2, 0; the one place left goes to c.
    assert allocate(5, {"a": 3, "b": 3, "c": 1}) == {"a": 2, "b": 2, "c": 1}
    # Fewer people than places: everyone.
    assert allocate(10, {"a": 3, "b": 4}) == {"a": 3, "b": 4}


def _population(sizes: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = []
    for (result, wijk), n in sizes.items():
        rows += [
            {
                "client_id": f"{wijk}-{result}-{i:03d}",
                "contact_result": result,
                "neighbourhood": wijk,
                "variant": "A",
            }
            for i in range(n)
        ]
    return pd.DataFrame(rows, columns=["client_id", "contact_result", "neighbourhood", "variant"])


RESULTS = ("gesproken", "afgezegd", "niet_thuis", "vervallen")


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.dictionaries(
        st.tuples(st.sampled_from(RESULTS), st.sampled_from(["noord", "zuid", "oost"])),
        st.integers(0, 30),
        max_size=12,
    ),
    size=st.integers(1, 40),
    seed=st.integers(0, 2**31),
    by=st.sampled_from([None, "wijk"]),
)
def test_samples_are_the_right_size_from_the_right_group(sizes, size, seed, by) -> None:
    population = _population(sizes)
    sample = draw_sample(population, ROLES, size, seed, by)
    ids = [client_id for client_id, _, _ in sample]
    assert len(ids) == len(set(ids))
    result_of = dict(zip(population["client_id"], population["contact_result"], strict=True))
    wijk_of = dict(zip(population["client_id"], population["neighbourhood"], strict=True))
    for group in (PARTICIPANT, NON_PARTICIPANT):
        eligible = [c for c, r in result_of.items() if group_of(r, ROLES) == group]
        chosen = [c for c, g, _ in sample if g == group]
        assert len(chosen) == min(size, len(eligible))
        assert all(group_of(result_of[c], ROLES) == group for c in chosen)
        if by == "wijk" and eligible:
            # Each wijk gets its proportional share, rounded one way or the other.
            for wijk in {wijk_of[c] for c in eligible}:
                share = min(size, len(eligible)) * sum(wijk_of[c] == wijk for c in eligible) / len(eligible)
                taken = sum(wijk_of[c] == wijk for c in chosen)
                assert math.floor(share) <= taken <= math.ceil(share)
    # The same seed draws the same people, whatever the order of the ledger's rows.
    shuffled = population.sample(frac=1, random_state=seed % 1000)
    assert draw_sample(shuffled, ROLES, size, seed, by) == sample


def test_another_seed_draws_other_people() -> None:
    population = _population({("gesproken", "noord"): 200})
    first = draw_sample(population, ROLES, 20, 1, None)
    assert draw_sample(population, ROLES, 20, 1, None) == first
    assert draw_sample(population, ROLES, 20, 2, None) != first


# ---------------------------------------------------------------------------- statistics


def test_t_interval_worked_by_hand() -> None:
    # Marks 6 and 8: mean 7, s = √2, standard error 1, t(0.975; 1 df) = 12.7062.
    mean = stats.mean_t([6, 8])
    assert (mean.nobs, mean.mean, mean.median) == (2, 7, 7)
    assert mean.ci_low == pytest.approx(7 - 12.7062, abs=1e-4)
    assert mean.ci_high == pytest.approx(7 + 12.7062, abs=1e-4)
    # One mark: a mean and median, no interval; none: nothing.
    assert stats.mean_t([9]) == stats.Mean(1, 9, None, None, 9)
    assert stats.mean_t([]) == stats.Mean(0, None, None, None, None)


def test_welch_worked_by_hand() -> None:
    # 6, 8 against 4, 6: difference 2; variances 2 and 2, se = √(2/2 + 2/2) = √2;
    # df = (1 + 1)² / (1²/1 + 1²/1) = 2; t(0.975; 2) = 4.3027; half width 4.3027·√2 = 6.0849.
    diff = stats.welch([6, 8], [4, 6])
    assert diff.difference == pytest.approx(2)
    assert diff.df == pytest.approx(2)
    assert diff.ci_low == pytest.approx(2 - 6.0849, abs=1e-4)
    assert diff.ci_high == pytest.approx(2 + 6.0849, abs=1e-4)


@settings(max_examples=40, deadline=None)
@given(
    first=st.lists(st.integers(1, 10), min_size=2, max_size=40),
    second=st.lists(st.integers(1, 10), min_size=2, max_size=40),
)
def test_mean_and_welch_agree_with_scipy(first: list[int], second: list[int]) -> None:
    import numpy as np
    from scipy import stats as sp

    mean = stats.mean_t(first)
    assert mean.mean == pytest.approx(np.mean(first))
    assert mean.median == pytest.approx(np.median(first))
    if np.std(first) > 0:
        low, high = sp.t.interval(0.95, len(first) - 1, loc=np.mean(first), scale=sp.sem(first))
        assert (mean.ci_low, mean.ci_high) == (pytest.approx(low), pytest.approx(high))
    if np.std(first) > 0 and np.std(second) > 0:
        test = sp.ttest_ind(first, second, equal_var=False)
        interval = test.confidence_interval(0.95)
        diff = stats.welch(first, second)
        assert diff.difference == pytest.approx(np.mean(first) - np.mean(second))
        assert (diff.ci_low, diff.ci_high) == (pytest.approx(interval.low), pytest.approx(interval.high))
        assert diff.df == pytest.approx(test.df)
        assert diff.p_value == pytest.approx(test.pvalue)


# ---------------------------------------------------------------------------- the golden section

# client, group, call result, mark (None: "Geen cijfer"), answers, reason. Hand figures below.
SURVEYED = [
    ("n101", PARTICIPANT, "afgenomen", 8, {"brief_duidelijk": True, "duur_bekend": False}, None),
    ("n102", PARTICIPANT, "afgenomen", 7, {"brief_duidelijk": True}, None),
    ("n103", PARTICIPANT, "afgenomen", 9, {"brief_duidelijk": False, "duur_bekend": True}, None),
    ("n106", PARTICIPANT, "afgenomen", 6, {}, None),
    ("n108", PARTICIPANT, "afgenomen", None, {"brief_duidelijk": True}, None),
    ("n104", NON_PARTICIPANT, "afgenomen", 5, {"brief_duidelijk": False}, "geen_behoefte"),
    ("n105", NON_PARTICIPANT, "afgenomen", 7, {}, "al_actief"),
    ("n109", NON_PARTICIPANT, "niet_bereikt", None, {}, None),
    ("z04", NON_PARTICIPANT, None, None, {}, None),  # not called yet
]


def build_survey_ledger(campaign: Path) -> Path:
    build_golden_ledger(campaign)
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO surveys VALUES (1, ?, '2026-04-01', 2016, 25, '', ?)",
            (NOW, json.dumps(Settings().survey.questions)),
        )
        for client, group, result, mark, answers, reason in SURVEYED:
            db.execute("INSERT INTO survey_members VALUES (1, ?, ?, '')", (client, group))
            if result is not None:
                db.execute(
                    "INSERT INTO survey_answers VALUES (1, ?, '2026-04-10', ?, ?, ?, ?, 'e.xlsx', ?)",
                    (client, result, mark, json.dumps(answers), reason, NOW),
                )
    return campaign


@pytest.fixture
def surveyed(campaign: Path) -> Path:
    return build_survey_ledger(campaign)


def survey_report(campaign: Path, **kwargs: Any):
    start, end = kwargs.pop("start", None), kwargs.pop("end", None)
    with open_ledger(campaign, create=False) as ledger:
        data = read_report_data(ledger, start, end)
    return build_report(data, Settings(), start, end, **kwargs)


def wilson_by_formula(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_section_figures_by_hand(surveyed: Path) -> None:
    data = survey_report(surveyed).data["satisfaction"]
    part, non = data["groups"][PARTICIPANT], data["groups"][NON_PARTICIPANT]
    # Participants: 5 sampled and surveyed; marks 8, 7, 9, 6 (one gave none): mean 7.5,
    # median 7.5; 7 or more: 3 of 4. s² = (0.25 + 0.25 + 2.25 + 2.25) / 3 = 5/3, se = 0.6455,
    # t(0.975; 3) = 3.1824: 7.5 ± 2.0543.
    assert (part["sampled"], part["results"]["afgenomen"], part["not_called"]) == (5, 5, 0)
    assert (part["marks"], part["mean"], part["median"]) == (4, 7.5, 7.5)
    assert part["mean_ci_low"] == pytest.approx(7.5 - 2.0543, abs=1e-4)
    assert part["share_7_or_more"] == 0.75
    low, high = wilson_by_formula(3, 4)
    assert (part["share_ci_low"], part["share_ci_high"]) == (round(low, 4), round(high, 4))
    # Non-participants: 4 sampled, 2 surveyed, 1 not reached, 1 not called; marks 5 and 7.
    assert (non["sampled"], non["results"]["afgenomen"], non["results"]["niet_bereikt"]) == (4, 2, 1)
    assert (non["not_called"], non["marks"], non["mean"], non["median"]) == (1, 2, 6.0, 6.0)
    assert non["share_7_or_more"] == 0.5
    # Welch: 7.5 − 6 = 1.5; se² = (5/3)/4 + 2/2 = 1.4167; df = 1.4167² / ((5/12)²/3 + 1²/1) = 1.8971.
    assert data["difference"]["difference"] == 1.5
    assert data["difference"]["df"] == pytest.approx(1.4167**2 / ((5 / 12) ** 2 / 3 + 1), abs=1e-3)
    # Yes/no: participants said yes to the letter being clear 3 times of 4 answers (n106 gave none).
    assert part["questions"]["brief_duidelijk"] == {"yes": 3, "answered": 4, "share_yes": 0.75}
    assert part["questions"]["duur_bekend"] == {"yes": 1, "answered": 2, "share_yes": 0.5}
    assert part["questions"]["datum_kiezen"] == {"yes": 0, "answered": 0, "share_yes": None}
    assert non["questions"]["brief_duidelijk"] == {"yes": 0, "answered": 1, "share_yes": 0.0}
    # Reasons of the 2 surveyed non-participants.
    assert data["reasons"]["geen_behoefte"] == {"count": 1, "share": 0.5}
    assert data["reasons"]["al_actief"] == {"count": 1, "share": 0.5}
    assert data["reasons"]["geen_reden"] == {"count": 0, "share": 0.0}
    assert part["distribution"] == {str(m): (1 if m in (6, 7, 8, 9) else 0) for m in range(1, 11)}


def test_without_a_survey_the_section_is_absent(campaign: Path) -> None:
    report = survey_report(build_golden_ledger(campaign))
    assert "satisfaction" not in report.data
    assert not any(t.name.startswith("enquete") for t in report.tables)


def test_publish_hides_means_of_fewer_than_the_minimum(surveyed: Path) -> None:
    data = survey_report(surveyed, publish=True).data["satisfaction"]
    # 4 and 2 marks, below report.min_denominator (10): no mean, share or difference shown;
    # counts from 1 to 4 are hidden like everywhere.
    for group in (PARTICIPANT, NON_PARTICIPANT):
        values = data["groups"][group]
        assert values["mean"] is None and values["median"] is None and values["share_7_or_more"] is None
        assert values["marks"] is None  # 4 and 2: below the threshold of 5
    assert all(value is None for value in data["difference"].values())
    assert data["groups"][PARTICIPANT]["sampled"] == 5


@pytest.mark.parametrize(("publish", "name"), [(False, "survey.md"), (True, "survey_publish.md")])
def test_golden_markdown(surveyed: Path, publish: bool, name: str) -> None:
    text = to_markdown(survey_report(surveyed, publish=publish))
    section = text[text.index("## Enquête") : text.index("## Van register tot actief")]
    assert section == (GOLDEN / name).read_text(encoding="utf-8")


def test_golden_json(surveyed: Path) -> None:
    data = json.loads(to_json(survey_report(surveyed)))
    expected = json.loads((GOLDEN / "survey.json").read_text(encoding="utf-8"))
    assert data["satisfaction"] == expected


def test_cli_table_and_xlsx(surveyed: Path, invoke, tmp_path: Path) -> None:
    result = invoke("report", "-c", surveyed)
    assert result.exit_code == 0, result.stderr
    for text in ("Enquête: het cijfer voor de gemeente per groep", "7,5", "Geen reden genoemd"):
        assert text in result.stdout
    out = tmp_path / "rapport.xlsx"
    assert invoke("report", "-c", surveyed, "--format", "xlsx", "--out", out).exit_code == 0
    rows = [list(r) for r in load_workbook(out)["tevredenheid"].iter_rows(values_only=True)]
    assert rows[1][:3] == ["Deelnemer", 4, 7.5] and rows[1][5] == 7.5 and rows[1][6] == 75.0
    assert rows[2][:3] == ["Niet-deelnemer", 2, 6.0]


def test_cli_charts_include_the_marks(surveyed: Path, invoke, tmp_path: Path) -> None:
    result = invoke("report", "-c", surveyed, "--charts", tmp_path / "grafieken")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "grafieken" / "cijfers.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------- through the workbook

OUTCOME_SQL = (
    "INSERT INTO outcomes (client_id, batch_id, contact_result, conversation_date, source_file,"
    " source_sha256, loaded_at) VALUES (?, ?, ?, ?, 'r.xlsx', 'x', 't')"
)


@pytest.fixture
def results_campaign(invoke, campaign: Path, small_register: Path) -> Path:
    """A batch of 50 with results: 30 spoken, 15 declined or not at home, 5 moved."""
    build_campaign(invoke, campaign, small_register)
    people = ledger_rows(
        campaign, "SELECT client_id, batch_id FROM batch_members ORDER BY batch_id, position"
    )
    results = ["gesproken"] * 30 + ["afgezegd", "niet_thuis", "niet_bereikt"] * 5 + ["vervallen"] * 5
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        for person, result in zip(people[: len(results)], results, strict=True):
            date = "2026-10-20" if result == "gesproken" else None
            db.execute(OUTCOME_SQL, (person["client_id"], person["batch_id"], result, date))
    return campaign


def _survey(invoke, campaign: Path, *args: str) -> dict[str, Any]:
    result = invoke("survey", "-c", campaign, "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _rows(path: Path) -> list[tuple[str, str]]:
    sheet = load_workbook(path)["Enquête"]
    return [(str(r[0]), str(r[3])) for r in sheet.iter_rows(min_row=2, values_only=True)]


def test_groningen_marks_through_the_survey_workbook(invoke, results_campaign: Path, tmp_path: Path) -> None:
    """21 participants' marks averaging 7.8 and 9 non-participants' averaging 6.3 (Groningen, O+S)."""
    drawn = _survey(invoke, results_campaign, "--size", "21")
    assert drawn["sampled"] == {PARTICIPANT: 21, NON_PARTICIPANT: 15}
    assert drawn["population"] == {PARTICIPANT: 30, NON_PARTICIPANT: 15}
    rows = _rows(Path(drawn["file"]))
    participants = [c for c, g in rows if g == "Deelnemer"]
    others = [c for c, g in rows if g == "Niet-deelnemer"]
    # 21 marks summing to 164 (7.81 → 7,8) and 9 summing to 57 (6.33 → 6,3).
    marks_in = [8] * 15 + [7] * 5 + [9]
    marks_out = [6] * 6 + [7] * 3
    assert (sum(marks_in), sum(marks_out)) == (164, 57)
    day = TODAY  # the sample is drawn today (KANSEN_TODAY): no call can be older
    answers: dict[str, dict[str, Any]] = {
        c: {"call_date": day, "survey_result": "Afgenomen", "mark": m}
        for c, m in zip(participants, marks_in, strict=True)
    }
    for index, client in enumerate(others):
        if index < 9:
            answers[client] = {"call_date": day, "survey_result": "Afgenomen", "mark": str(marks_out[index])}
            answers[client]["reason"] = "Al actief" if index < 5 else "Geen behoefte"
        elif index < 12:
            answers[client] = {"call_date": day, "survey_result": "Afgenomen", "mark": "Geen cijfer"}
        else:
            answers[client] = {"call_date": day.strftime("%d-%m-%Y"), "survey_result": "Niet bereikt"}
    filled = tmp_path / "enquete-ingevuld.xlsx"
    fill(Path(drawn["file"]), filled, answers)
    loaded = invoke("ingest", "-c", results_campaign, filled, "--json")
    assert loaded.exit_code == 0, loaded.stdout
    assert json.loads(loaded.stdout)["files"][0]["new"] == 36
    report = invoke("report", "-c", results_campaign, "--format", "md")
    assert report.exit_code == 0, report.stderr
    assert "| Deelnemer | 21 | 7,8 |" in report.stdout
    assert "| Niet-deelnemer | 9 | 6,3 |" in report.stdout
    # "More than half said they were already active": 5 of the 12 surveyed non-participants.
    assert "| Al actief | 5 | 41,7 |" in report.stdout


def test_nobody_is_sampled_twice(invoke, results_campaign: Path) -> None:
    first = _survey(invoke, results_campaign, "--size", "10")
    second = _survey(invoke, results_campaign, "--size", "10", "--out", results_campaign / "tweede.xlsx")
    assert second["survey_id"] == first["survey_id"] + 1
    assert not {c for c, _ in _rows(Path(first["file"]))} & {c for c, _ in _rows(Path(second["file"]))}
    assert second["population"] == {PARTICIPANT: 20, NON_PARTICIPANT: 5}
    sampled = ledger_rows(results_campaign, "SELECT count(*) AS n FROM survey_members")
    assert sampled == [{"n": 35}]


BAD_CELLS = [
    ("mark", 0, "bad_mark"),
    ("mark", 11, "bad_mark"),
    ("mark", 7.5, "bad_mark"),
    ("mark", "goed", "bad_mark"),
    ("mark", None, "missing"),
    ("call_date", TODAY + dt.timedelta(days=1), "date_in_future"),
    ("call_date", TODAY - dt.timedelta(days=400), "date_too_early"),
    ("survey_result", "Misschien", "unknown_value"),
    ("q_brief_duidelijk", "Soms", "unknown_value"),
]


@pytest.mark.parametrize(("column", "value", "problem"), BAD_CELLS)
def test_a_bad_cell_is_named_and_nothing_loads(
    invoke, results_campaign: Path, tmp_path: Path, column: str, value: Any, problem: str
) -> None:
    drawn = _survey(invoke, results_campaign, "--size", "3")
    rows = _rows(Path(drawn["file"]))
    good = {"call_date": TODAY, "survey_result": "Afgenomen", "mark": 8}
    answers = {rows[0][0]: good, rows[1][0]: {**good, column: value}}
    filled = tmp_path / "enquete.xlsx"
    excel_rows = fill(Path(drawn["file"]), filled, answers)
    before = ledger_dump(results_campaign)
    result = invoke("ingest", "-c", results_campaign, filled, "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["files"][0]
    assert found["loaded"] is False
    assert [(p["row"], p["kind"]) for p in found["problems"]] == [(excel_rows[rows[1][0]], problem)]
    assert ledger_dump(results_campaign) == before


def test_reason_for_a_participant_twice_the_same_person_and_a_stranger(
    invoke, results_campaign: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook as load

    drawn = _survey(invoke, results_campaign, "--size", "3")
    book = load(drawn["file"])
    sheet = book["Enquête"]
    participant = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 4).value == "Deelnemer")
    done = {5: TODAY, 6: "Afgenomen", 7: 8}
    for column, value in {**done, 11: "Al actief"}.items():
        sheet.cell(participant, column, value)
    # The same person again, and someone not in the sample, in new rows below.
    twice, stranger = sheet.max_row + 1, sheet.max_row + 2
    for column in range(1, 5):
        sheet.cell(twice, column, sheet.cell(participant, column).value)
    sheet.cell(stranger, 1, "99999")
    for row in (twice, stranger):
        for column, value in done.items():
            sheet.cell(row, column, value)
    filled = tmp_path / "enquete.xlsx"
    book.save(filled)
    before = ledger_dump(results_campaign)
    result = invoke("ingest", "-c", results_campaign, filled, "--json")
    assert result.exit_code == 1
    found = {(p["row"], p["column"], p["kind"]) for p in json.loads(result.stdout)["files"][0]["problems"]}
    assert found == {
        (participant, "Reden niet deelgenomen", "reason_for_participant"),
        (twice, "Klantnummer", "duplicate"),
        (stranger, "Klantnummer", "not_in_sample"),
    }
    assert ledger_dump(results_campaign) == before


def test_survey_outside_a_campaign_with_results(invoke, campaign: Path, small_register: Path) -> None:
    build_campaign(invoke, campaign, small_register)
    result = invoke("survey", "-c", campaign)
    assert result.exit_code == 1
    assert "niemand om te enquêteren" in result.stderr
    assert not (campaign / "enquetes").exists()
    assert ledger_rows(campaign, "SELECT count(*) AS n FROM surveys") == [{"n": 0}]


def test_a_mark_in_the_follow_up_call_is_optional_and_checked() -> None:
    from kansen_cli.workbooks import followup

    keys = [c.key for c in followup.calls_columns(Settings())]
    assert "mark" in keys and "mark" not in followup.KIND.required["Nabellen"]
