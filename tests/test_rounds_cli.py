"""A second round through the CLI (issue 12, item 4): who is invited again, their own letter,
sheet and ingest, while round 1 keeps its own results; a referral without a conversation.

The expected people are laid down by hand in the test (the route positions typed as niet_thuis),
never read back from the code that makes the round.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from registration_helpers import (
    AS_OF,
    fill,
    ledger_rows,
    members,
    send_letters,
    set_setting,
    spoken_acting_on_own,
)

NIET_THUIS = "Niet thuis (twee keer)"
# Route positions (1-based) typed as niet_thuis in round 1, and those spoken to in round 2.
NOT_HOME = (1, 3, 4, 6)
SPOKEN_IN_R2 = (3, 6)


def _ok(result) -> None:
    assert result.exit_code == 0, result.stdout + result.stderr


def _smallest_batch(campaign: Path) -> str:
    [row] = ledger_rows(
        campaign,
        "SELECT batch_id FROM batch_members GROUP BY batch_id HAVING count(*) >= 8"
        " ORDER BY count(*), batch_id LIMIT 1",
    )
    return str(row["batch_id"])


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory, small_register):
    """Groningen: round 1 of the smallest batch (8+ people) through plan, letters, sheet and
    ingest; a second `select`; then round 2 through the same commands. Returns what each step gave."""
    from typer.testing import CliRunner

    from kansen_cli.cli import app

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [str(a) for a in args])

    folder = tmp_path_factory.mktemp("rounds")
    campaign = folder / "campaign"
    _ok(invoke("init", campaign, "--preset", "groningen", "--force"))
    _ok(invoke("select", small_register, "--as-of", AS_OF, "-c", campaign))
    _ok(invoke("batch", "--size", "50", "-c", campaign))
    set_setting(campaign, "rounds", "sender_department", "Klantmanagers Werk en Inkomen")
    set_setting(campaign, "rounds", "signature_name", "Uw klantmanager")
    batch = _smallest_batch(campaign)
    route = members(campaign, batch)

    _ok(invoke("plan", batch, "--start", "2026-10-12", "-c", campaign))
    _ok(invoke("letters", batch, "--sent-on", "2026-10-01", "--format", "html", "-c", campaign))
    _ok(invoke("sheet", batch, "--out", folder / "r1.xlsx", "-c", campaign))
    answers = {
        cid: {"contact_result": NIET_THUIS if pos in NOT_HOME else "Niet bereikt"}
        for pos, cid in enumerate(route, start=1)
    }
    fill(folder / "r1.xlsx", folder / "r1-ingevuld.xlsx", answers)
    _ok(invoke("ingest", folder / "r1-ingevuld.xlsx", "-c", campaign))
    before_round = invoke("status", "-c", campaign, "--json")
    _ok(before_round)
    # A later selection puts round 1's people in already_approached; the round goes on regardless.
    again = invoke("select", small_register, "--as-of", AS_OF, "-c", campaign, "--json")
    _ok(again)

    made = invoke("batch", "--round", "2", "-c", campaign, "--json")
    _ok(made)
    r2 = f"{batch}-r2"
    _ok(invoke("plan", r2, "--start", "2026-11-09", "-c", campaign))
    _ok(invoke("letters", r2, "--sent-on", "2026-11-02", "--format", "html", "-c", campaign))
    _ok(invoke("sheet", r2, "--out", folder / "r2.xlsx", "-c", campaign))
    answers2 = {
        route[pos - 1]: (
            spoken_acting_on_own(dt.date(2026, 11, 10))
            if pos in SPOKEN_IN_R2
            else {"contact_result": NIET_THUIS}
        )
        for pos in NOT_HOME
    }
    fill(folder / "r2.xlsx", folder / "r2-ingevuld.xlsx", answers2)
    ingested = invoke("ingest", folder / "r2-ingevuld.xlsx", "-c", campaign, "--json")
    _ok(ingested)
    return {
        "campaign": campaign,
        "batch": batch,
        "route": route,
        "select_again": json.loads(again.stdout),
        "made": json.loads(made.stdout),
        "ingested": json.loads(ingested.stdout),
        "status_before_round": json.loads(before_round.stdout),
        "invoke": invoke,
    }


def test_round_two_holds_the_not_at_home_in_route_order(two_rounds):
    batch, route = two_rounds["batch"], two_rounds["route"]
    expected = [route[pos - 1] for pos in NOT_HOME]
    assert two_rounds["made"] == {
        "round": 2,
        "added": 4,
        "batches": [
            {
                "batch": f"{batch}-r2",
                "parent": batch,
                "neighbourhood": ledger_rows(
                    two_rounds["campaign"], "SELECT neighbourhood FROM batches WHERE batch_id = ?", (batch,)
                )[0]["neighbourhood"],
                "round": 2,
                "size": 4,
                "added": 4,
            }
        ],
    }
    rows = ledger_rows(
        two_rounds["campaign"],
        "SELECT client_id, position FROM round_members WHERE batch_id = ? ORDER BY position",
        (f"{batch}-r2",),
    )
    assert [(r["client_id"], r["position"]) for r in rows] == list(zip(expected, [1, 2, 3, 4], strict=True))
    [meta] = ledger_rows(
        two_rounds["campaign"], "SELECT round, parent_id FROM batches WHERE batch_id = ?", (f"{batch}-r2",)
    )
    assert meta == {"round": 2, "parent_id": batch}


def test_the_second_selection_counted_them_as_approached(two_rounds):
    funnel = two_rounds["select_again"]["funnel"]
    assert funnel["already_approached"] >= len(two_rounds["route"])


def test_round_one_stays_and_each_round_keeps_its_own_result(two_rounds):
    campaign, batch, route = two_rounds["campaign"], two_rounds["batch"], two_rounds["route"]
    first = {
        r["client_id"]: r["outcome"]
        for r in ledger_rows(
            campaign,
            "SELECT client_id, outcome FROM contact_attempts WHERE batch_id = ? AND channel = 'letter'",
            (batch,),
        )
    }
    assert first == {
        cid: "niet_thuis" if pos in NOT_HOME else "niet_bereikt" for pos, cid in enumerate(route, start=1)
    }
    second = {
        r["client_id"]: (r["outcome"], r["round"])
        for r in ledger_rows(
            campaign,
            "SELECT client_id, outcome, round FROM contact_attempts WHERE batch_id = ?"
            " AND channel = 'reinvitation'",
            (f"{batch}-r2",),
        )
    }
    assert second == {
        route[pos - 1]: ("gesproken" if pos in SPOKEN_IN_R2 else "niet_thuis", 2) for pos in NOT_HOME
    }
    # The latest result per person, filed under the round-1 batch; the replaced ones in history.
    outcomes = {
        r["client_id"]: (r["batch_id"], r["contact_result"])
        for r in ledger_rows(campaign, "SELECT client_id, batch_id, contact_result FROM outcomes")
    }
    latest = {pos: "gesproken" for pos in SPOKEN_IN_R2} | {
        pos: "niet_thuis" for pos in NOT_HOME if pos not in SPOKEN_IN_R2
    }
    assert outcomes == {
        cid: (batch, latest.get(pos, "niet_bereikt")) for pos, cid in enumerate(route, start=1)
    }
    # Each of the four rows was rewritten (from the round-2 sheet now): what it replaced is kept,
    # round 1's niet_thuis, with the round-1 attempt's outcome it was compared with.
    replaced = ledger_rows(campaign, "SELECT client_id, old_json FROM history WHERE kind = 'outcome'")
    assert sorted(r["client_id"] for r in replaced) == sorted(route[pos - 1] for pos in NOT_HOME)
    assert {json.loads(r["old_json"])["contact_result"] for r in replaced} == {"niet_thuis"}
    # The round-1 attempts were set once (NULL -> their result), never changed by round 2.
    changed = ledger_rows(campaign, "SELECT old_json FROM history WHERE kind = 'attempt'")
    assert len(changed) == len(route) + 4
    assert all(json.loads(r["old_json"])["outcome"] is None for r in changed)
    # Round 1's appointments are kept beside round 2's.
    counts = {
        r["batch_id"]: r["n"]
        for r in ledger_rows(campaign, "SELECT batch_id, count(*) AS n FROM appointments GROUP BY batch_id")
    }
    assert counts[batch] == len(route) and counts[f"{batch}-r2"] == 4
    # The two still not at home: 4 loaded, 2 of them changed the latest result, 2 only this round's.
    assert (two_rounds["ingested"]["new"], two_rounds["ingested"]["updated"]) == (0, 4)


def test_a_round_one_sheet_loaded_after_round_two_keeps_the_round_two_results(two_rounds, tmp_path):
    """A corrected round-1 sheet (positions 1 and 3 now "Niet bereikt") after round 2 gave all four
    a result: it sets round 1's attempts only; their latest result, date and classification stay
    round 2's, and the ingest says so, naming the round-2 batch."""
    import shutil

    invoke, batch, route = two_rounds["invoke"], two_rounds["batch"], two_rounds["route"]
    campaign = tmp_path / "campaign"
    shutil.copytree(two_rounds["campaign"], campaign)
    outcome_sql = "SELECT * FROM outcomes ORDER BY client_id"
    before, referrals = ledger_rows(campaign, outcome_sql), ledger_rows(campaign, "SELECT * FROM referrals")
    corrected = (1, 3)
    answers = {
        cid: {"contact_result": "Niet bereikt" if pos in corrected or pos not in NOT_HOME else NIET_THUIS}
        for pos, cid in enumerate(route, start=1)
    }
    fill(two_rounds["campaign"].parent / "r1.xlsx", tmp_path / "r1-correctie.xlsx", answers)
    result = invoke("ingest", tmp_path / "r1-correctie.xlsx", "-c", campaign, "--json")
    _ok(result)
    [loaded] = json.loads(result.stdout)["files"]
    # Two round-1 attempts changed; the other rows hold what the ledger has.
    assert (loaded["new"], loaded["updated"], loaded["unchanged"]) == (0, 2, len(route) - 2)
    assert ledger_rows(campaign, outcome_sql) == before
    assert ledger_rows(campaign, "SELECT * FROM referrals") == referrals
    first = {
        r["client_id"]: r["outcome"]
        for r in ledger_rows(
            campaign, "SELECT client_id, outcome FROM contact_attempts WHERE batch_id = ?", (batch,)
        )
    }
    assert first == {
        cid: "niet_thuis" if pos in NOT_HOME and pos not in corrected else "niet_bereikt"
        for pos, cid in enumerate(route, start=1)
    }
    second = ledger_rows(
        campaign,
        "SELECT count(*) AS n FROM contact_attempts WHERE batch_id = ? AND outcome IS NOT NULL",
        (f"{batch}-r2",),
    )
    assert second == [{"n": 4}]
    [note] = [w for w in loaded["warnings"] if "latere ronde" in w]
    assert f"4 personen hebben een resultaat uit een latere ronde ({batch}-r2)" in note
    assert not any(cid in note for cid in route)


