"""kansen ingest: round trip, idempotence, history, all-or-nothing, rules, SIGKILL, Nijmegen."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kansen_cli.settings import Settings, preset
from kansen_cli.workbooks.cells import lookup, norm, parse_date
from kansen_cli.workbooks.reading import FilledRow, FilledWorkbook
from kansen_cli.workbooks.registration import SHEET as REGISTRATION_SHEET
from kansen_cli.workbooks.registration import RegistrationContext, plan_registration
from kansen_cli.workbooks.registration import columns as registration_columns
from registration_helpers import (
    SENT_ON,
    TODAY,
    build_campaign,
    fill,
    ingest,
    ledger_rows,
    members,
    send_letters,
)

OUTCOME_COLUMNS = (
    "client_id, contact_result, conversation_date, location, classification, activity_types,"
    " participation_potential, referrals, consent"
)


@pytest.fixture
def batch(invoke, campaign: Path, small_register: Path) -> tuple[Path, str, list[str], Path]:
    """A campaign with letters sent for its first batch and that batch's registration sheet."""
    batch_id = build_campaign(invoke, campaign, small_register)
    send_letters(campaign, batch_id)
    result = invoke("sheet", batch_id, "-c", campaign)
    assert result.exit_code == 0, result.stderr
    sheet = campaign / "sheets" / f"{batch_id}-registratie.xlsx"
    return campaign, batch_id, members(campaign, batch_id), sheet


def answers_for(ids: list[str]) -> dict[str, dict]:
    """Four people as consultants fill them: labels from the dropdowns, dates in two forms."""
    spoke_1 = TODAY - dt.timedelta(days=30)
    spoke_2 = TODAY - dt.timedelta(days=25)
    return {
        ids[0]: {
            "conversation_date": spoke_1.strftime("%d-%m-%Y"),  # typed as text
            "contact_result": "Gesproken",
            "location": "Thuis",
            "classification": "Maatschappelijk actief",
            "activity:vrijwilligerswerk": "Ja",
            "activity:naaste_omgeving": "ja ",
            "activity:deeltijdwerk": "Nee",
            "participation_potential": "Wil (meer) doen, met ondersteuning",
            "consent": "Ja",
            "referral:coach_meedoen": "Ja",
        },
        ids[1]: {
            "conversation_date": dt.datetime.combine(spoke_2, dt.time()),  # a real date
            "contact_result": "Gesproken",
            "location": "Elders",
            "classification": "  niet maatschappelijk ACTIEF ",  # case and spacing differ
            "participation_potential": "Wil (meer) doen, zelf",
            "consent": "Nee",
        },
        ids[2]: {"contact_result": "Niet thuis (twee keer)"},
        ids[3]: {
            "contact_result": "afgezegd",
            "conversation_date": f"{spoke_2.day}-{spoke_2.month}-{spoke_2.year}",
        },
    }


def expected_outcomes(ids: list[str]) -> list[dict]:
    spoke_1 = (TODAY - dt.timedelta(days=30)).isoformat()
    spoke_2 = (TODAY - dt.timedelta(days=25)).isoformat()
    return sorted(
        [
            {
                "client_id": ids[0],
                "contact_result": "gesproken",
                "conversation_date": spoke_1,
                "location": "thuis",
                "classification": "maatschappelijk_actief",
                "activity_types": "naaste_omgeving;vrijwilligerswerk",
                "participation_potential": "met_ondersteuning",
                "referrals": "coach_meedoen",
                "consent": "ja",
            },
            {
                "client_id": ids[1],
                "contact_result": "gesproken",
                "conversation_date": spoke_2,
                "location": "elders",
                "classification": "niet_actief",
                "activity_types": "",
                "participation_potential": "zelf",
                "referrals": "",
                "consent": "nee",
            },
            {
                "client_id": ids[2],
                "contact_result": "niet_thuis",
                "conversation_date": None,
                "location": None,
                "classification": None,
                "activity_types": "",
                "participation_potential": None,
                "referrals": "",
                "consent": None,
            },
            {
                "client_id": ids[3],
                "contact_result": "afgezegd",
                "conversation_date": spoke_2,
                "location": None,
                "classification": None,
                "activity_types": "",
                "participation_potential": None,
                "referrals": "",
                "consent": None,
            },
        ],
        key=lambda r: r["client_id"],
    )


