"""Phone first (issue 12, review findings 6, 7 and 10): a "no" on the phone becomes the contact
result, the letters wait for the calls, and a later round's calls start at the previous round's
letters. Expected values are written out by hand here, never read from the code's constants."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from pydantic import ValidationError

from kansen_cli.calling import DUE, WAITING, CallStatus
from kansen_cli.settings import Settings
from kansen_cli.workflows.letters import StillCallingError, refuse_while_calling
from registration_helpers import AS_OF, fill, ledger_rows, members, set_setting
from test_calls_workbook import FIRST, calls, ingest, make_phone_campaign, ok, phone_first

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

# ---- finding 7: the codebook role -----------------------------------------------------------------


def test_the_role_maps_a_no_to_afgezegd_by_default_and_is_validated():
    assert Settings().codebook.roles.phone_contact_result == {"geen_gesprek": "afgezegd"}
    with pytest.raises(ValidationError, match="phone_contact_result = 'misschien'"):
        Settings.model_validate({"codebook": {"roles": {"phone_contact_result": {"misschien": "afgezegd"}}}})
    with pytest.raises(ValidationError, match=r"phone_contact_result\.geen_gesprek = 'nee'"):
        Settings.model_validate({"codebook": {"roles": {"phone_contact_result": {"geen_gesprek": "nee"}}}})
    with pytest.raises(ValidationError, match="conversation"):
        Settings.model_validate(
            {"codebook": {"roles": {"phone_contact_result": {"geen_gesprek": "gesproken"}}}}
        )


def test_nijmegen_invites_a_no_on_the_phone_again():
    from kansen_cli.settings import preset

    roles = preset("nijmegen").codebook.roles
    assert roles.phone_contact_result == {"geen_gesprek": "geen_afspraak"}
    assert "geen_afspraak" in roles.invite_again


def _outcomes(campaign) -> dict[str, str]:
    rows = ledger_rows(campaign, "SELECT client_id, contact_result FROM outcomes")
    return {r["client_id"]: r["contact_result"] for r in rows}


def test_a_no_on_the_phone_becomes_the_contact_result(invoke, small_register, tmp_path):
    campaign, batch = make_phone_campaign(invoke, small_register, tmp_path)
    a, b, c = [p["client_id"] for p in phone_first(campaign, batch) if p["phone"]][:3]
    calls(invoke, campaign, batch, FIRST)
    blank = campaign / "calls" / f"{batch}-bellen-{FIRST.isoformat()}.xlsx"
    answers = {
        a: ok("10-11-2026", "Wil geen gesprek"),
        b: ok("10-11-2026", "Geen gehoor"),
        c: ok("10-11-2026", "Afspraak gemaakt"),
    }
    first = tmp_path / "first.xlsx"
    fill(blank, first, answers)
    assert ingest(invoke, campaign, first).exit_code == 0
    # Only the no settles the invitation; filed under the person's own (round-1) batch.
    assert _outcomes(campaign) == {a: "afgezegd"}
    [row] = ledger_rows(campaign, "SELECT batch_id, conversation_date FROM outcomes")
    assert row == {"batch_id": batch, "conversation_date": None}

    # A corrected call (it was no answer after all) takes the result away, kept in the history.
    answers[a] = ok("10-11-2026", "Geen gehoor")
    corrected = tmp_path / "corrected.xlsx"
    fill(blank, corrected, answers)
    assert ingest(invoke, campaign, corrected).exit_code == 0
    assert _outcomes(campaign) == {}
    history = ledger_rows(
        campaign, "SELECT old_json FROM history WHERE kind = 'outcome' AND client_id = ?", (a,)
    )
    assert [json.loads(h["old_json"])["contact_result"] for h in history] == ["afgezegd"]


def test_a_no_on_the_phone_never_replaces_a_registered_result(invoke, small_register, tmp_path):
    campaign, batch = make_phone_campaign(invoke, small_register, tmp_path)
    a = next(p["client_id"] for p in phone_first(campaign, batch) if p["phone"])
    # A result a consultant registered (written here as a registration sheet would).
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        db.execute(
            "INSERT INTO outcomes (client_id, batch_id, contact_result, conversation_date, source_file,"
            " source_sha256, loaded_at) VALUES (?, ?, 'gesproken', '2026-11-09', 'sheet.xlsx', 'abc', 'x')",
            (a, batch),
        )
    calls(invoke, campaign, batch, FIRST)
    blank = campaign / "calls" / f"{batch}-bellen-{FIRST.isoformat()}.xlsx"
    filled = tmp_path / "filled.xlsx"
    fill(blank, filled, {a: ok("10-11-2026", "Wil geen gesprek")})
    assert ingest(invoke, campaign, filled).exit_code == 0
    assert _outcomes(campaign) == {a: "gesproken"}


# ---- finding 6: the refusal names counts and days ------------------------------------------------


def test_the_refusal_says_how_many_and_when():
    calling = [
        CallStatus(DUE, 0, dt.date(2026, 11, 20), ("ochtend",)),
        CallStatus(WAITING, 1, dt.date(2026, 11, 24), ("middag",)),
        CallStatus(WAITING, 2, dt.date(2026, 11, 22), ("avond",)),
    ]
    with pytest.raises(StillCallingError) as refused:
        refuse_while_calling(calling, "wijk-1", dt.date(2026, 11, 20))
    assert "3 phone-first people are still being called (1 due a call on 20 Nov 2026;" in str(refused.value)
    assert "2 with their next call due 22 Nov 2026 to 24 Nov 2026)" in str(refused.value)
    assert "--stop-calling" in str(refused.value)


# ---- finding 10: a later round's calls start at the previous round's letters ---------------------


def test_a_round_two_call_before_round_one_letters_is_refused(invoke, small_register, tmp_path):
    campaign, batch = make_phone_campaign(invoke, small_register, tmp_path)
    set_setting(campaign, "calls", "max_attempts", 1)
    sent = "2026-10-20"  # round 1's letters, well after the selection's as-of day
    assert sent > AS_OF
    letters = invoke(
        "letters", batch, "--sent-on", sent, "--format", "html", "--stop-calling", "-c", campaign
    )
    assert letters.exit_code == 0, letters.stderr
    sheet = tmp_path / "r1.xlsx"
    assert invoke("sheet", batch, "--out", sheet, "-c", campaign).exit_code == 0
    route = members(campaign, batch)
    filled = tmp_path / "r1-ingevuld.xlsx"
    fill(sheet, filled, {cid: {"contact_result": "Niet thuis (twee keer)"} for cid in route})
    assert ingest(invoke, campaign, filled).exit_code == 0, "round 1 sheet"
    assert invoke("batch", "--round", "2", "-c", campaign).exit_code == 0
    r2 = f"{batch}-r2"
    who = [p["client_id"] for p in phone_first(campaign, r2) if p["phone"]]
    calls(invoke, campaign, r2, FIRST)
    blank = campaign / "calls" / f"{r2}-bellen-{FIRST.isoformat()}.xlsx"
    bad = tmp_path / "r2-bad.xlsx"
    # 19-10: after the selection (1-10) but before round 1's letters (20-10); 20-10 itself is fine.
    rows = fill(blank, bad, {who[0]: ok("19-10-2026"), who[1]: ok("20-10-2026")})
    result = ingest(invoke, campaign, bad)
    assert result.exit_code == 1
    problems = [p for f in json.loads(result.stdout)["files"] for p in f["problems"]]
    assert [(p["row"], p["kind"]) for p in problems] == [(rows[who[0]], "date_too_early")]
    assert "the letters of round 1" in problems[0]["message"] and "20 Oct 2026" in problems[0]["message"]