def test_round_two_letter_is_the_reinvitation_with_the_rounds_sender(two_rounds):
    campaign, batch, route = two_rounds["campaign"], two_rounds["batch"], two_rounds["route"]
    r2 = f"{batch}-r2"
    html = (campaign / "letters" / r2 / f"{r2}-{route[0]}.html").read_text(encoding="utf-8")
    assert "nodigen wij u opnieuw uit" in html
    assert "Klantmanagers Werk en Inkomen" in html and "Uw klantmanager" in html
    first = (campaign / "letters" / batch / f"{batch}-{route[0]}.html").read_text(encoding="utf-8")
    assert "opnieuw uit" not in first and "Klantmanagers Werk en Inkomen" not in first


def test_running_the_round_again_makes_nothing_new(two_rounds):
    invoke, campaign = two_rounds["invoke"], two_rounds["campaign"]
    result = invoke("batch", "--round", "2", "-c", campaign, "--json")
    _ok(result)
    assert json.loads(result.stdout) == {"round": 2, "added": 0, "batches": []}
    human = invoke("batch", "--round", "2", "-c", campaign)
    _ok(human)
    assert "Niets nieuws" in human.stderr
    assert len(ledger_rows(campaign, "SELECT * FROM round_members")) == 4


def test_a_round_above_max_round_is_refused_naming_the_setting(two_rounds):
    invoke, campaign = two_rounds["invoke"], two_rounds["campaign"]
    result = invoke("batch", "--round", "3", "-c", campaign)
    assert result.exit_code == 1
    assert "[rounds] max_round" in result.stderr
    assert ledger_rows(campaign, "SELECT * FROM batches WHERE round = 3") == []