def test_round_trip_loads_exactly_the_answers(invoke, batch, tmp_path):
    campaign, batch_id, ids, sheet = batch
    filled = tmp_path / "ingevuld.xlsx"
    fill(sheet, filled, answers_for(ids))
    data = ingest(campaign, filled)
    assert data["not_loaded"] == []
    assert (data["new"], data["updated"], data["unchanged"], data["rejected"]) == (4, 0, 0, 0)
    assert data["blank"] == len(ids) - 4
    assert data["files"][0]["kind"] == "registration" and data["files"][0]["batch_id"] == batch_id
    got = ledger_rows(campaign, f"SELECT {OUTCOME_COLUMNS} FROM outcomes ORDER BY client_id")
    assert got == expected_outcomes(ids)
    referrals = ledger_rows(campaign, "SELECT client_id, destination, referred_on, result FROM referrals")
    assert referrals == [
        {
            "client_id": ids[0],
            "destination": "coach_meedoen",
            "referred_on": (TODAY - dt.timedelta(days=30)).isoformat(),
            "result": None,
        }
    ]
    files = ledger_rows(campaign, "SELECT name, kind, batch_id, counts_json FROM loaded_files")
    assert files[0]["name"] == "ingevuld.xlsx" and json.loads(files[0]["counts_json"])["new"] == 4


def test_same_file_twice_changes_nothing_and_a_changed_answer_keeps_history(invoke, batch, tmp_path):
    campaign, _, ids, sheet = batch
    filled = tmp_path / "ingevuld.xlsx"
    fill(sheet, filled, answers_for(ids))
    assert ingest(campaign, filled)["not_loaded"] == []
    before = ledger_rows(campaign, "SELECT * FROM outcomes ORDER BY client_id")
    # The first load sets each letter attempt's result once (from nothing): no outcome history.
    first = ledger_rows(campaign, "SELECT * FROM history ORDER BY id")
    assert {r["kind"] for r in first} <= {"attempt"}
    assert all(json.loads(r["old_json"])["outcome"] is None for r in first)
    data = ingest(campaign, filled)
    assert (data["new"], data["updated"], data["unchanged"]) == (0, 0, 4)
    assert ledger_rows(campaign, "SELECT * FROM outcomes ORDER BY client_id") == before
    assert ledger_rows(campaign, "SELECT * FROM history ORDER BY id") == first

    changed = tmp_path / "gewijzigd.xlsx"
    fill(filled, changed, {ids[1]: {"classification": "Arbeidspotentieel"}})
    data = ingest(campaign, changed)
    assert (data["new"], data["updated"], data["unchanged"]) == (0, 1, 3)
    now = ledger_rows(campaign, "SELECT classification FROM outcomes WHERE client_id = ?", (ids[1],))
    assert now == [{"classification": "arbeidspotentieel"}]
    history = ledger_rows(
        campaign, "SELECT kind, client_id, old_json, source_file FROM history WHERE kind != 'attempt'"
    )
    assert len(history) == 1
    assert history[0]["kind"] == "outcome" and history[0]["client_id"] == ids[1]
    assert history[0]["source_file"] == "gewijzigd.xlsx"
    assert json.loads(history[0]["old_json"])["classification"] == "niet_actief"


def test_changed_referrals_follow_the_outcome(invoke, batch, tmp_path):
    campaign, _, ids, sheet = batch
    filled = tmp_path / "a.xlsx"
    fill(sheet, filled, answers_for(ids))
    assert ingest(campaign, filled)["not_loaded"] == []
    changed = tmp_path / "b.xlsx"
    fill(filled, changed, {ids[0]: {"referral:coach_meedoen": "Nee", "referral:wij_team": "Ja"}})
    assert ingest(campaign, changed)["not_loaded"] == []
    rows = ledger_rows(campaign, "SELECT destination FROM referrals WHERE client_id = ?", (ids[0],))
    assert rows == [{"destination": "wij_team"}]
    # (The letter attempts' first results, set by the first load, are history of kind 'attempt'.)
    query = "SELECT kind FROM history WHERE kind != 'attempt' ORDER BY id"
    kinds = [r["kind"] for r in ledger_rows(campaign, query)]
    assert kinds == ["outcome", "referral"]


