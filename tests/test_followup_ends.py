"""Issue 15, item 3: follow-up lists that end.

Expected lists are worked out by hand from the rules in `kansen_cli.followup`'s docstring.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from kansen_cli.errors import SettingsError
from kansen_cli.followup import closed_people, due_calls, due_referrals
from kansen_cli.settings import Settings, load_settings, parse_settings, preset
from kansen_cli.workbooks.followup import CALLS_SHEET, REFERRALS_SHEET
from kansen_cli.workflows import followup as followup_workflow
from registration_helpers import (
    TODAY,
    build_campaign,
    fill,
    ingest,
    members,
    send_letters,
    set_setting,
    spoken_acting_on_own,
)

DAY = dt.date(2027, 6, 1)


def _settings(**followup: object) -> Settings:
    s = Settings()
    return s.model_copy(update={"followup": s.followup.model_copy(update=followup)})


def _people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": ["a", "b", "c"],
            "contact_result": ["gesproken"] * 3,
            "conversation_date": ["2027-01-10"] * 3,
            "participation_potential": ["zelf"] * 3,
            "referrals": ["", "wijkwerkmakelaar", None],
        }
    )


def test_the_referred_are_not_called_unless_the_setting_says_so():
    assert due_calls(_people(), {}, Settings(), DAY)["client_id"].tolist() == ["a", "c"]
    called = due_calls(_people(), {}, _settings(call_referred=True), DAY)
    assert called["client_id"].tolist() == ["a", "b", "c"]


@pytest.mark.parametrize("rounds", [1, 2, 3])
def test_after_the_rounds_without_contact_the_person_is_off_the_list(rounds):
    settings = _settings(rounds=rounds)
    calls: dict = {}
    listed_rounds = []
    for number in range(1, 6):
        due = due_calls(_people().iloc[:1], calls, settings, DAY)
        if due.empty:
            break
        listed_rounds.append(int(due["round"].iloc[0]))
        calls.setdefault("a", {})[number] = {"round": number, "result": "geen_contact"}
    assert listed_rounds == list(range(1, rounds + 1))


def test_niet_meer_bellen_closes_the_calls_and_the_referrals():
    calls = {
        "a": {1: {"round": 1, "result": "niet_meer_bellen"}},
        "c": {1: {"round": 1, "result": "geen_contact"}},
    }
    settings = Settings()
    assert closed_people(calls, settings) == {"a"}
    assert due_calls(_people(), calls, settings, DAY)["client_id"].tolist() == ["c"]
    referrals = pd.DataFrame(
        {
            "client_id": ["a", "c", "d", "e"],
            "destination": ["wij_team"] * 4,
            "referred_on": ["2027-01-10"] * 4,
            "result": [None, None, "geen_resultaat_partner", "in_behandeling"],
            "lists": [0, 0, 0, 0],
        }
    )
    # a: closed by the call; d: the partner reports no result; e: still pending.
    due = due_referrals(referrals, settings, DAY, closed_people(calls, settings))
    assert due["client_id"].tolist() == ["c", "e"]


def test_a_referral_leaves_after_the_set_number_of_lists():
    referrals = pd.DataFrame(
        {
            "client_id": ["a", "b", "c", "d"],
            "destination": ["wij_team"] * 4,
            "referred_on": ["2027-01-10"] * 4,
            "result": [None] * 4,
            "lists": [0, 2, 3, 7],
        }
    )
    assert due_referrals(referrals, Settings(), DAY)["client_id"].tolist() == ["a", "b"]
    assert due_referrals(referrals, _settings(referral_rounds=1), DAY)["client_id"].tolist() == ["a"]


def test_every_preset_has_the_closing_codes():
    for name in ("groningen", "nijmegen", "generic"):
        cb = preset(name).codebook
        assert cb.followup_result[cb.roles.followup_closed] == "Niet meer bellen"
        assert cb.referral_result[cb.roles.referral_closed] == "Geen resultaat van partner"


def test_the_closing_roles_are_checked_like_the_others():
    with pytest.raises(SettingsError, match=r"roles\.followup_closed"):
        parse_settings({"codebook": {"roles": {"followup_closed": "bestaat_niet"}}})
    with pytest.raises(SettingsError, match=r"roles\.referral_closed"):
        parse_settings({"codebook": {"roles": {"referral_closed": "bestaat_niet"}}})
    with pytest.raises(SettingsError, match="referral_rounds"):
        parse_settings({"followup": {"referral_rounds": 0}})


# ---- through the workbooks -------------------------------------------------------------------

SPOKE = TODAY - dt.timedelta(days=35)


@pytest.fixture
def campaign_due(invoke, campaign: Path, small_register: Path, tmp_path: Path):
    """Three people acting on their own, due a month after their conversation: 0 and 1 plain,
    2 referred to the Coach Meedoen."""
    batch_id = build_campaign(invoke, campaign, small_register)
    set_setting(campaign, "followup", "months", 1)
    set_setting(campaign, "followup", "referral_rounds", 2)
    send_letters(campaign, batch_id)
    assert invoke("sheet", batch_id, "-c", campaign).exit_code == 0
    ids = members(campaign, batch_id)
    own = spoken_acting_on_own(SPOKE)
    answers = {ids[0]: own, ids[1]: own, ids[2]: own | {"referral:coach_meedoen": "Ja"}}
    filled = tmp_path / "registratie.xlsx"
    fill(campaign / "sheets" / f"{batch_id}-registratie.xlsx", filled, answers)
    assert ingest(campaign, filled)["new"] == 3
    return campaign, ids


def _listed(campaign: Path, day: dt.date) -> tuple[list[str], list[str], Path | None]:
    from openpyxl import load_workbook

    result = followup_workflow.run(campaign, load_settings(campaign), TODAY, due=day, force=True)
    if result.file is None:
        return [], [], None
    book = load_workbook(result.file)
    calls = [r[0] for r in book[CALLS_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    refs = [r[0] for r in book[REFERRALS_SHEET].iter_rows(min_row=2, values_only=True) if r[0]]
    return calls, refs, result.file


def test_without_due_the_list_holds_everyone_due_up_to_today(invoke, campaign_due):
    campaign, _ = campaign_due
    # Due since TODAY - 4 (a month after the conversation); the list of today still has them.
    result = invoke("followup", "-c", campaign, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["due"], data["calls"], data["referrals"]) == (TODAY.isoformat(), 2, 1)
    help_text = invoke("followup", "--help").stdout
    assert "tot en met vandaag" in " ".join(help_text.split())


def test_lines_end_with_an_answer_or_after_the_lists(campaign_due, tmp_path):
    campaign, ids = campaign_due
    calls, refs, path = _listed(campaign, TODAY)
    assert (sorted(calls), refs) == (sorted([ids[0], ids[1]]), [ids[2]])  # ids[2] is not called
    assert path is not None
    day = TODAY.strftime("%d-%m-%Y")
    first = tmp_path / "lijst1.xlsx"
    fill(
        path,
        first,
        {
            ids[0]: {"call_date": day, "followup_result": "Niet meer bellen"},
            ids[1]: {"call_date": day, "followup_result": "Geen contact"},
        },
        sheet=CALLS_SHEET,
    )
    assert ingest(campaign, first)["not_loaded"] == []  # the referral left blank: list 1 of 2
    calls, refs, path = _listed(campaign, TODAY)
    assert (calls, refs) == ([ids[1]], [ids[2]])
    assert path is not None
    second = tmp_path / "lijst2.xlsx"
    fill(path, second, {ids[1]: {"call_date": day, "followup_result": "Geen contact"}}, sheet=CALLS_SHEET)
    assert ingest(campaign, second)["not_loaded"] == []
    # Two rounds without contact, and the referral on two lists without an answer: all done.
    assert _listed(campaign, TODAY) == ([], [], None)


def test_geen_resultaat_van_partner_closes_the_referral(campaign_due, tmp_path):
    campaign, ids = campaign_due
    _, refs, path = _listed(campaign, TODAY)
    assert refs == [ids[2]] and path is not None
    answered = tmp_path / "antwoord.xlsx"
    answer = {"result_date": TODAY.strftime("%d-%m-%Y"), "referral_result": "Geen resultaat van partner"}
    fill(path, answered, {f"{ids[2]}|Coach Meedoen": answer}, sheet=REFERRALS_SHEET)
    assert ingest(campaign, answered)["not_loaded"] == []
    assert _listed(campaign, TODAY)[1] == []


def test_a_pending_answer_starts_the_count_again(campaign_due, tmp_path):
    campaign, ids = campaign_due
    for number in range(3):  # two lists would end it; each new pending answer restarts the count
        day = TODAY - dt.timedelta(days=3 - number)
        pending = {"result_date": day.strftime("%d-%m-%Y"), "referral_result": "In behandeling"}
        _, refs, path = _listed(campaign, TODAY)
        assert refs == [ids[2]] and path is not None
        filled = tmp_path / f"lijst{number}.xlsx"
        fill(path, filled, {f"{ids[2]}|Coach Meedoen": pending}, sheet=REFERRALS_SHEET)
        assert ingest(campaign, filled)["not_loaded"] == []