def test_an_unknown_batch_for_the_round_is_refused(two_rounds):
    invoke, campaign = two_rounds["invoke"], two_rounds["campaign"]
    result = invoke("batch", "--round", "2", "geen-batch", "-c", campaign)
    assert result.exit_code == 1
    assert "geen-batch" in result.stderr


# ---- referral without a conversation (Nijmegen) --------------------------------------------------


@pytest.fixture
def nijmegen(invoke, small_register, tmp_path):
    campaign = tmp_path / "campaign"
    _ok(invoke("init", campaign, "--preset", "nijmegen", "--force"))
    # The sample register names its care-team column as Groningen does.
    set_setting(campaign, "register", "columns", {"care_team": "Bekend bij WIJ-team"})
    _ok(invoke("select", small_register, "--as-of", AS_OF, "-c", campaign))
    _ok(invoke("batch", "--size", "50", "-c", campaign))
    [first] = ledger_rows(campaign, "SELECT batch_id FROM batches ORDER BY neighbourhood, seq LIMIT 1")
    batch = first["batch_id"]
    send_letters(campaign, batch)
    sheet = tmp_path / "blank.xlsx"
    _ok(invoke("sheet", batch, "--out", sheet, "-c", campaign))
    return campaign, batch, members(campaign, batch), sheet


