"""`kansen caseload`: the coach's workbook, read back as written, on a hand-built ledger.

The ledger (TODAY = 2026-11-20, review every 13 weeks = 91 days):
- T0001, wijk Noord, coach cm1 since 2026-06-01: rung 2 at intake (06-01), rung 3 at the
  review of 09-01; goal 1 (werk, set 06-01, target 2026-12-01, start -1) scored 0 on 09-01;
  a phone call on 10-15. Last contact 10-15; last review 09-01, so the next is due
  09-01 + 91 days = 2026-12-01 (29 days to 09-30, 31 to 10-31, 30 to 11-30, 1 more).
- T0002, wijk Zuid, coach cm1 since 2026-08-03: nothing recorded. Last contact 08-03; review
  due 08-03 + 91 days = 2026-11-02 (28 + 30 + 31 + 2), before today: one review due.
- T0003, coach cm2 since 2026-07-01: someone else's caseload.
- T0004, coach cm1 from 2026-01-10, ended 2026-05-01 (verhuisd): no longer anyone's.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from dates import TODAY
from kansen_cli.ledger import open_ledger
from trajectory_helpers import people_ledger, start_trajectory

WRITTEN = TODAY.isoformat()  # 2026-11-20


def build_caseload_ledger(campaign: Path) -> Path:
    people_ledger(campaign, {"T0001": "Noord", "T0002": "Zuid", "T0003": "Noord", "T0004": "Oost"})
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        first = start_trajectory(db, "T0001", "cm1", "2026-06-01")
        start_trajectory(db, "T0002", "cm1", "2026-08-03")
        start_trajectory(db, "T0003", "cm2", "2026-07-01")
        ended = start_trajectory(db, "T0004", "cm1", "2026-01-10")
        db.execute(
            "UPDATE trajectories SET ended_on = '2026-05-01', end_reason = 'verhuisd'"
            " WHERE trajectory_id = ?",
            (ended,),
        )
        db.execute("UPDATE coach_assignments SET until_on = '2026-05-01' WHERE trajectory_id = ?", (ended,))
        for on_date, rung in (("2026-06-01", 2), ("2026-09-01", 3)):
            db.execute(
                "INSERT INTO ladder_steps VALUES (?, 'T0001', ?, ?, 'hand', 't')", (first, on_date, rung)
            )
        db.execute(
            "INSERT INTO goals (goal_id, trajectory_id, client_id, domain, description, set_on, target_on,"
            " baseline, source_file, loaded_at) VALUES (1, ?, 'T0001', 'werk', 'Sollicitatiebrief schrijven',"
            " '2026-06-01', '2026-12-01', -1, 'hand', 't')",
            (first,),
        )
        db.execute("INSERT INTO goal_scores VALUES (1, 'T0001', '2026-09-01', 0, 'hand', 't')")
        db.execute(
            "INSERT INTO contact_moments VALUES (?, 'T0001', '2026-10-15', 'telefonisch', 'cm1', NULL,"
            " 'hand', 't')",
            (first,),
        )
    return campaign


@pytest.fixture
def coached(campaign: Path) -> Path:
    return build_caseload_ledger(campaign)


def write_book(invoke, campaign: Path, *args: str) -> dict[str, Any]:
    result = invoke("caseload", *args, "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    """The rows of a sheet as header -> value."""
    ws = load_workbook(path)[sheet]
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


# ---------------------------------------------------------------------------- the workbook


def test_one_coach_workbook_shows_the_caseload(invoke, coached: Path) -> None:
    data = write_book(invoke, coached, "cm1")
    book_path = coached / "caseload" / f"caseload-cm1-{WRITTEN}.xlsx"
    assert data == {
        "written_on": WRITTEN,
        "workbooks": [
            {
                "coach": "cm1",
                "kind": "professional",
                "cap": 50,
                "people": 2,
                "goals": 1,
                "reviews_due": 1,
                "file": str(book_path),
            }
        ],
        "without_people": [],
    }
    assert stat.S_IMODE(book_path.stat().st_mode) == 0o600
    book = load_workbook(book_path)
    assert book.sheetnames == ["Deelnemers", "Uitleg", "Doelen", "Nieuwe doelen", "_lijsten", "_kansen"]
    assert book["_kansen"].sheet_state == "hidden"
    marker = {r[0]: r[1] for r in book["_kansen"].iter_rows(values_only=True)}
    assert (marker["kind"], marker["coach"], marker["written_on"]) == ("caseload", "cm1", WRITTEN)

    people = sheet_rows(book_path, "Deelnemers")
    assert [p["Klantnummer"] for p in people] == ["T0001", "T0002"]
    first, second = people
    assert first["Naam"] == "T. Testpersoon T0001"
    assert first["Wijk"] == "Noord"
    assert first["In traject sinds"].date().isoformat() == "2026-06-01"
    assert first["Laatste contact"].date().isoformat() == "2026-10-15"
    assert first["Evaluatie gepland"].date().isoformat() == "2026-12-01"
    assert (first["Trede bij start"], first["Laatste trede"]) == (
        "2 Sociale contacten buitenshuis",
        "3 Deelname aan georganiseerde activiteiten",
    )
    assert second["Laatste contact"].date().isoformat() == "2026-08-03"
    assert second["Evaluatie gepland"].date().isoformat() == "2026-11-02"
    assert (second["Trede bij start"], second["Laatste trede"]) == (None, None)
    for answer in ("Datum", "Soort contact", "Trede nu", "Traject beëindigd"):
        assert first[answer] is None

    goals = sheet_rows(book_path, "Doelen")
    assert goals == [
        {
            "Doelnummer": 1,
            "Klantnummer": "T0001",
            "Naam": "T. Testpersoon T0001",
            "Leefgebied": "Werk",
            "Omschrijving": "Sollicitatiebrief schrijven",
            "Streefdatum": goals[0]["Streefdatum"],
            "Startniveau": "-1 Minder dan verwacht",
            "Laatste score": "0 Zoals verwacht",
            "Datum evaluatie": None,
            "Score": None,
        }
    ]
    assert goals[0]["Streefdatum"].date().isoformat() == "2026-12-01"
    new = sheet_rows(book_path, "Nieuwe doelen")
    assert [r["Klantnummer"] for r in new] == ["T0001"] * 3 + ["T0002"] * 3
    assert all(r["Leefgebied"] is None and r["Omschrijving"] is None for r in new)


def test_dropdowns_and_locks(invoke, coached: Path) -> None:
    book_path = Path(write_book(invoke, coached, "cm1")["workbooks"][0]["file"])
    book = load_workbook(book_path)
    lists = book["_lijsten"]

    def dropdowns(sheet: str) -> dict[str, list[str]]:
        """First cell of each validated range -> the labels its list offers."""
        out = {}
        for validation in book[sheet].data_validations.dataValidation:
            if validation.type == "date":
                continue
            column = lists[validation.formula1.split("!")[1].replace("$", "").split(":")[0][0]]
            labels = [c.value for c in column[1:] if c.value is not None]
            out[str(validation.sqref).split(":")[0]] = labels
        return out

    people = dropdowns("Deelnemers")
    assert people["J2"] == [
        "Huisbezoek",
        "Op kantoor",
        "Telefonisch",
        "Samen op pad",
        "Berichten (app, mail)",
    ]
    assert people["K2"][0] == "1 Geïsoleerd" and people["K2"][-1] == "6 Betaald werk"
    assert len(people["K2"]) == 6
    assert "Werk gevonden" in people["L2"] and len(people["L2"]) == 7
    gas = ["-2 Veel minder dan verwacht", "-1 Minder dan verwacht", "0 Zoals verwacht"]
    gas += ["+1 Meer dan verwacht", "+2 Veel meer dan verwacht"]
    assert dropdowns("Doelen") == {"J2": gas}
    new = dropdowns("Nieuwe doelen")
    assert new["F2"] == gas and new["C2"][0] == "Dagbesteding" and len(new["C2"]) == 7
    for name, open_columns in (("Deelnemers", "IJKL"), ("Doelen", "IJ"), ("Nieuwe doelen", "CDEF")):
        sheet = book[name]
        assert sheet.protection.sheet
        for cell in sheet[2]:
            assert cell.protection.locked is (cell.column_letter not in open_columns), (name, cell.coordinate)


def test_every_coach_with_people_gets_one(invoke, coached: Path, tmp_path: Path) -> None:
    out = tmp_path / "boeken"
    data = write_book(invoke, coached, "--out", str(out))
    assert [(w["coach"], w["people"], w["goals"]) for w in data["workbooks"]] == [
        ("cm1", 2, 1),
        ("cm2", 1, 0),
    ]
    assert data["without_people"] == ["cm3", "cm4"]
    assert sorted(p.name for p in out.iterdir()) == [
        f"caseload-cm1-{WRITTEN}.xlsx",
        f"caseload-cm2-{WRITTEN}.xlsx",
    ]
    again = invoke("caseload", "-c", coached, "--out", out)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert invoke("caseload", "-c", coached, "--out", out, "--force").exit_code == 0


def test_unknown_coach_and_coach_without_people(invoke, coached: Path) -> None:
    result = invoke("caseload", "zz9", "-c", coached)
    assert result.exit_code == 1
    assert "'zz9'" in result.stderr and "cm1, cm2, cm3, cm4" in result.stderr
    result = invoke("caseload", "cm3", "-c", coached)
    assert result.exit_code == 0
    assert "Coach cm3 heeft niemand" in result.stderr
    assert not (coached / "caseload").exists()


def test_reading_functions(coached: Path) -> None:
    from kansen_cli.ledger.caseload import caseload_people, open_goals
    from kansen_cli.ledger.trajectories import caseloads

    with open_ledger(coached, create=False) as ledger:
        people = caseload_people(ledger, "cm1", review_weeks=4)
        goals = open_goals(ledger, "cm1")
        sizes = caseloads(ledger)
    # 4 weeks = 28 days: 09-01 + 28 = 09-29; 08-03 + 28 = 08-31.
    assert people["review_due"].tolist() == ["2026-09-29", "2026-08-31"]
    assert people["last_review"].tolist()[0] == "2026-09-01"
    # An intake is no review: T0002's first rung leaves the review due 28 days after the start.
    with open_ledger(coached) as ledger, ledger.transaction() as db:
        db.execute("INSERT INTO ladder_steps VALUES (2, 'T0002', '2026-08-10', 1, 'hand', 't')")
    with open_ledger(coached, create=False) as ledger:
        again = caseload_people(ledger, "cm1", review_weeks=4).set_index("client_id")
    assert again.loc["T0002", "review_due"] == "2026-08-31"
    assert pd.isna(again.loc["T0002", "last_review"])
    assert (again.loc["T0002", "intake_rung"], again.loc["T0002", "latest_rung"]) == (1, 1)
    assert goals[["goal_id", "latest_score", "latest_review"]].values.tolist() == [[1, 0, "2026-09-01"]]
    assert sizes == {"cm1": 2, "cm2": 1}


# ---------------------------------------------------------------------------- the scales


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-1, -1),
        (2.0, 2),
        ("-1", -1),
        ("−2", -2),  # a typographic minus
        ("+1", 1),
        ("1", 1),
        ("-1 Minder dan verwacht", -1),
        ("  -1   minder DAN verwacht ", -1),
        ("Zoals verwacht", 0),
        ("-1 Zoals verwacht", None),  # number and label disagree
        ("3", 3),  # a number, out of range: the caller says so
        (1.5, None),
        ("veel", None),
        (True, None),
    ],
)
def test_gas_level_as_typed(value: Any, expected: int | None) -> None:
    from kansen_cli.trajectory import GAS_LABELS
    from kansen_cli.workbooks.scales import level

    assert level(value, GAS_LABELS) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4, 4),
        ("4", 4),
        ("4 Onbetaald werk", 4),
        ("Betaald werk", 6),
        ("geïsoleerd", 1),
        ("7", 7),
        ("x", None),
    ],
)
def test_ladder_level_as_typed(value: Any, expected: int | None) -> None:
    from kansen_cli.trajectory import LADDER_LABELS
    from kansen_cli.workbooks.scales import level

    assert level(value, LADDER_LABELS) == expected


def test_json_is_what_the_workflow_returns(invoke, coached: Path, tmp_path: Path) -> None:
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import caseload

    printed = write_book(invoke, coached, "--out", str(tmp_path / "cli"))
    returned = caseload.run(coached, load_settings(coached), TODAY, out=tmp_path / "core").as_json()
    for data in (printed, returned):
        for book in data["workbooks"]:
            book["file"] = Path(book["file"]).name
    assert printed == returned


def test_every_dropdown_choice_reads_back_as_its_level() -> None:
    from kansen_cli.trajectory import GAS_LABELS, LADDER_LABELS
    from kansen_cli.workbooks.scales import GAS_CHOICES, LADDER_CHOICES, level

    assert [level(text, GAS_LABELS) for text in GAS_CHOICES] == [-2, -1, 0, 1, 2]
    assert [level(text, LADDER_LABELS) for text in LADDER_CHOICES] == [1, 2, 3, 4, 5, 6]
