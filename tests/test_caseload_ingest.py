"""`kansen ingest` of a filled coach's workbook: what it records, idempotency, history, and
every kind of bad input refused whole, named by file, row, column and value.

The ledger is `test_caseload.build_caseload_ledger` (trajectory 1: T0001 with cm1 since
2026-06-01, goal 1 set 2026-06-01; trajectory 2: T0002 with cm1 since 2026-08-03; T0003 is
cm2's). The workbook of cm1 holds Deelnemers rows 2 (T0001) and 3 (T0002), Doelen row 2
(goal 1), and Nieuwe doelen rows 2-4 (T0001) and 5-7 (T0002).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from dates import TODAY
from kansen_cli.ledger import open_ledger
from registration_helpers import ledger_rows
from safety_helpers import ledger_dump
from test_caseload import build_caseload_ledger

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

Edits = dict[tuple[str, int, str], Any]  # (sheet, row, header) -> value

GOOD: Edits = {
    ("Deelnemers", 2, "Datum"): dt.datetime(2026, 11, 10),
    ("Deelnemers", 2, "Soort contact"): "Huisbezoek",
    ("Deelnemers", 2, "Trede nu"): "4 Onbetaald werk",
    ("Deelnemers", 3, "Datum"): "12-11-2026",  # typed as text
    ("Deelnemers", 3, "Soort contact"): "Telefonisch",
    ("Deelnemers", 3, "Trede nu"): 2,  # the number alone
    ("Deelnemers", 3, "Traject beëindigd"): "Werk gevonden",
    ("Doelen", 2, "Datum evaluatie"): dt.datetime(2026, 11, 10),
    ("Doelen", 2, "Score"): "+1 Meer dan verwacht",
    ("Nieuwe doelen", 2, "Leefgebied"): "Gezondheid",
    ("Nieuwe doelen", 2, "Omschrijving"): "Elke week zwemmen",
    ("Nieuwe doelen", 2, "Streefdatum"): dt.datetime(2027, 3, 1),
    ("Nieuwe doelen", 5, "Leefgebied"): "Wonen",
    ("Nieuwe doelen", 5, "Omschrijving"): "Huis opruimen",
    ("Nieuwe doelen", 5, "Startniveau (leeg: -1 Minder dan verwacht)"): "-2",
}


@pytest.fixture
def written(invoke, campaign: Path) -> tuple[Path, Path]:
    """(campaign, the cm1 workbook written today)."""
    build_caseload_ledger(campaign)
    # The workbook in Dutch (its headers are the ones GOOD names); messages stay English.
    result = invoke("--lang", "nl", "caseload", "cm1", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    return campaign, Path(json.loads(result.stdout)["workbooks"][0]["file"])


def fill_book(source: Path, target: Path, edits: Edits) -> Path:
    """Type values into cells by sheet, Excel row and header, as a coach would."""
    book = load_workbook(source)
    for (sheet, row, header), value in edits.items():
        ws = book[sheet]
        column = next(c.column for c in ws[1] if c.value == header)
        ws.cell(row=row, column=column, value=value)
    book.save(target)
    return target


def ingest(invoke, campaign: Path, path: Path) -> tuple[int, dict[str, Any]]:
    result = invoke("ingest", path, "-c", campaign, "--json")
    return result.exit_code, json.loads(result.stdout)


def counts(data: dict[str, Any]) -> tuple[int, ...]:
    return tuple(data[k] for k in ("new", "updated", "unchanged", "rejected", "blank"))


def without_loaded_files(campaign: Path) -> dict[str, Any]:
    dump = ledger_dump(campaign)
    dump.pop("loaded_files")
    return dump


# ---------------------------------------------------------------------------- loading


def test_a_filled_workbook_loads_everything(invoke, written: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, book = written
    filled = fill_book(book, tmp_path / "cm1.xlsx", GOOD)
    code, data = ingest(invoke, campaign, filled)
    assert code == 0, data
    # 2 contacts, 2 rungs, 1 end, 1 score, 2 goals; 4 empty new-goal rows.
    assert counts(data) == (8, 0, 0, 0, 4)
    contacts = ledger_rows(
        campaign,
        "SELECT trajectory_id, client_id, on_date, kind, coach FROM contact_moments ORDER BY on_date",
    )
    assert contacts == [
        {
            "trajectory_id": 1,
            "client_id": "T0001",
            "on_date": "2026-10-15",
            "kind": "telefonisch",
            "coach": "cm1",
        },
        {
            "trajectory_id": 1,
            "client_id": "T0001",
            "on_date": "2026-11-10",
            "kind": "huisbezoek",
            "coach": "cm1",
        },
        {
            "trajectory_id": 2,
            "client_id": "T0002",
            "on_date": "2026-11-12",
            "kind": "telefonisch",
            "coach": "cm1",
        },
    ]
    rungs = ledger_rows(campaign, "SELECT trajectory_id, on_date, rung FROM ladder_steps ORDER BY 1, 2")
    assert [tuple(r.values()) for r in rungs] == [
        (1, "2026-06-01", 2),
        (1, "2026-09-01", 3),
        (1, "2026-11-10", 4),
        (2, "2026-11-12", 2),  # T0002's first rung: the intake
    ]
    scores = ledger_rows(campaign, "SELECT goal_id, reviewed_on, score FROM goal_scores ORDER BY 2")
    assert [tuple(r.values()) for r in scores] == [(1, "2026-09-01", 0), (1, "2026-11-10", 1)]
    goals = ledger_rows(
        campaign,
        "SELECT goal_id, trajectory_id, client_id, domain, description, set_on, target_on, baseline"
        " FROM goals WHERE goal_id > 1 ORDER BY goal_id",
    )
    assert [tuple(g.values()) for g in goals] == [
        (2, 1, "T0001", "gezondheid", "Elke week zwemmen", TODAY.isoformat(), "2027-03-01", -1),
        (3, 2, "T0002", "wonen", "Huis opruimen", TODAY.isoformat(), None, -2),
    ]
    ended = ledger_rows(campaign, "SELECT ended_on, end_reason FROM trajectories WHERE trajectory_id = 2")
    assert ended == [{"ended_on": "2026-11-12", "end_reason": "werk"}]
    assignments = ledger_rows(
        campaign, "SELECT coach, until_on FROM coach_assignments WHERE trajectory_id = 2"
    )
    assert assignments == [{"coach": "cm1", "until_on": "2026-11-12"}]
    # The next workbook no longer holds T0002, whose trajectory ended.
    again = invoke("caseload", "cm1", "-c", campaign, "--json", "--force")
    assert json.loads(again.stdout)["workbooks"][0]["people"] == 1


def test_the_same_file_twice_changes_nothing(invoke, written: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, book = written
    filled = fill_book(book, tmp_path / "cm1.xlsx", GOOD)
    assert ingest(invoke, campaign, filled)[0] == 0
    before = without_loaded_files(campaign)
    code, data = ingest(invoke, campaign, filled)
    assert code == 0, data
    # T0002's trajectory ended with the first load; its rows change nothing, so they still load.
    assert counts(data) == (0, 0, 8, 0, 4)
    assert without_loaded_files(campaign) == before
    assert ledger_rows(campaign, "SELECT * FROM history") == []


def test_a_changed_value_is_an_update_with_history(
    invoke, written: tuple[Path, Path], tmp_path: Path
) -> None:
    campaign, book = written
    filled = fill_book(book, tmp_path / "cm1.xlsx", GOOD)
    assert ingest(invoke, campaign, filled)[0] == 0
    changed = {
        ("Doelen", 2, "Score"): 0,
        ("Deelnemers", 2, "Trede nu"): "Betaald werk met ondersteuning",
        ("Nieuwe doelen", 2, "Streefdatum"): "01-04-2027",
        ("Nieuwe doelen", 2, "Omschrijving"): "  elke week  zwemmen ",  # the same goal, typed loosely
    }
    code, data = ingest(invoke, campaign, fill_book(filled, tmp_path / "cm1-b.xlsx", changed))
    assert code == 0, data
    assert counts(data) == (0, 3, 5, 0, 4)
    assert ledger_rows(campaign, "SELECT score FROM goal_scores WHERE reviewed_on = '2026-11-10'") == [
        {"score": 0}
    ]
    assert ledger_rows(campaign, "SELECT rung FROM ladder_steps WHERE on_date = '2026-11-10'") == [
        {"rung": 5}
    ]
    assert ledger_rows(
        campaign, "SELECT count(*) AS n, max(target_on) AS t FROM goals WHERE domain = 'gezondheid'"
    ) == [{"n": 1, "t": "2027-04-01"}]
    history = ledger_rows(campaign, "SELECT kind, client_id, old_json, source_file FROM history ORDER BY id")
    old = {h["kind"]: json.loads(h["old_json"]) for h in history}
    assert {h["source_file"] for h in history} == {"cm1-b.xlsx"}
    assert old["goal_score"] == {"goal_id": 1, "reviewed_on": "2026-11-10", "score": 1}
    assert old["ladder_step"] == {"trajectory_id": 1, "on_date": "2026-11-10", "rung": 4}
    assert old["goal"]["target_on"] == "2027-03-01"
    assert "description" not in old["goal"]  # the history keeps no personal text


def test_a_corrected_contact_kind_replaces_the_contact(
    invoke, written: tuple[Path, Path], tmp_path: Path
) -> None:
    campaign, book = written
    filled = fill_book(book, tmp_path / "cm1.xlsx", GOOD)  # T0001: Huisbezoek on 10-11-2026
    assert ingest(invoke, campaign, filled)[0] == 0
    with open_ledger(campaign) as ledger, ledger.transaction() as db:  # a note, as purge knows them
        db.execute("UPDATE contact_moments SET note = 'Praat over schulden' WHERE on_date = '2026-11-10'")
    corrected = fill_book(
        filled, tmp_path / "cm1-b.xlsx", {("Deelnemers", 2, "Soort contact"): "Telefonisch"}
    )
    code, data = ingest(invoke, campaign, corrected)
    assert code == 0, data
    assert counts(data) == (0, 1, 7, 0, 4)
    contacts = ledger_rows(
        campaign, "SELECT kind, coach, note, source_file FROM contact_moments WHERE on_date = '2026-11-10'"
    )
    # One contact, of the corrected kind; the note stays with it.
    assert contacts == [
        {"kind": "telefonisch", "coach": "cm1", "note": "Praat over schulden", "source_file": "cm1-b.xlsx"}
    ]
    history = ledger_rows(campaign, "SELECT kind, client_id, old_json, source_file FROM history")
    assert len(history) == 1
    assert (history[0]["kind"], history[0]["client_id"], history[0]["source_file"]) == (
        "contact_moment",
        "T0001",
        "cm1-b.xlsx",
    )
    # The old kind is kept, the personal note is not.
    assert json.loads(history[0]["old_json"]) == {
        "trajectory_id": 1,
        "on_date": "2026-11-10",
        "kind": "huisbezoek",
        "coach": "cm1",
    }


# ---------------------------------------------------------------------------- bad input


def refused(invoke, campaign: Path, path: Path) -> list[dict[str, Any]]:
    """Ingest a bad file: exit code 1, nothing loaded, no name or description printed."""
    before = ledger_dump(campaign)
    result = invoke("ingest", path, "-c", campaign, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["not_loaded"] == [path.name]
    assert ledger_dump(campaign) == before
    for private in ("Testpersoon", "zwemmen", "opruimen"):
        assert private not in result.stdout + result.stderr
    problems: list[dict[str, Any]] = data["files"][0]["problems"]
    assert all(p["file"] == path.name for p in problems)
    return problems


BAD_CELLS = [
    # (sheet, row, header, value) -> (column, shown value, problem)
    (("Doelen", 2, "Score", "+3"), ("Score", "+3", "bad_score")),
    (("Doelen", 2, "Score", -3), ("Score", "-3", "bad_score")),
    # Number and label disagree; text that is not a label is shown by its length only.
    (("Doelen", 2, "Score", "-1 Zoals verwacht"), ("Score", "<text of 17 characters>", "bad_score")),
    (
        ("Nieuwe doelen", 2, "Startniveau (leeg: -1 Minder dan verwacht)", 3),
        ("Startniveau", "3", "bad_score"),
    ),
    (("Deelnemers", 2, "Trede nu", 7), ("Trede nu", "7", "bad_rung")),
    (("Deelnemers", 2, "Trede nu", "0 Geïsoleerd"), ("Trede nu", "<text of 12 characters>", "bad_rung")),
    (
        ("Deelnemers", 2, "Datum", dt.datetime(2026, 5, 31)),
        ("Datum", "31-05-2026", "date_too_early"),
    ),
    (
        ("Deelnemers", 2, "Datum", dt.datetime(2026, 11, 21)),
        ("Datum", "21-11-2026", "date_in_future"),
    ),
    (("Doelen", 2, "Datum evaluatie", "31-05-2026"), ("Datum evaluatie", "31-05-2026", "date_too_early")),
    (("Doelen", 2, "Doelnummer", 99), ("Doelnummer", "99", "unknown_goal")),
    (("Deelnemers", 2, "Soort contact", None), ("Soort contact", None, "missing")),
    (("Deelnemers", 2, "Datum", None), ("Datum", None, "missing")),
    (("Deelnemers", 3, "Klantnummer", "T0003"), ("Klantnummer", "T0003", "not_in_caseload")),
    (("Nieuwe doelen", 2, "Leefgebied", None), ("Leefgebied", None, "missing")),
    (
        ("Nieuwe doelen", 2, "Leefgebied", "Hobby"),
        ("Leefgebied", "<text of 5 characters>", "unknown_value"),
    ),
    (
        ("Deelnemers", 3, "Traject beëindigd", "Klaar"),
        ("Traject beëindigd", "<text of 5 characters>", "unknown_value"),
    ),
]


@pytest.mark.parametrize(("cell", "expected"), BAD_CELLS)
def test_a_bad_cell_is_named_and_nothing_loads(
    invoke, written: tuple[Path, Path], tmp_path: Path, cell: tuple[Any, ...], expected: tuple[Any, ...]
) -> None:
    campaign, book = written
    sheet, row, header, value = cell
    bad = fill_book(book, tmp_path / "cm1.xlsx", {**GOOD, (sheet, row, header): value})
    problems = refused(invoke, campaign, bad)
    column, shown, kind = expected
    found = [(p["row"], p["column"], p["value"], p["kind"]) for p in problems]
    assert found == [(row, f"{sheet}: {header}", shown, kind)]
    assert column in header


def test_a_workbook_of_another_campaign_or_coach(invoke, written: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, book = written
    filled = fill_book(book, tmp_path / "cm1.xlsx", GOOD)
    for key, value, kind in (("campaign", "Elders", "wrong_campaign"), ("coach", "zz9", "unknown_coach")):
        other = load_workbook(filled)
        marker = other["_kansen"]
        row = next(r for r in range(1, marker.max_row + 1) if marker.cell(r, 1).value == key)
        marker.cell(row, 2, value)
        path = tmp_path / f"{key}.xlsx"
        other.save(path)
        problems = refused(invoke, campaign, path)
        assert [(p["row"], p["value"], p["kind"]) for p in problems] == [(None, value, kind)]


def test_a_person_who_moved_to_another_coach(invoke, written: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, book = written
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        db.execute("UPDATE coach_assignments SET until_on = '2026-11-15' WHERE trajectory_id = 2")
        db.execute(
            "INSERT INTO coach_assignments (trajectory_id, client_id, coach, coach_kind, from_on,"
            " assigned_at) VALUES (2, 'T0002', 'cm2', 'professional', '2026-11-15', 't')"
        )
    problems = refused(invoke, campaign, fill_book(book, tmp_path / "cm1.xlsx", GOOD))
    found = [(p["row"], p["column"], p["value"], p["kind"]) for p in problems]
    assert found == [
        (3, "Deelnemers: Klantnummer", "T0002", "not_in_caseload"),
        (5, "Nieuwe doelen: Klantnummer", "T0002", "not_in_caseload"),
    ]
    assert "moved to coach 'cm2'" in problems[0]["message"]


def test_an_end_reason_on_a_trajectory_that_ended_already(
    invoke, written: tuple[Path, Path], tmp_path: Path
) -> None:
    campaign, book = written
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        db.execute(
            "UPDATE trajectories SET ended_on = '2026-11-15', end_reason = 'verhuisd' WHERE trajectory_id = 2"
        )
        db.execute("UPDATE coach_assignments SET until_on = '2026-11-15' WHERE trajectory_id = 2")
    edits = {k: v for k, v in GOOD.items() if k[:2] != ("Nieuwe doelen", 5)}
    problems = refused(invoke, campaign, fill_book(book, tmp_path / "cm1.xlsx", edits))
    assert [(p["row"], p["column"], p["value"], p["kind"]) for p in problems] == [
        (3, "Deelnemers: Traject beëindigd", "Werk gevonden", "already_ended")
    ]
    assert "15 Nov 2026" in problems[0]["message"] and "Verhuisd" in problems[0]["message"]
    # Without the end reason: a contact after the end (16-11) is refused, naming the end's date.
    edits.pop(("Deelnemers", 3, "Traject beëindigd"))
    late = {**edits, ("Deelnemers", 3, "Datum"): "16-11-2026"}
    problems = refused(invoke, campaign, fill_book(book, tmp_path / "cm1-b.xlsx", late))
    assert [(p["row"], p["column"], p["value"], p["kind"]) for p in problems] == [
        (3, "Deelnemers: Datum", "16-11-2026", "not_in_caseload")
    ]
    assert "ended on 15 Nov 2026" in problems[0]["message"]
    # The contact and rung of 12-11, before the end, were still this coach's to record: they load.
    code, data = ingest(invoke, campaign, fill_book(book, tmp_path / "cm1-c.xlsx", edits))
    assert code == 0, data
    # T0001: contact, rung, score, new goal; T0002: contact, rung. Blank: 5 new-goal rows.
    assert counts(data) == (6, 0, 0, 0, 5)
    assert ledger_rows(campaign, "SELECT on_date, kind FROM contact_moments WHERE trajectory_id = 2") == [
        {"on_date": "2026-11-12", "kind": "telefonisch"}
    ]
    assert ledger_rows(campaign, "SELECT on_date, rung FROM ladder_steps WHERE trajectory_id = 2") == [
        {"on_date": "2026-11-12", "rung": 2}
    ]
    assert ledger_rows(campaign, "SELECT ended_on, end_reason FROM trajectories WHERE trajectory_id = 2") == [
        {"ended_on": "2026-11-15", "end_reason": "verhuisd"}
    ]


def test_the_text_report_names_file_row_column_and_value(
    invoke, written: tuple[Path, Path], tmp_path: Path
) -> None:
    campaign, book = written
    bad = fill_book(book, tmp_path / "cm1.xlsx", {**GOOD, ("Doelen", 2, "Score"): "+3"})
    result = invoke("ingest", bad, "-c", campaign)
    assert result.exit_code == 1
    text = result.stdout + result.stderr
    for part in ("cm1.xlsx", "Doelen: Score", "+3", "-2 to +2"):
        assert part in text


def test_an_older_copy_is_told_among_the_same_coachs_files(
    invoke, written: tuple[Path, Path], tmp_path: Path
) -> None:
    campaign, book = written
    first = fill_book(book, tmp_path / "cm1-a.xlsx", GOOD)
    assert ingest(invoke, campaign, first)[0] == 0
    # cm2's workbook, written and loaded in between, is not one of cm1's copies.
    result = invoke("--lang", "nl", "caseload", "cm2", "-c", campaign, "--json")
    cm2_book = Path(json.loads(result.stdout)["workbooks"][0]["file"])
    cm2 = fill_book(
        cm2_book,
        tmp_path / "cm2.xlsx",
        {("Deelnemers", 2, "Datum"): "19-11-2026", ("Deelnemers", 2, "Soort contact"): "Op kantoor"},
    )
    code, data = ingest(invoke, campaign, cm2)
    assert code == 0 and data["files"][0]["batch_id"] == "cm2"
    copy = fill_book(book, tmp_path / "cm1-b.xlsx", {**GOOD, ("Doelen", 2, "Score"): "0 Zoals verwacht"})
    code, data = ingest(invoke, campaign, copy)
    assert code == 0, data
    assert counts(data)[:3] == (0, 1, 7)
    [warning] = data["warnings"]
    assert "cm1-a.xlsx" in warning and "cm2.xlsx" not in warning


# ---------------------------------------------------------------------------- the demo's coach


def test_two_simulated_review_rounds_load_whole(campaign: Path, tmp_path: Path) -> None:
    """The demo's simulated coach fills what `ingest` accepts, the same for the same seed."""
    from kansen_cli.settings import load_settings
    from kansen_cli.simulate_caseload import fill_caseload
    from kansen_cli.workflows import caseload
    from kansen_cli.workflows import ingest as ingesting

    build_caseload_ledger(campaign)
    settings = load_settings(campaign)
    for number, day in enumerate((dt.date(2026, 8, 20), TODAY), start=1):
        written = caseload.run(campaign, settings, day, coach="cm1", out=tmp_path / f"r{number}")
        source = written.workbooks[0].file
        filled = tmp_path / f"round-{number}.xlsx"
        filled_counts = fill_caseload(source, filled, 7, settings, day)
        twin = tmp_path / f"twin-{number}.xlsx"
        assert fill_caseload(source, twin, 7, settings, day) == filled_counts
        assert [list(ws.values) for ws in load_workbook(twin)] == [
            list(ws.values) for ws in load_workbook(filled)
        ]
        result = ingesting.run(campaign, settings, [filled], day)
        assert result.not_loaded == [], result.files[0].problems
        assert result.totals["new"] == sum(filled_counts.values())
        assert result.totals["rejected"] == 0
    # Round 1 gave T0002 (who had none) new goals; round 2 scored them on TODAY.
    scored = ledger_rows(
        campaign,
        "SELECT count(*) AS n FROM goal_scores s JOIN goals g USING (goal_id)"
        " WHERE g.client_id = 'T0002' AND s.reviewed_on = ?",
        (TODAY.isoformat(),),
    )
    new_goals = ledger_rows(campaign, "SELECT count(*) AS n FROM goals WHERE client_id = 'T0002'")
    assert scored == new_goals and new_goals[0]["n"] in (1, 2)


def test_skip_invalid_loads_the_valid_rows_whole(invoke, written: tuple[Path, Path], tmp_path: Path) -> None:
    campaign, book = written
    bad = fill_book(book, tmp_path / "cm1.xlsx", {**GOOD, ("Deelnemers", 2, "Trede nu"): 9})
    result = invoke("ingest", bad, "-c", campaign, "--json", "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # T0001's Deelnemers row (contact and rung) is left out whole; the other 6 records load.
    assert counts(data) == (6, 0, 0, 1, 4)
    contacts = ledger_rows(campaign, "SELECT client_id, on_date FROM contact_moments ORDER BY on_date")
    assert contacts == [
        {"client_id": "T0001", "on_date": "2026-10-15"},
        {"client_id": "T0002", "on_date": "2026-11-12"},
    ]