def test_the_klantmanager_takes_over_someone_not_reached(invoke, nijmegen, tmp_path):
    campaign, _, ids, sheet = nijmegen
    filled = tmp_path / "ok.xlsx"
    answers = {ids[0]: {"contact_result": "Twee keer niet verschenen", "referral:klantmanager": "Ja"}}
    fill(sheet, filled, answers)
    result = invoke("ingest", filled, "-c", campaign, "--json")
    _ok(result)
    assert ledger_rows(campaign, "SELECT client_id, destination FROM referrals") == [
        {"client_id": ids[0], "destination": "klantmanager"}
    ]


def test_another_destination_without_a_conversation_loads_nothing(invoke, nijmegen, tmp_path):
    campaign, _, ids, sheet = nijmegen
    filled = tmp_path / "fout.xlsx"
    rows = fill(
        sheet,
        filled,
        {
            ids[0]: {"contact_result": "Geen afspraak gemaakt", "referral:klantmanager": "Ja"},
            ids[1]: {"contact_result": "Niet bereikt", "referral:participatiecoach": "Ja"},
        },
    )
    result = invoke("ingest", filled, "-c", campaign, "--json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["files"][0]["problems"]
    assert (problem["row"], problem["column"], problem["kind"]) == (
        rows[ids[1]],
        "Verwijzing: Participatiecoach",
        "only_spoken",
    )
    assert "Klantmanager" in problem["message"]
    assert ledger_rows(campaign, "SELECT * FROM outcomes") == []
    assert ledger_rows(campaign, "SELECT * FROM referrals") == []


def _batch_status(status: dict, batch_id: str) -> dict:
    [found] = [b for b in status["batches"] if b["batch_id"] == batch_id]
    return found


def test_status_names_who_is_to_be_invited_again_before_the_round(two_rounds):
    status, batch = two_rounds["status_before_round"], two_rounds["batch"]
    row = _batch_status(status, batch)
    expected = (1, len(NOT_HOME), len(two_rounds["route"]))
    assert (row["round"], row["invite_again"], row["outcomes"]) == expected
    [step] = [s for s in status["next"] if s["batch"] == batch]
    assert step["action"] == "round"
    assert f"4 personen opnieuw uit te nodigen — voer `kansen batch --round 2 {batch}` uit" in step["text"]


def test_status_shows_the_later_round_batch(two_rounds):
    invoke, campaign, batch = two_rounds["invoke"], two_rounds["campaign"], two_rounds["batch"]
    result = invoke("status", "-c", campaign, "--json")
    _ok(result)
    status = json.loads(result.stdout)
    first, second = _batch_status(status, batch), _batch_status(status, f"{batch}-r2")
    assert (first["round"], first["size"], first["invite_again"]) == (1, len(two_rounds["route"]), 0)
    assert (second["round"], second["size"], second["approached"], second["outcomes"]) == (2, 4, 4, 4)
    assert second["letters_sent_on"] == "2026-11-02"
    assert not [s for s in status["next"] if s["batch"] in (batch, f"{batch}-r2")]
    ids = [b["batch_id"] for b in status["batches"]]
    assert ids.index(f"{batch}-r2") == ids.index(batch) + 1


def test_the_reinvitation_text_names_no_klantmanager():
    """The packaged re-invitation, every field a neutral word: its own text must not say that a
    klantmanager invites (it once did, in every preset, also Groningen's where round 1's team
    sends it); who sends it is the sender block's and "Met wie"'s, from the settings."""
    from kansen_cli.letter_sandbox import render
    from kansen_cli.letter_templates import environment, template_name, template_variables

    env = environment()
    name = template_name("herinvitatie")
    values = {field: "VELD" for field in template_variables(env, name)} | {"fragment": False, "logo": None}
    html = render(env.get_template(name), **values)
    assert "klantmanager" not in html.lower()
    assert "nodigen wij u opnieuw uit" in html
