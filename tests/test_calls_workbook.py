"""`kansen calls` and the ingest of its workbook: the round trip through the CLI and bad input.

A campaign whose variant B is approached by phone first: select, batch, plan, calls, the
workbook filled with openpyxl as a caller would, ingest, and calls again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from campaign_helpers import make_campaign
from dates import TODAY
from registration_helpers import build_campaign, fill, ledger_rows, set_setting

# Dutch, the default: the workbooks, their headers and the messages these tests assert.

FIRST = dt.date(2026, 11, 10)
SECOND = dt.date(2026, 11, 12)


@pytest.fixture
def phone_campaign(invoke, small_register: Path, tmp_path: Path) -> tuple[Path, str]:
    return make_phone_campaign(invoke, small_register, tmp_path)


def make_phone_campaign(invoke, small_register: Path, tmp_path: Path) -> tuple[Path, str]:
    """A campaign whose variant B is phoned first: its first batch (selected as of 1-10-2026), planned."""
    campaign = make_campaign(tmp_path / "campaign")
    set_setting(campaign, "letters", "approach", {"B": "phone_first"})
    batch = build_campaign(invoke, campaign, small_register)
    result = invoke("plan", batch, "--start", "2026-12-01", "-c", campaign)
    assert result.exit_code == 0, result.stderr
    return campaign, batch


def phone_first(campaign: Path, batch: str) -> list[dict]:
    """The batch's variant-B people in batch order, with whether they have a phone number."""
    return ledger_rows(
        campaign,
        "SELECT m.client_id, p.phone FROM batch_people m JOIN people p USING (client_id)"
        " WHERE m.batch_id = ? AND m.variant = 'B' ORDER BY m.position",
        (batch,),
    )


