"""Conversations at a location, in what people read: the letter fields, the registration sheet,
the mail-merge workbook and `kansen plan`'s overview (issue 12, item 2)."""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from kansen_cli import letter_templates as templates
from kansen_cli import letters as core
from kansen_cli.errors import TemplateFieldError
from kansen_cli.planning_locations import location_overview
from kansen_cli.settings import PlanningSettings, Settings
from kansen_cli.settings_routes import Location
from letter_helpers import golden_fields
from registration_helpers import fill, ingest, ledger_rows

# Dutch, the default: the workbooks, their headers and the messages these tests assert.

MONDAY = "2026-11-02"  # the first day planned
SENT_ON = dt.date(2026, 10, 26)
GROENESTRAAT = "Bedrijvencentrum Groenestraat"  # the Nijmegen preset's location, as the issue names it

# --- letters.place_fields ---------------------------------------------------------------------


def _settings() -> Settings:
    """Variant A meets at home, B at the Buurthuis (a location written out here, not a preset's)."""
    buurthuis = Location(
        code="buurthuis",
        name="Buurthuis De Linde",
        address=["Lindelaan 4", "9741 AB  GRONINGEN"],
        directions="Ingang aan de achterkant.",
        rooms=2,
    )
    return Settings.model_validate(
        {
            "planning": {"locations": [buurthuis.model_dump()]},
            "letters": {"place": {"A": "home", "B": "location"}},
        }
    )


def test_place_fields_at_home() -> None:
    planned = {"variant": "A", "appointment_date": "2026-11-03", "location": None}
    assert core.place_fields(planned, _settings()) == {
        "place": "home",
        "location_name": "",
        "location_address": "",
        "location_directions": "",
    }


def test_place_fields_of_a_person_planned_at_a_location() -> None:
    planned = {"variant": "B", "appointment_date": "2026-11-03", "location": "buurthuis"}
    assert core.place_fields(planned, _settings()) == {
        "place": "location",
        "location_name": "Buurthuis De Linde",
        "location_address": "Lindelaan 4, 9741 AB  GRONINGEN",
        "location_directions": "Ingang aan de achterkant.",
    }


def test_planned_at_home_wins_over_the_variants_place() -> None:
    # `kansen plan --place home` put a B person at home: the letter must not send them away.
    planned = {"variant": "B", "appointment_date": "2026-11-03", "location": None}
    assert core.place_fields(planned, _settings())["place"] == "home"


@pytest.mark.usefixtures("english_messages")  # the preflight message in English
def test_a_location_person_not_yet_planned_is_stopped_by_the_preflight() -> None:
    unplanned = {"variant": "B", "appointment_date": None, "location": None}
    fields = core.place_fields(unplanned, _settings())
    assert fields["place"] == "location"
    assert fields["location_name"] is None and fields["location_address"] is None
    letter = {**golden_fields("B"), **fields}
    with pytest.raises(TemplateFieldError) as info:
        core.preflight(templates.environment(None), [letter], "selwerd-1")
    message = str(info.value)
    assert "field 'location_name' is missing or empty for 1 of 1 people" in message
    assert "run `kansen plan selwerd-1 --start DATE`" in message
    # Directions are optional: a location without them is no problem of its own.
    assert "location_directions" not in message


# --- a Nijmegen campaign planned at Groenestraat ----------------------------------------------


def _people(campaign: Path, batch: str) -> list[str]:
    rows = ledger_rows(campaign, "SELECT client_id FROM batch_people WHERE batch_id = ?", (batch,))
    return [r["client_id"] for r in rows]


def _letters_sent(campaign: Path, batch: str) -> None:
    """Letters recorded by SQL, as the registration tests do: the sheet needs the approached."""
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        sql = "SELECT client_id, variant FROM batch_people WHERE batch_id = ?"
        rows = db.execute(sql, (batch,)).fetchall()
        db.executemany(
            "INSERT INTO letters (client_id, batch_id, variant, sent_on, recorded_at) VALUES (?,?,?,?,?)",
            [(cid, batch, variant, SENT_ON.isoformat(), "test") for cid, variant in rows],
        )