def test_one_bad_row_loads_nothing_and_names_row_and_column(invoke, batch, tmp_path):
    campaign, _, ids, sheet = batch
    answers = answers_for(ids)
    answers[ids[1]]["referral:wij_team"] = "Ja"  # consent is "Nee"
    filled = tmp_path / "fout.xlsx"
    rows = fill(sheet, filled, answers)
    result = invoke("ingest", filled, "-c", campaign, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["not_loaded"] == ["fout.xlsx"]
    assert (data["new"], data["rejected"]) == (0, 4)
    [problem] = data["files"][0]["problems"]
    assert problem["row"] == rows[ids[1]]
    assert problem["column"] == "Verwijzing: WIJ-team"
    assert problem["kind"] == "no_consent"
    assert ledger_rows(campaign, "SELECT * FROM outcomes") == []
    assert ledger_rows(campaign, "SELECT * FROM loaded_files") == []

    human = invoke("ingest", filled, "-c", campaign)
    assert human.exit_code == 1
    assert f"{rows[ids[1]]}" in human.stdout and "Verwijzing: WIJ-team" in human.stdout
    assert "--skip-invalid" in human.stderr

    skipped = invoke("ingest", filled, "-c", campaign, "--skip-invalid", "--json")
    assert skipped.exit_code == 0
    data = json.loads(skipped.stdout)
    assert (data["new"], data["rejected"]) == (3, 1)
    loaded = {r["client_id"] for r in ledger_rows(campaign, "SELECT client_id FROM outcomes")}
    assert loaded == {ids[0], ids[2], ids[3]}


def test_cli_prints_the_workflow_result_and_exits_1_when_a_file_did_not_load(invoke, batch, tmp_path):
    import shutil

    campaign, _, ids, sheet = batch
    good, bad = tmp_path / "goed.xlsx", tmp_path / "fout.xlsx"
    fill(sheet, good, answers_for(ids))
    fill(sheet, bad, {ids[0]: {"contact_result": "Misschien"}})
    twin = tmp_path / "twin"
    shutil.copytree(campaign, twin)
    result = invoke("ingest", good, bad, "-c", campaign, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == ingest(twin, good, bad)
    stored = f"SELECT {OUTCOME_COLUMNS} FROM outcomes ORDER BY client_id"
    assert ledger_rows(campaign, stored) == ledger_rows(twin, stored) == expected_outcomes(ids)
    message = " ".join(result.stderr.split())
    assert message == (
        "1 bestand niet ingelezen: fout.xlsx. "
        "Los de genoemde problemen op, of gebruik --skip-invalid om de goede rijen in te lezen."
    )
    human = invoke("ingest", good, bad, "-c", campaign)
    assert human.exit_code == 1
    printed = " ".join(human.stdout.split())  # rich wraps long lines
    blank = len(ids) - 4, len(ids) - 1
    assert printed.startswith(
        f"goed.xlsx (registratieblad {batch[1]}): ingelezen: 0 nieuw, 0 bijgewerkt, 4 ongewijzigd,"
        f" 0 geweigerd, {blank[0]} leeg fout.xlsx (registratieblad {batch[1]}):"
        " NIET ingelezen: 0 nieuw, 0 bijgewerkt, 0 ongewijzigd, 1 geweigerd,"
        f" {blank[1]} leeg totaal: 0 nieuw, 0 bijgewerkt, 4 ongewijzigd, 1 geweigerd, {sum(blank)} leeg"
    )
    english = " ".join(invoke("--lang", "en", "ingest", good, bad, "-c", campaign).stdout.split())
    assert english.startswith(
        f"goed.xlsx (registration sheet {batch[1]}): loaded: 0 new, 0 updated, 4 unchanged, 0 rejected,"
    )
    # A word that is no label could be a name typed in the wrong column: its kind and length only.
    assert "Misschien" not in printed and "Misschien" not in result.stdout
    (problem,) = json.loads(result.stdout)["files"][1]["problems"]
    assert problem["value"] == "<tekst van 9 tekens>"


def test_not_a_kansen_workbook(invoke, batch, tmp_path):
    from openpyxl import Workbook

    campaign = batch[0]
    path = tmp_path / "los.xlsx"
    Workbook().save(path)
    result = invoke("ingest", path, "-c", campaign)
    assert result.exit_code == 1
    assert "geen werkmap van kansen" in " ".join(result.stdout.split())


def test_outcomes_only_for_the_approached(invoke, campaign, small_register, tmp_path):
    batch_id = build_campaign(invoke, campaign, small_register)
    assert invoke("sheet", batch_id, "-c", campaign).exit_code == 0
    ids = members(campaign, batch_id)
    filled = tmp_path / "f.xlsx"
    fill(
        campaign / "sheets" / f"{batch_id}-registratie.xlsx", filled, {ids[0]: {"contact_result": "Afgezegd"}}
    )
    data = ingest(campaign, filled)
    assert data["not_loaded"] == ["f.xlsx"]
    assert [p["kind"] for p in data["files"][0]["problems"]] == ["not_approached"]


# ---- the rules, on the pure core ---------------------------------------------------------------


def _workbook(settings: Settings, rows: list[dict]) -> FilledWorkbook:
    columns = registration_columns(settings)
    headers = {c.key: c.header for c in columns}
    filled = FilledWorkbook(
        path=Path("x.xlsx"),
        name="x.xlsx",
        sha256="0",
        meta={"kind": "registration", "campaign": settings.campaign.name, "batch_id": "b-1"},
        headers={REGISTRATION_SHEET: headers},
    )
    for number, cells in enumerate(rows, start=2):
        filled.rows.append(FilledRow(REGISTRATION_SHEET, number, {k: None for k in headers} | cells))
    return filled


SPOKEN = {
    "client_id": "0001",
    "contact_result": "Gesproken",
    "conversation_date": SENT_ON + dt.timedelta(days=5),
    "classification": "Niet maatschappelijk actief",
}


@pytest.mark.parametrize(
    ("cells", "kind", "column"),
    [
        ({"conversation_date": SENT_ON - dt.timedelta(days=1)}, "date_too_early", "Datum gesprek"),
        ({"conversation_date": TODAY + dt.timedelta(days=1)}, "date_in_future", "Datum gesprek"),
        ({"conversation_date": "31-02-2026"}, "bad_date", "Datum gesprek"),
        ({"conversation_date": None}, "missing", "Datum gesprek"),
        ({"classification": None}, "missing", "Indeling"),
        ({"contact_result": "Niet bereikt"}, "only_spoken", "Indeling"),
        ({"contact_result": "Misschien"}, "unknown_value", "Contactresultaat"),
        ({"contact_result": None}, "missing", "Contactresultaat"),
        ({"client_id": "0099"}, "not_in_batch", "Klantnummer"),
        ({"activity:vrijwilligerswerk": "Ja"}, "only_active", "Activiteit: Vrijwilligerswerk"),
        ({"activity:vrijwilligerswerk": "misschien"}, "unknown_value", "Activiteit: Vrijwilligerswerk"),
        ({"referral:wij_team": "Ja"}, "no_consent", "Verwijzing: WIJ-team"),
    ],
)
def test_rules(cells, kind, column):
    settings = Settings()
    context = RegistrationContext({"0001"}, {"0001": SENT_ON}, {}, TODAY)
    plan = plan_registration(_workbook(settings, [SPOKEN | cells]), context, settings)
    assert (kind, column, 2) in {(p.kind, p.column, p.row) for p in plan.problems.problems}
    assert not plan.loadable(skip_invalid=False)
    assert plan.counts()["rejected"] == 1 and plan.counts()["new"] == 0


def test_valid_row_passes_and_duplicates_are_caught():
    settings = Settings()
    context = RegistrationContext({"0001"}, {"0001": SENT_ON}, {}, TODAY)
    plan = plan_registration(_workbook(settings, [SPOKEN]), context, settings)
    assert not plan.problems and plan.counts()["new"] == 1
    plan = plan_registration(_workbook(settings, [SPOKEN, SPOKEN]), context, settings)
    assert [p.kind for p in plan.problems.problems] == ["duplicate"]
    # Excel dropped the leading zeros of the client number: still the same person.
    plan = plan_registration(_workbook(settings, [SPOKEN | {"client_id": 1}]), context, settings)
    assert not plan.problems and plan.changes[0].client_id == "0001"


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2080, 12, 31)))
def test_dates_in_every_form_excel_leaves(day):
    from openpyxl.utils.datetime import to_excel

    forms = [
        day,
        dt.datetime.combine(day, dt.time()),
        day.strftime("%d-%m-%Y"),
        f"{day.day}-{day.month}-{day.year}",
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        f"{day.isoformat()} 00:00:00",
        to_excel(day),
    ]
    assert {parse_date(f) for f in forms} == {day}


