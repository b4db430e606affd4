"""Issue 15, item 4: an ingest never silently undoes work that later work depends on.

The issue's own case: a registration sheet filled in twice (an older copy without the Coach
Meedoen referral, a newer one with it); the newer one loaded, the partner's result "Gestart"
recorded through the follow-up workbook, then the older copy loaded again. It must be refused,
saying what would be lost, and leave the ledger as it was; `--force` replaces it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kansen_cli.settings import load_settings
from kansen_cli.workbooks.followup import CALLS_SHEET, REFERRALS_SHEET
from kansen_cli.workflows import followup as followup_workflow
from kansen_cli.workflows import ingest as ingest_workflow
from registration_helpers import (
    TODAY,
    build_campaign,
    fill,
    ingest,
    ledger_rows,
    members,
    send_letters,
    set_setting,
    spoken_acting_on_own,
)
from safety_helpers import ledger_dump

SPOKE = TODAY - dt.timedelta(days=30)
OWN = spoken_acting_on_own(SPOKE)


@pytest.fixture
def copies(invoke, campaign: Path, small_register: Path, tmp_path: Path):
    """The older and the newer copy of one registration sheet; the newer one is loaded."""
    batch_id = build_campaign(invoke, campaign, small_register)
    send_letters(campaign, batch_id)
    assert invoke("sheet", batch_id, "-c", campaign).exit_code == 0
    ids = members(campaign, batch_id)
    blank = campaign / "sheets" / f"{batch_id}-registratie.xlsx"
    older = tmp_path / "registratie-oud.xlsx"
    newer = tmp_path / "registratie-nieuw.xlsx"
    fill(blank, older, {ids[0]: OWN, ids[1]: OWN})
    fill(blank, newer, {ids[0]: OWN | {"referral:coach_meedoen": "Ja"}, ids[1]: OWN})
    assert ingest(campaign, newer)["new"] == 2
    return campaign, ids, older, newer


def _followup_answers(campaign: Path, tmp_path: Path, calls: dict, referrals: dict) -> Path:
    """The follow-up workbook due on TODAY, filled in and loaded; returns the loaded file."""
    data = followup_workflow.run(campaign, load_settings(campaign), TODAY).as_json()
    listed = Path(data["file"])
    step = tmp_path / "nabellen-stap.xlsx"
    filled = tmp_path / f"nabellen-{TODAY.isoformat()}.xlsx"
    fill(listed, step, calls, sheet=CALLS_SHEET)
    fill(step, filled, referrals, sheet=REFERRALS_SHEET)
    loaded = ingest(campaign, filled)
    assert loaded["not_loaded"] == [], loaded
    return filled


def test_an_older_copy_is_refused_and_the_ledger_unchanged(copies, tmp_path):
    campaign, ids, older, newer = copies
    answer = {"referral_result": "Gestart", "result_date": TODAY.strftime("%d-%m-%Y")}
    source = _followup_answers(campaign, tmp_path, {}, {f"{ids[0]}|Coach Meedoen": answer})
    before = ledger_dump(campaign)

    result = ingest(campaign, older)

    assert result["not_loaded"] == [older.name]
    problems = result["files"][0]["problems"]
    assert [p["kind"] for p in problems] == ["would_undo"]
    assert problems[0]["message"] == (
        "deze rij zou de verwijzing naar Coach Meedoen weghalen, die het resultaat 'Gestart' van de"
        f" partner heeft (uit {source.name}); gebruik --force om het toch te vervangen"
    )
    assert ledger_dump(campaign) == before
    # The older copy is told: written before the newer copy was loaded.
    (warning,) = result["warnings"]
    assert newer.name in warning and "oudere kopie" in warning
    assert result["files"][0]["warnings"] == [warning]


def test_the_cli_says_what_would_be_lost_and_force_replaces_it(invoke, copies, tmp_path):
    campaign, ids, older, _ = copies
    answer = {"referral_result": "Gestart", "result_date": TODAY.strftime("%d-%m-%Y")}
    _followup_answers(campaign, tmp_path, {}, {f"{ids[0]}|Coach Meedoen": answer})
    before = ledger_dump(campaign)

    refused = invoke("ingest", older, "-c", campaign)
    assert refused.exit_code == 1
    assert "Waarschuwing:" in refused.stderr and "--force" in refused.stderr
    assert "Gestart" in refused.stdout
    assert ledger_dump(campaign) == before

    forced = invoke("ingest", older, "-c", campaign, "--force", "--json")
    assert forced.exit_code == 0, forced.stderr
    data = json.loads(forced.stdout)
    assert (data["updated"], data["unchanged"], data["not_loaded"]) == (1, 1, [])
    assert ledger_rows(campaign, "SELECT * FROM referrals") == []
    kept = ledger_rows(campaign, "SELECT old_json FROM history WHERE kind = 'referral'")
    assert [json.loads(r["old_json"])["result"] for r in kept] == ["gestart"]


def test_a_referral_without_an_answer_may_still_be_removed(copies):
    """Nothing depends on an unanswered referral: the older copy loads (with its warning)."""
    campaign, _, older, _ = copies
    result = ingest(campaign, older)
    assert result["not_loaded"] == [] and result["updated"] == 1
    assert ledger_rows(campaign, "SELECT * FROM referrals") == []
    assert len(result["warnings"]) == 1


def test_a_conversation_with_follow_up_calls_keeps_them(copies, tmp_path):
    campaign, ids, _, newer = copies
    set_setting(campaign, "followup", "months", 0)  # the calls are due today
    call = {"call_date": TODAY.strftime("%d-%m-%Y"), "followup_result": "Geen contact"}
    source = _followup_answers(campaign, tmp_path, {ids[1]: call}, {})
    before = ledger_dump(campaign)

    cancelled = tmp_path / "registratie-afgezegd.xlsx"
    fill(
        newer,
        cancelled,
        {ids[1]: {k: "" for k in OWN} | {"contact_result": "Afgezegd"}},
    )
    other_potential = tmp_path / "registratie-steun.xlsx"
    fill(newer, other_potential, {ids[1]: {"participation_potential": "Wil (meer) doen, met ondersteuning"}})
    for path, what in (
        (cancelled, "het contactresultaat wijzigen in 'Afgezegd'"),
        (other_potential, "het participatiepotentieel wijzigen in 'Wil (meer) doen, met ondersteuning'"),
    ):
        result = ingest(campaign, path)
        assert result["not_loaded"] == [path.name]
        (problem,) = result["files"][0]["problems"]
        assert problem["message"] == (
            f"deze rij zou {what}, maar het gesprek heeft nabelgesprekken"
            f" (ronde 1 uit {source.name}); gebruik --force om het toch te vervangen"
        )
        assert ledger_dump(campaign) == before
    # Force through the workflow: the answer changes, the old one goes to the history.
    forced = ingest_workflow.run(campaign, load_settings(campaign), [cancelled], TODAY, force=True)
    assert forced.not_loaded == []
    (row,) = ledger_rows(campaign, "SELECT contact_result FROM outcomes WHERE client_id = ?", (ids[1],))
    assert row["contact_result"] == "afgezegd"


def test_the_same_copy_again_changes_nothing_and_warns_of_nothing(copies):
    campaign, _, _, newer = copies
    result = ingest(campaign, newer)
    assert (result["unchanged"], result["warnings"], result["not_loaded"]) == (2, [], [])