def _sheet_column(path: Path, header: str) -> dict[str, object]:
    ws = load_workbook(path)["Registratie"]
    col = {c.value: c.column for c in ws[1]}
    return {
        ws.cell(row=r, column=col["Klantnummer"]).value: ws.cell(row=r, column=col[header]).value
        for r in range(2, ws.max_row + 1)
    }


def test_the_sheet_names_the_location_and_says_thuis_for_a_home_batch(invoke, nijmegen) -> None:
    campaign, batch = nijmegen
    people = _people(campaign, batch)
    sheet = campaign / "sheets" / f"{batch}-registratie.xlsx"
    # Not planned yet: the column is there and empty.
    assert invoke("sheet", batch, "-c", campaign).exit_code == 0
    assert _sheet_column(sheet, "Afspraaklocatie") == dict.fromkeys(people)

    assert invoke("plan", batch, "--start", MONDAY, "-c", campaign).exit_code == 0
    assert invoke("sheet", batch, "-c", campaign, "--force").exit_code == 0
    ws = load_workbook(sheet)["Registratie"]
    headers = [c.value for c in ws[1]]
    # Information next to the appointment, before the answers; "Locatie" (where it took place) stays.
    assert headers.index("Consulent") < headers.index("Afspraaklocatie") < headers.index("Datum gesprek")
    assert "Locatie" in headers
    assert _sheet_column(sheet, "Afspraaklocatie") == dict.fromkeys(people, GROENESTRAAT)

    assert invoke("plan", batch, "--start", MONDAY, "--place", "home", "-c", campaign).exit_code == 0
    assert invoke("sheet", batch, "-c", campaign, "--force").exit_code == 0
    assert _sheet_column(sheet, "Afspraaklocatie") == dict.fromkeys(people, "Thuis")


def test_a_filled_sheet_of_a_location_batch_loads_and_ignores_the_information_column(
    invoke, nijmegen, tmp_path
) -> None:
    campaign, batch = nijmegen
    assert invoke("plan", batch, "--start", MONDAY, "-c", campaign).exit_code == 0
    _letters_sent(campaign, batch)
    assert invoke("sheet", batch, "-c", campaign).exit_code == 0
    first, second = _people(campaign, batch)[:2]
    filled = tmp_path / "filled.xlsx"
    fill(
        campaign / "sheets" / f"{batch}-registratie.xlsx",
        filled,
        {
            first: {
                "contact_result": "Gesproken",
                "conversation_date": "02-11-2026",
                "location": "Elders",
                "classification": "Niet maatschappelijk actief",
                "participation_potential": "Geen",
                "consent": "Nee",
                # A consultant typing over the information column changes nothing and is no error.
                "appointment_location": "ergens anders",
            },
            second: {"contact_result": "Twee keer niet verschenen"},
        },
    )
    result = ingest(campaign, filled)
    assert result["not_loaded"] == []
    assert result["files"][0]["problems"] == [] and result["files"][0]["loaded"]
    rows = ledger_rows(
        campaign,
        "SELECT client_id, contact_result, location FROM outcomes WHERE batch_id = ? ORDER BY client_id",
        (batch,),
    )
    assert sorted((r["client_id"], r["contact_result"], r["location"]) for r in rows) == sorted(
        [(first, "gesproken", "elders"), (second, "niet_verschenen", None)]
    )