def calls(invoke, campaign: Path, batch: str, day: dt.date, *extra: str) -> dict:
    result = invoke("calls", batch, "--today", day.isoformat(), "-c", campaign, "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ingest(invoke, campaign: Path, path: Path):
    return invoke("ingest", path, "-c", campaign, "--json")


def test_round_trip(invoke, phone_campaign, tmp_path):
    campaign, batch = phone_campaign
    people = phone_first(campaign, batch)
    with_phone = [p["client_id"] for p in people if p["phone"]]
    without = len(people) - len(with_phone)
    assert without > 0, "the sample register has people without a phone number"

    first = calls(invoke, campaign, batch, FIRST)
    expected_file = campaign / "calls" / f"{batch}-bellen-{FIRST.isoformat()}.xlsx"
    assert first == {
        "batch": batch,
        "due": len(with_phone),
        "waiting": 0,
        "finished": 0,
        "no_phone": without,
        "file": str(expected_file),
    }
    assert stat.S_IMODE(os.stat(expected_file).st_mode) == 0o600
    sheet = load_workbook(expected_file)["Bellen"]
    listed = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert listed == with_phone
    headers = [c.value for c in sheet[1]]
    assert "Telefoon" in headers and "Voorgestelde afspraak" in headers and "Uitkomst" in headers

    a, b, c, d = with_phone[:4]
    day = FIRST.strftime("%d-%m-%Y")
    answers = {
        a: {"call_date": day, "part_of_day": "ochtend", "caller": "Sanne", "outcome": "Afspraak gemaakt"},
        b: {"call_date": day, "part_of_day": "ochtend", "caller": "Sanne", "outcome": "Geen gehoor"},
        c: {"call_date": day, "part_of_day": "middag", "caller": "Sanne", "outcome": "Wil geen gesprek"},
        d: {
            "call_date": day,
            "part_of_day": "middag",
            "caller": "Sanne",
            "outcome": "Terugbellen op",
            "callback_on": "16-11-2026",
        },
    }
    filled = tmp_path / "filled.xlsx"
    fill(expected_file, filled, answers)
    result = ingest(invoke, campaign, filled)
    assert result.exit_code == 0, result.stdout + result.stderr
    rows = ledger_rows(
        campaign,
        "SELECT client_id, round, channel, on_date, part_of_day, by_whom, outcome, callback_on"
        " FROM contact_attempts WHERE channel = 'phone' ORDER BY client_id",
    )
    assert rows == sorted(
        [
            {
                "client_id": a,
                "round": 1,
                "channel": "phone",
                "on_date": "2026-11-10",
                "part_of_day": "ochtend",
                "by_whom": "Sanne",
                "outcome": "afspraak_gemaakt",
                "callback_on": None,
            },
            {
                "client_id": b,
                "round": 1,
                "channel": "phone",
                "on_date": "2026-11-10",
                "part_of_day": "ochtend",
                "by_whom": "Sanne",
                "outcome": "geen_gehoor",
                "callback_on": None,
            },
            {
                "client_id": c,
                "round": 1,
                "channel": "phone",
                "on_date": "2026-11-10",
                "part_of_day": "middag",
                "by_whom": "Sanne",
                "outcome": "geen_gesprek",
                "callback_on": None,
            },
            {
                "client_id": d,
                "round": 1,
                "channel": "phone",
                "on_date": "2026-11-10",
                "part_of_day": "middag",
                "by_whom": "Sanne",
                "outcome": "terugbellen",
                "callback_on": "2026-11-16",
            },
        ],
        key=lambda r: r["client_id"],
    )

    # The same file again changes nothing.
    again = ingest(invoke, campaign, filled)
    assert again.exit_code == 0
    assert len(ledger_rows(campaign, "SELECT * FROM contact_attempts WHERE channel = 'phone'")) == 4

    # Two days on: a and c are finished; b is due (10 + 2 days); d waits for the 16th; the
    # people not called yet are due still.
    second = calls(invoke, campaign, batch, SECOND, "--force")
    assert (second["due"], second["waiting"], second["finished"]) == (len(with_phone) - 3, 1, 2)
    sheet = load_workbook(campaign / "calls" / f"{batch}-bellen-{SECOND.isoformat()}.xlsx")["Bellen"]
    rows2 = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(rows2) == set(with_phone) - {a, c, d}
    earlier = headers.index("Eerdere pogingen")
    assert rows2[b][earlier] == "10-11-2026 ochtend: Geen gehoor"
    assert rows2[b][headers.index("Bel bij voorkeur")] == "middag, avond"

    # A corrected row replaces the attempt and keeps the old one in the history.
    answers[b]["outcome"] = "Voicemail ingesproken"
    corrected = tmp_path / "corrected.xlsx"
    fill(expected_file, corrected, answers)
    assert ingest(invoke, campaign, corrected).exit_code == 0
    outcome = ledger_rows(
        campaign, "SELECT outcome FROM contact_attempts WHERE client_id = ? AND channel = 'phone'", (b,)
    )
    assert outcome == [{"outcome": "voicemail"}]
    history = ledger_rows(campaign, "SELECT * FROM history WHERE kind = 'attempt' AND client_id = ?", (b,))
    assert len(history) == 1


def test_batch_without_phone_first_people(invoke, small_register, tmp_path):
    campaign = make_campaign(tmp_path / "campaign")
    batch = build_campaign(invoke, campaign, small_register)
    result = invoke("calls", batch, "--today", FIRST.isoformat(), "-c", campaign)
    assert result.exit_code == 1
    assert "heeft niemand om eerst te bellen" in result.stderr
    assert not (campaign / "calls").exists()


def bad_file(invoke, campaign, batch, tmp_path, answers_of) -> tuple[dict, dict[str, int], list[str]]:
    calls(invoke, campaign, batch, FIRST)
    blank = campaign / "calls" / f"{batch}-bellen-{FIRST.isoformat()}.xlsx"
    with_phone = [p["client_id"] for p in phone_first(campaign, batch) if p["phone"]]
    answers = answers_of(with_phone)
    filled = tmp_path / "bad.xlsx"
    rows = fill(blank, filled, answers)
    result = ingest(invoke, campaign, filled)
    assert result.exit_code == 1, result.stdout
    return json.loads(result.stdout), rows, with_phone


def ok(day: str, outcome: str = "Geen gehoor", part: str = "ochtend") -> dict[str, str]:
    return {"call_date": day, "part_of_day": part, "caller": "Sanne", "outcome": outcome}


def problems_of(report: dict) -> list[dict]:
    return [p for f in report["files"] for p in f["problems"]]


def test_bad_input_every_problem_listed_nothing_loaded(invoke, phone_campaign, tmp_path):
    campaign, batch = phone_campaign
    phone_number = "06 12345678"

    def answers(ids: list[str]) -> dict[str, dict[str, str]]:
        return {
            ids[0]: ok("30-09-2026"),  # before the selection the batch was made from (1-10-2026)
            ids[1]: ok("21-11-2026"),  # after today (20-11-2026)
            ids[2]: ok("10-11-2026", outcome="Misschien"),  # not in the list
            ids[3]: ok("10-11-2026", outcome=phone_number),  # a phone number in the outcome
            ids[4]: ok("10-11-2026"),  # a valid row: not loaded either
        }

    report, rows, ids = bad_file(invoke, campaign, batch, tmp_path, answers)
    found = {(p["row"], p["column"], p["kind"]) for p in problems_of(report)}
    assert found == {
        (rows[ids[0]], "Datum gebeld", "date_too_early"),
        (rows[ids[1]], "Datum gebeld", "date_in_future"),
        (rows[ids[2]], "Uitkomst", "unknown_value"),
        (rows[ids[3]], "Uitkomst", "phone_number_in_cell"),
    }
    shown = {p["kind"]: p for p in problems_of(report)}
    assert shown["phone_number_in_cell"]["value"] == "06…"
    assert "dit lijkt een telefoonnummer" in shown["phone_number_in_cell"]["message"]
    assert "Afspraak gemaakt" in shown["unknown_value"]["message"]
    text = json.dumps(report)
    assert "12345678" not in text
    assert not ledger_rows(campaign, "SELECT * FROM contact_attempts WHERE channel = 'phone'")


def test_person_not_in_batch_and_second_call_same_day(invoke, phone_campaign, tmp_path):
    campaign, batch = phone_campaign
    # A call of the same day is in the ledger already for the first person (a morning call).
    first_file = tmp_path / "first.xlsx"
    calls(invoke, campaign, batch, FIRST)
    blank = campaign / "calls" / f"{batch}-bellen-{FIRST.isoformat()}.xlsx"
    ids = [p["client_id"] for p in phone_first(campaign, batch) if p["phone"]]
    fill(blank, first_file, {ids[1]: ok("10-11-2026")})
    assert ingest(invoke, campaign, first_file).exit_code == 0

    workbook = load_workbook(blank)
    sheet = workbook["Bellen"]
    # Row 2 (ids[0]) becomes someone not in the batch; an afternoon call to ids[1] on the same day.
    sheet.cell(row=2, column=1, value="99999")
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == ids[2]:
            for col, value in zip(
                range(9, 13), ["10-11-2026", "ochtend", "Sanne", "Geen gehoor"], strict=True
            ):
                sheet.cell(row=row, column=col, value=value)
            twice = row
        if sheet.cell(row=row, column=1).value == ids[1]:
            for col, value in zip(
                range(9, 13), ["10-11-2026", "middag", "Sanne", "Geen gehoor"], strict=True
            ):
                sheet.cell(row=row, column=col, value=value)
            again = row
    for col, value in zip(range(9, 13), ["10-11-2026", "middag", "Sanne", "Geen gehoor"], strict=True):
        sheet.cell(row=2, column=col, value=value)
    # ids[2] twice in the file on the same day: a copied row.
    last = sheet.max_row + 1
    for col in range(1, 14):
        sheet.cell(row=last, column=col, value=sheet.cell(row=twice, column=col).value)
    sheet.cell(row=last, column=10, value="avond")
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    result = ingest(invoke, campaign, bad)
    assert result.exit_code == 1
    found = {(p["row"], p["column"], p["kind"]) for p in problems_of(json.loads(result.stdout))}
    assert (2, "Klantnummer", "not_in_batch") in found
    assert (again, "Datum gebeld", "second_call_same_day") in found
    assert (last, "Datum gebeld", "second_call_same_day") in found
    assert len(ledger_rows(campaign, "SELECT * FROM contact_attempts WHERE channel = 'phone'")) == 1


def test_same_day_allowed_by_setting(invoke, phone_campaign, tmp_path):
    campaign, batch = phone_campaign
    set_setting(campaign, "calls", "same_day", True)
    calls(invoke, campaign, batch, FIRST)
    blank = campaign / "calls" / f"{batch}-bellen-{FIRST.isoformat()}.xlsx"
    ids = [p["client_id"] for p in phone_first(campaign, batch) if p["phone"]]
    morning, afternoon = tmp_path / "m.xlsx", tmp_path / "a.xlsx"
    fill(blank, morning, {ids[0]: ok("10-11-2026")})
    fill(blank, afternoon, {ids[0]: ok("10-11-2026", part="middag")})
    assert ingest(invoke, campaign, morning).exit_code == 0
    assert ingest(invoke, campaign, afternoon).exit_code == 0
    assert len(ledger_rows(campaign, "SELECT * FROM contact_attempts WHERE channel = 'phone'")) == 2


assert dt.date(2026, 11, 20) == TODAY  # the dates above are laid out around the tests' today


def test_text_output_json_and_dropdowns(invoke, phone_campaign):
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import calls as workflow

    campaign, batch = phone_campaign
    people = phone_first(campaign, batch)
    with_phone = sum(1 for p in people if p["phone"])
    result = invoke("calls", batch, "--today", FIRST.isoformat(), "-c", campaign)
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout.split()
        == (
            f"Batch {batch}: {with_phone} te bellen, 0 later aan de beurt, 0 klaar met bellen,"
            f" {len(people) - with_phone} zonder telefoonnummer."
        ).split()
    )
    # --json is exactly what the workflow returns.
    as_json = calls(invoke, campaign, batch, FIRST, "--force")
    direct = workflow.run(campaign, load_settings(campaign), batch, FIRST, force=True)
    assert as_json == direct.as_json()

    sheet = load_workbook(Path(as_json["file"]))["Bellen"]
    lists = load_workbook(Path(as_json["file"]))["_lijsten"]
    headers = [c.value for c in sheet[1]]
    validated = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "date":
            continue
        column = headers[ord(str(validation.sqref)[0]) - ord("A")]  # fewer than 26 columns
        sheet_range = validation.formula1.split("!")[1].replace("$", "")
        first, last = sheet_range.split(":")
        validated[column] = [row[0].value for row in lists[first:last]]
    assert validated == {
        "Dagdeel": ["ochtend", "middag", "avond"],
        "Uitkomst": [
            "Afspraak gemaakt",
            "Wil geen gesprek",
            "Geen gehoor",
            "Voicemail ingesproken",
            "Verkeerd nummer",
            "Terugbellen op",
        ],
    }