@given(st.sampled_from(sorted(Settings().codebook.contact_result.items())), st.data())
def test_labels_match_whatever_the_case_and_spacing(item, data):
    code, label = item
    typed = "".join(data.draw(st.sampled_from([c.upper(), c.lower()])) for c in label)
    typed = data.draw(st.sampled_from(["", " ", "  "])) + typed.replace(" ", "  ") + " "
    table = lookup(Settings().codebook.contact_result)
    assert table[norm(typed)] == code
    assert table[norm(code)] == code


# ---- killed mid-file ---------------------------------------------------------------------------


@pytest.mark.slow
def test_sigkill_inside_the_transaction_leaves_the_ledger_as_before(invoke, batch, tmp_path):
    campaign, _, ids, sheet = batch
    filled = tmp_path / "ingevuld.xlsx"
    fill(sheet, filled, answers_for(ids))
    ledger = campaign / "kansen.sqlite"
    env = {**os.environ, "KANSEN_TEST_PAUSE_IN_TRANSACTION": "60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kansen_cli", "ingest", str(filled), "-c", str(campaign)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "paused in transaction" in line, line
        # Inside the transaction, the writes are there (visible to that connection only).
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    with sqlite3.connect(ledger) as db:
        assert db.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM referrals").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM loaded_files").fetchone()[0] == 0
    # And the ledger is usable: the same file loads whole afterwards.
    result = invoke("ingest", filled, "-c", campaign, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["new"] == 4


# ---- Nijmegen ----------------------------------------------------------------------------------


def test_nijmegen_round_trip_with_its_own_codes(invoke, campaign, small_register, tmp_path):
    batch_id = build_campaign(invoke, campaign, small_register, preset="nijmegen")
    send_letters(campaign, batch_id)
    assert invoke("sheet", batch_id, "-c", campaign).exit_code == 0
    sheet = campaign / "sheets" / f"{batch_id}-registratie.xlsx"
    ids = members(campaign, batch_id)
    day = TODAY - dt.timedelta(days=20)
    filled = tmp_path / "nijmegen.xlsx"
    fill(
        sheet,
        filled,
        {
            ids[0]: {"contact_result": "Twee keer niet verschenen"},
            ids[1]: {"contact_result": "Geen afspraak gemaakt"},
            ids[2]: {
                "contact_result": "Gesproken",
                "conversation_date": day.strftime("%d-%m-%Y"),
                "classification": "Arbeidspotentieel",
                "participation_potential": "Wil (meer) doen, met ondersteuning",
                "consent": "Ja",
                "referral:werkbedrijf": "Ja",
                "referral:klantmanager": "Ja",
            },
        },
    )
    data = ingest(campaign, filled)
    assert data["not_loaded"] == [] and data["new"] == 3
    got = {r["client_id"]: r for r in ledger_rows(campaign, "SELECT * FROM outcomes")}
    assert got[ids[0]]["contact_result"] == "niet_verschenen"
    assert got[ids[1]]["contact_result"] == "geen_afspraak"
    assert got[ids[2]]["referrals"] == "klantmanager;werkbedrijf"
    destinations = {r["destination"] for r in ledger_rows(campaign, "SELECT destination FROM referrals")}
    assert destinations == {"klantmanager", "werkbedrijf"}
    # A Groningen-only column does not exist in a Nijmegen workbook.
    assert "coach_meedoen" not in {c.key.split(":")[-1] for c in registration_columns(preset("nijmegen"))}


@st.composite
def _answers(draw, settings: Settings):
    """A valid answer of one person, as codes, and how a consultant might have typed it."""
    cb = settings.codebook
    roles = cb.roles

    def typed(table: dict[str, str], code: str) -> str:
        label = table[code]
        style = draw(st.sampled_from(["same", "upper", "lower", "spaced", "code"]))
        forms = {"upper": label.upper(), "lower": label.lower(), "spaced": f"  {label} ", "code": code}
        return forms.get(style, label)

    def pick(table: dict[str, str], optional: bool = False) -> str | None:
        choices = [*table, None] if optional else list(table)
        return draw(st.sampled_from(choices))

    day = draw(st.dates(min_value=SENT_ON, max_value=TODAY))
    date_cell = draw(
        st.sampled_from(
            [
                day,
                dt.datetime.combine(day, dt.time()),
                day.strftime("%d-%m-%Y"),
                f"{day.day}-{day.month}-{day.year}",
            ]
        )
    )
    contact = pick(cb.contact_result)
    record = dict.fromkeys(("location", "classification", "participation_potential", "consent"))
    activities: list[str] = []
    referrals: list[str] = []
    if contact == roles.spoken:
        record["location"] = pick(cb.location, optional=True)
        record["classification"] = pick(cb.classification)
        record["participation_potential"] = pick(cb.participation_potential, optional=True)
        record["consent"] = pick(cb.consent, optional=True)
        if record["classification"] == roles.active:
            activities = [c for c in cb.activity_types if draw(st.booleans())]
        if record["consent"] == roles.consent_yes:
            referrals = [c for c in cb.referrals if draw(st.booleans())]
    has_date = contact == roles.spoken or draw(st.booleans())
    cells: dict = {"client_id": "0001", "contact_result": typed(cb.contact_result, contact)}
    if has_date:
        cells["conversation_date"] = date_cell
    lists = {
        "location": cb.location,
        "classification": cb.classification,
        "participation_potential": cb.participation_potential,
        "consent": cb.consent,
    }
    for key, table in lists.items():
        if record[key] is not None:
            cells[key] = typed(table, record[key])
    for code in cb.activity_types:
        cells[f"activity:{code}"] = (
            "Ja" if code in activities else draw(st.sampled_from([None, "Nee", "nee"]))
        )
    for code in cb.referrals:
        cells[f"referral:{code}"] = "Ja" if code in referrals else draw(st.sampled_from([None, "Nee"]))
    expected = {
        "contact_result": contact,
        "conversation_date": day.isoformat() if has_date else None,
        **record,
        "activity_types": ";".join(activities),
        "referrals": ";".join(referrals),
    }
    return cells, expected


@pytest.mark.parametrize("preset_name", ["groningen", "nijmegen"])
@given(data=st.data())
def test_any_valid_answer_loads_as_exactly_those_codes(preset_name, data):
    settings = preset(preset_name)
    cells, expected = data.draw(_answers(settings))
    context = RegistrationContext({"0001"}, {"0001": SENT_ON}, {}, TODAY)
    plan = plan_registration(_workbook(settings, [cells]), context, settings)
    assert not plan.problems, plan.problems.as_list()
    [change] = plan.changes
    assert change.action == "new" and change.record == expected
    # Loading the same answer over the stored one changes nothing.
    again = plan_registration(
        _workbook(settings, [cells]),
        RegistrationContext({"0001"}, {"0001": SENT_ON}, {"0001": expected}, TODAY),
        settings,
    )
    assert again.changes[0].action == "unchanged"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("sheets", "0", "beschadigd"),
        ("sheets", "[]", "beschadigd"),
        ("sheets", '{"Registratie": [["x", "y"]]}', "beschadigd"),
        ("sheets", '{"Registratie": 5}', "beschadigd"),
        ("format", "twee", "beschadigd"),
        ("format", "99", "nieuwere kansen_cli"),
        ("kind", "boodschappen", "onbekend soort blad"),
    ],
)
def test_a_damaged_marker_is_a_clear_file_problem(invoke, batch, tmp_path, key, value, message):
    from openpyxl import load_workbook

    campaign, _, _, sheet = batch
    workbook = load_workbook(sheet)
    for row in workbook["_kansen"].iter_rows():
        if row[0].value == key:
            row[1].value = value
    path = tmp_path / "kapot.xlsx"
    workbook.save(path)
    result = invoke("ingest", path, "-c", campaign, "--json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["files"][0]["problems"]
    assert message in problem["message"]


def test_followup_ids_that_lost_their_leading_zeros_still_match():
    from kansen_cli.workbooks.followup import (
        CALLS_SHEET,
        REFERRALS_SHEET,
        FollowupContext,
        calls_columns,
        plan_followup,
        referral_columns,
    )

    settings = Settings()
    cb = settings.codebook
    result = next(iter(cb.followup_result.values()))
    destination = next(iter(cb.referrals))
    answer_code = next(iter(cb.referral_result))
    answer = cb.referral_result[answer_code]
    calls = {c.key: c.header for c in calls_columns(settings)}
    refs = {c.key: c.header for c in referral_columns(settings)}
    filled = FilledWorkbook(
        path=Path("f.xlsx"),
        name="f.xlsx",
        sha256="0",
        meta={"kind": "followup", "campaign": settings.campaign.name},
        headers={CALLS_SHEET: calls, REFERRALS_SHEET: refs},
    )
    day = SENT_ON + dt.timedelta(days=40)
    # Excel made the client numbers 0000119 and 0000120 into the numbers 119 and 120.
    filled.rows.append(
        FilledRow(
            CALLS_SHEET,
            2,
            dict.fromkeys(calls)
            | {"client_id": 119, "round": 1, "call_date": day, "followup_result": result},
        )
    )
    filled.rows.append(
        FilledRow(
            REFERRALS_SHEET,
            2,
            dict.fromkeys(refs)
            | {
                "client_id": 120.0,
                "destination": cb.referrals[destination],
                "result_date": day,
                "referral_result": answer,
            },
        )
    )
    outcome = {
        "participation_potential": cb.roles.potential_self,
        "conversation_date": (SENT_ON + dt.timedelta(days=3)).isoformat(),
    }
    referral = {"referred_on": SENT_ON.isoformat(), "result": None, "result_date": None}
    context = FollowupContext({"0000119": outcome}, {}, {("0000120", destination): referral}, TODAY)
    plan = plan_followup(filled, context, settings)
    assert not plan.problems, plan.problems.problems
    assert [(c.kind, c.client_id, c.action) for c in plan.changes] == [
        ("followup", "0000119", "new"),
        ("referral", "0000120", "new"),
    ]
    # The same answer again is unchanged; another answer is an update that keeps the old one.
    answered = {**referral, "result": answer_code, "result_date": day.isoformat()}
    context.referrals[("0000120", destination)] = answered
    assert plan_followup(filled, context, settings).changes[1].action == "unchanged"
    context.referrals[("0000120", destination)] = answered | {"result_date": SENT_ON.isoformat()}
    change = plan_followup(filled, context, settings).changes[1]
    assert change.action == "updated" and change.old == {
        "destination": destination,
        "referred_on": SENT_ON.isoformat(),
        "result": answer_code,
        "result_date": SENT_ON.isoformat(),
    }


def test_client_ids_match_without_leading_zeros_unless_ambiguous():
    from kansen_cli.workbooks.cells import ClientIds

    ids = ClientIds(["0001", "0119", "012", "12"])
    assert ids.match("0001") == "0001"
    assert ids.match(1) == "0001" and ids.match(1.0) == "0001" and ids.match(" 119 ") == "0119"
    assert ids.match(12) == "12" and ids.match("012") == "012" and ids.match("0012") is None
    assert ids.match(None) is None and ids.match("") is None and ids.match(7) is None