def test_the_mail_merge_keeps_field_names_and_carries_the_location(invoke, nijmegen) -> None:
    campaign, batch = nijmegen
    assert invoke("plan", batch, "--start", MONDAY, "-c", campaign).exit_code == 0
    result = invoke("letters", batch, "--format", "html", "--sent-on", SENT_ON.isoformat(), "-c", campaign)
    assert result.exit_code == 0, result.stderr
    folder = campaign / "letters" / batch
    merge = load_workbook(folder / f"{batch}-mailmerge.xlsx").active
    header = [c.value for c in merge[1]]
    # Word's merge fields: fixed Dutch names without spaces, the same with --lang en.
    for name in ("Plek", "Locatie", "AdresLocatie", "Route", "Achternaam"):
        assert name in header
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in merge.iter_rows(min_row=2)]
    assert len(rows) == len(_people(campaign, batch))
    assert {r["Plek"] for r in rows} == {"location"}
    assert {r["Locatie"] for r in rows} == {GROENESTRAAT}
    assert {r["AdresLocatie"] for r in rows} == {"Groenestraat 1, 6531 AA  NIJMEGEN"}
    # The call list names them in Dutch, like its other columns.
    calls = load_workbook(folder / f"{batch}-bellijst.xlsx")
    for name in calls.sheetnames:
        if name.startswith("_"):
            continue  # the hidden list of the result dropdown
        header = [c.value for c in calls[name][1]]
        assert "Locatie" in header and "Adres locatie" in header


# --- kansen plan's overview per location -----------------------------------------------------


def test_location_overview_counts_people_and_days_per_location_leaving_home_out() -> None:
    planning = PlanningSettings(
        consultants=["A", "B"],
        locations=[
            Location(code="linde", name="Buurthuis De Linde"),
            Location(code="wijkpost", name="Wijkpost"),
        ],
    )
    appointments = pd.DataFrame(
        {
            "client_id": list("123456"),
            "date": [dt.date(2026, 11, day) for day in (3, 2, 2, 4, 2, 5)],
            "consultant": list("ABABAB"),
            "location": ["wijkpost", "linde", None, "wijkpost", "linde", "gesloten"],
        }
    )
    assert location_overview(appointments, planning) == [
        {"location": "linde", "name": "Buurthuis De Linde", "people": 2, "first": "2026-11-02",
         "last": "2026-11-02", "days": 1},
        {"location": "wijkpost", "name": "Wijkpost", "people": 2, "first": "2026-11-03",
         "last": "2026-11-04", "days": 2},
        # A code no longer in the settings still shows, by its code.
        {"location": "gesloten", "name": "gesloten", "people": 1, "first": "2026-11-05",
         "last": "2026-11-05", "days": 1},
    ]  # fmt: skip
    assert location_overview(appointments.drop(columns="location"), planning) == []


def test_plan_prints_a_table_per_location(invoke, nijmegen) -> None:
    campaign, batch = nijmegen
    members = len(_people(campaign, batch))
    # Groenestraat: 4 rooms, 9.00-17.00, an hour each, weekdays: 32 conversations a day from
    # Monday 2 November 2026 (no holiday that week), so the last day follows from the size.
    days = math.ceil(members / 32)
    last = dt.date(2026, 11, 2) + dt.timedelta(days=days - 1)
    assert days <= 5  # within the week, so no weekend to skip
    data = json.loads(invoke("plan", batch, "--start", MONDAY, "-c", campaign, "--json").stdout)
    assert data["locations"] == [
        {
            "location": "groenestraat",
            "name": GROENESTRAAT,
            "people": members,
            "first": MONDAY,
            "last": last.isoformat(),
            "days": days,
        }
    ]
    result = invoke("plan", batch, "--start", MONDAY, "-c", campaign)
    assert result.exit_code == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if GROENESTRAAT in line)
    assert line.split("│")[1:-1] == [
        f" {GROENESTRAAT} ",
        f" {members} ".rjust(len(line.split("│")[2])),
        f" {days} ".rjust(len(line.split("│")[3])),
        " 02-11-2026 ",
        f" {last:%d-%m-%Y} ",
    ]
    assert f"Op een locatie: {members} afspraken" in result.stdout
    # A home plan has no location table.
    home = invoke("--lang", "en", "plan", batch, "--start", MONDAY, "--place", "home", "-c", campaign)
    assert home.exit_code == 0 and "At a location" not in home.stdout
    assert "Plan for" in home.stdout and "consultant" in home.stdout
