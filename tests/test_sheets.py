"""kansen sheet: the registration workbook's rows, dropdowns, protection and hidden marker."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kansen_cli.settings import Settings, load_settings, preset
from kansen_cli.workbooks.layout import LISTS_SHEET, MARKER_SHEET
from kansen_cli.workbooks.registration import SHEET as REGISTRATION_SHEET
from kansen_cli.workbooks.registration import columns as registration_columns
from kansen_cli.workflows import sheet as sheet_workflow
from registration_helpers import build_campaign, ledger_rows, members, send_letters


@pytest.fixture
def written(invoke, campaign: Path, small_register: Path) -> tuple[Path, str, Path]:
    batch_id = build_campaign(invoke, campaign, small_register)
    send_letters(campaign, batch_id, plan_every=2)
    result = sheet_workflow.run(campaign, load_settings(campaign), batch_id)
    assert result.file == campaign / "sheets" / f"{batch_id}-registratie.xlsx"
    assert result.people == len(members(campaign, batch_id))
    assert result.with_appointment == (result.people + 1) // 2  # every second person, from the first
    assert result.approached == result.people and result.without_letter == 0
    return campaign, batch_id, result.file


def test_cli_prints_the_workflow_result(invoke, written):
    campaign, batch_id, path = written
    people = len(members(campaign, batch_id))
    result = invoke("sheet", batch_id, "-c", campaign, "--json", "--force")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "batch_id": batch_id,
        "file": str(path),
        "people": people,
        "with_appointment": (people + 1) // 2,
        "approached": people,
    }
    human = invoke("sheet", batch_id, "-c", campaign, "--force")
    assert human.exit_code == 0 and human.stdout == ""
    said = " ".join(human.stderr.split())
    assert f"{people} personen, {(people + 1) // 2} met een afspraak" in said
    assert "nog geen brief vastgelegd" not in said


def _headers(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1]}


def test_one_prefilled_row_per_member_in_route_order(written):
    campaign, batch_id, path = written
    ws = load_workbook(path)[REGISTRATION_SHEET]
    col = _headers(ws)
    ids = [ws.cell(row=r, column=col["Klantnummer"]).value for r in range(2, ws.max_row + 1)]
    assert ids == members(campaign, batch_id)
    assert all(isinstance(i, str) and len(i) == 7 for i in ids)  # leading zeros kept as text
    people = {r["client_id"]: r for r in ledger_rows(campaign, "SELECT * FROM people")}
    planned = {r["client_id"]: r for r in ledger_rows(campaign, "SELECT * FROM appointments")}
    for row in range(2, ws.max_row + 1):
        cid = ws.cell(row=row, column=col["Klantnummer"]).value
        assert people[cid]["surname"] in ws.cell(row=row, column=col["Naam"]).value
        assert people[cid]["postcode"] in ws.cell(row=row, column=col["Adres"]).value
        date = ws.cell(row=row, column=col["Afspraak"]).value
        consultant = ws.cell(row=row, column=col["Consulent"]).value
        if cid in planned:
            assert date.date().isoformat() == planned[cid]["date"]
            assert consultant == planned[cid]["consultant"]
            assert ws.cell(row=row, column=col["Tijd"]).value == planned[cid]["start"]
        else:
            assert date is None and consultant is None
        for header in ("Datum gesprek", "Contactresultaat", "Indeling"):
            assert ws.cell(row=row, column=col[header]).value is None


def test_every_coded_column_has_a_dropdown_of_labels(written):
    _, _, path = written
    workbook = load_workbook(path)
    ws = workbook[REGISTRATION_SHEET]
    lists = workbook[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    col = _headers(ws)
    by_column: dict[str, str] = {}
    for validation in ws.data_validations.dataValidation:
        if validation.type == "date":
            continue  # the date columns' validations: test_workbook_layout.py
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            by_column[cell_range.coord.split(":")[0].rstrip("0123456789")] = validation.formula1
    settings = Settings()
    for column in registration_columns(settings):
        letter = ws.cell(row=1, column=col[column.header]).column_letter
        if not column.choices:
            assert letter not in by_column, column.header
            continue
        formula = by_column[letter]
        sheet_ref, cells = formula.split("!")
        assert sheet_ref == f"'{LISTS_SHEET}'"
        start, end = cells.replace("$", "").split(":")
        values = [c.value for row in lists[start:end] for c in row]
        assert tuple(values) == column.choices
    cb = settings.codebook
    contact = next(c for c in registration_columns(settings) if c.key == "contact_result")
    assert contact.choices == tuple(cb.contact_result.values())
    options = [
        c.header for c in registration_columns(settings) if c.key.startswith(("activity:", "referral:"))
    ]
    assert len(options) == len(cb.activity_types) + len(cb.referrals)


def test_prefilled_columns_are_protected_and_answers_open(written):
    _, _, path = written
    ws = load_workbook(path)[REGISTRATION_SHEET]
    assert ws.protection.sheet
    columns = {c.header: c for c in registration_columns(Settings())}
    for cell in ws[2]:
        header = ws.cell(row=1, column=cell.column).value
        assert cell.protection.locked is not columns[header].answer, header


def test_hidden_marker_without_personal_data(written):
    _campaign, batch_id, path = written
    workbook = load_workbook(path)
    marker_sheet = workbook[MARKER_SHEET]
    assert marker_sheet.sheet_state == "hidden"
    marker = {r[0]: r[1] for r in marker_sheet.iter_rows(values_only=True)}
    assert marker["kind"] == "registration"
    assert marker["batch_id"] == batch_id
    assert marker["campaign"] == "Kansen in Kaart"
    assert marker["format"] == "1"
    text = json.dumps(marker)
    data = workbook[REGISTRATION_SHEET]
    col = _headers(data)
    for row in range(2, data.max_row + 1):
        for header in ("Klantnummer", "Naam", "Adres"):
            assert data.cell(row=row, column=col[header]).value not in text


def test_file_is_private_and_not_overwritten(invoke, written):
    campaign, batch_id, path = written
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = invoke("sheet", batch_id, "-c", campaign)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert invoke("sheet", batch_id, "-c", campaign, "--force").exit_code == 0
    other = campaign / "eigen.xlsx"
    assert invoke("sheet", batch_id, "-c", campaign, "--out", other).exit_code == 0
    assert other.exists()


def test_unknown_batch(invoke, written):
    campaign, _, _ = written
    result = invoke("sheet", "nergens-1", "-c", campaign)
    assert result.exit_code == 1
    assert "geen batch 'nergens-1'" in result.stderr


def test_sheet_without_a_plan_leaves_appointments_empty(invoke, campaign, small_register):
    batch_id = build_campaign(invoke, campaign, small_register)
    result = invoke("sheet", batch_id, "-c", campaign)
    assert result.exit_code == 0
    assert "nog geen brief vastgelegd" in " ".join(result.stderr.split())
    ws = load_workbook(campaign / "sheets" / f"{batch_id}-registratie.xlsx")[REGISTRATION_SHEET]
    col = _headers(ws)
    assert all(ws.cell(row=r, column=col["Afspraak"]).value is None for r in range(2, ws.max_row + 1))


def test_nijmegen_columns_use_its_partners():
    headers = [c.header for c in registration_columns(preset("nijmegen"))]
    assert "Verwijzing: WerkBedrijf" in headers and "Verwijzing: Klantmanager" in headers
    assert not any("Coach Meedoen" in h for h in headers)
    contact = next(c for c in registration_columns(preset("nijmegen")) if c.key == "contact_result")
    assert "Twee keer niet verschenen" in contact.choices and "Geen afspraak gemaakt" in contact.choices


def test_groningen_preset_matches_spec_codebook():
    cb = preset("groningen").codebook
    assert list(cb.contact_result) == ["gesproken", "afgezegd", "niet_thuis", "niet_bereikt", "vervallen"]
    assert list(cb.location) == ["thuis", "elders"]
    assert list(cb.classification) == ["maatschappelijk_actief", "arbeidspotentieel", "niet_actief"]
    assert list(cb.activity_types) == ["naaste_omgeving", "vrijwilligerswerk", "activiteiten", "deeltijdwerk"]
    assert list(cb.participation_potential) == ["geen", "zelf", "met_ondersteuning"]
    assert list(cb.referrals) == [
        "coach_meedoen",
        "wijkwerkmakelaar",
        "centrum_naar_werk",
        "wij_team",
        "ontheffing",
    ]
    assert list(cb.referral_result) == [
        "gestart",
        "in_behandeling",
        "geen_interesse",
        "niet_bereikbaar",
        "hulpverlening",
        "geen_resultaat_partner",  # issue 15: closes the referral
    ]
    assert list(cb.followup_result) == [
        "actief_geworden",
        "gemeld_wij_team",
        "stappen_gezet",
        "niet_actief",
        "geen_contact",
        "niet_meer_bellen",  # issue 15: closes the calls
    ]
    assert list(cb.consent) == ["ja", "nee"]
    nijmegen = preset("nijmegen").codebook
    assert list(nijmegen.referrals) == ["klantmanager", "participatiecoach", "werkbedrijf"]
    assert {"niet_verschenen", "geen_afspraak"} <= set(nijmegen.contact_result)


def test_names_and_addresses_with_gaps():
    from kansen_cli.workbooks.layout import person_address, person_name

    full = {"street": "Dorpsstraat", "house_number": 17.0, "house_number_addition": "a"}
    assert (
        person_address(full | {"postcode": "9700 AB", "city": "Groningen"})
        == "Dorpsstraat 17 A, 9700 AB Groningen"  # one letter of an addition in capitals (PostNL)
    )
    assert person_address({"street": "Dorpsstraat", "house_number": float("nan"), "city": "Groningen"}) == (
        "Dorpsstraat, Groningen"
    )
    assert person_name({"initials": "J.K.", "prefix": "van der", "surname": "Berg"}) == "J.K. van der Berg"
    assert person_name({"initials": None, "prefix": None, "surname": "Berg"}) == "Berg"
