"""kansen status: the next-step rules by hand, the workflow on a campaign built step by step and
on the demo (against plain SQL and `kansen followup`'s own functions), --json, and that status
never writes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from dates import TODAY
from kansen_cli.settings import Settings, load_settings
from kansen_cli.status import (
    BatchState,
    RunState,
    Step,
    SurveyState,
    batch_step,
    call_cutoff,
    campaign_steps,
    due_per_batch,
    next_steps,
)
from kansen_cli.workflows import status as workflow
from registration_helpers import build_campaign, fill, ingest, members, send_letters
from safety_helpers import assert_clean_failure, ledger_dump, tree

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")


def en(day: dt.date) -> str:
    """A date as the English text writes it: 2 Nov 2026 (written out here, not by the code)."""
    return f"{day.day} {day:%b %Y}"


@pytest.fixture(autouse=True)
def _english_steps(monkeypatch):
    """The rules' texts below are asserted as written in the source (English, KANSEN_LANG=en);
    the terminal's Dutch is asserted with `--lang nl`."""
    monkeypatch.setenv("KANSEN_LANG", "en")


def test_the_next_step_is_dutch_by_default():
    from kansen_cli.i18n import using

    with using("nl"):
        step = batch_step(state("vinkhuizen-1"), TODAY)
        assert step is not None
        assert (
            step.text == "vinkhuizen-1: nog niet gepland — voer `kansen plan vinkhuizen-1 --start DATE` uit"
        )
        assert campaign_steps(None, [], [])[0].text == "nog geen selectie — voer `kansen select REGISTER` uit"


DAY = dt.timedelta(days=1)


def state(batch_id: str = "selwerd-2", **values) -> BatchState:
    return BatchState(batch_id=batch_id, neighbourhood="Selwerd", size=values.pop("size", 50), **values)


def sent(days_ago: int, **values) -> BatchState:
    """A batch of 50, all planned and sent `days_ago`, appointments from a week after the letter."""
    letter = TODAY - days_ago * DAY
    defaults = {
        "planned": 50,
        "first_appointment": letter + 7 * DAY,
        "last_appointment": letter + 14 * DAY,
        "letters_sent_on": letter,
        "approached": 50,
    }
    return state(**{**defaults, **values})


# --------------------------------------------------------------------------- the rules, by hand


def test_a_batch_not_planned_is_to_be_planned():
    step = batch_step(state("vinkhuizen-1"), TODAY)
    assert step == Step(
        "vinkhuizen-1", "plan", "vinkhuizen-1: not planned yet — run `kansen plan vinkhuizen-1 --start DATE`"
    )


def test_a_planned_batch_without_letters_is_to_be_sent():
    first = TODAY + 5 * DAY
    step = batch_step(
        state("vinkhuizen-1", planned=50, first_appointment=first, last_appointment=first), TODAY
    )
    assert step is not None and step.action == "letters"
    assert step.text == (
        f"vinkhuizen-1: planned from {en(first)}, no letters yet — run `kansen letters vinkhuizen-1`"
    )


@pytest.mark.parametrize("first_in_days", [0, -3])
def test_a_plan_whose_first_day_came_without_letters_is_to_be_made_again(first_in_days):
    first = TODAY + first_in_days * DAY
    step = batch_step(state(planned=50, first_appointment=first, last_appointment=first + 9 * DAY), TODAY)
    assert step is not None and step.action == "replan"
    assert f"the plan starts on {en(first)} and no letters were sent" in step.text
    assert "`kansen plan selwerd-2 --start DATE`" in step.text


def test_letters_sent_and_no_sheet_written_asks_for_the_sheet():
    step = batch_step(sent(12), TODAY)
    assert step == Step(
        "selwerd-2",
        "sheet",
        "selwerd-2: letters sent 12 days ago, no registration sheet yet — run `kansen sheet selwerd-2`",
    )


def test_letters_sent_sheet_written_no_outcomes_asks_for_the_ingest():
    # The issue's own example.
    step = batch_step(sent(12, last_appointment=TODAY - DAY, sheet_written=True), TODAY)
    assert step == Step(
        "selwerd-2",
        "ingest",
        "selwerd-2: letters sent 12 days ago, no outcomes yet — ingest the registration sheet",
    )


def test_a_sheet_ingested_elsewhere_counts_as_written():
    # Written with --out somewhere else, then ingested: no file in sheets/, but a load in the ledger.
    step = batch_step(sent(30, sheet_loaded_on=TODAY - DAY), TODAY)
    assert step is not None and step.action == "ingest"


def test_appointments_still_to_come_are_named_before_the_ingest():
    last = TODAY + 4 * DAY
    step = batch_step(sent(3, last_appointment=last, sheet_written=True), TODAY)
    assert step is not None and step.action == "ingest"
    assert step.text == (
        f"selwerd-2: letters sent 3 days ago, appointments until {en(last)} "
        "— ingest the filled-in registration sheet after them"
    )


def test_letters_sent_today_or_dated_later():
    assert "letters sent today," in batch_step(sent(0), TODAY).text
    assert "letters sent 1 day ago," in batch_step(sent(1), TODAY).text
    later = TODAY + 2 * DAY
    assert f"letters to go out on {en(later)}," in batch_step(sent(-2), TODAY).text


def test_some_outcomes_in_asks_to_complete_the_sheet():
    step = batch_step(sent(40, sheet_written=True, outcomes=40), TODAY)
    assert step == Step(
        "selwerd-2",
        "complete",
        "selwerd-2: outcomes in for 40 of 50 approached — 10 people without an answer: "
        "complete the registration sheet and ingest it again",
    )
    one = batch_step(sent(40, sheet_written=True, outcomes=49), TODAY)
    assert "— 1 person without an answer" in one.text


def test_every_outcome_in_leaves_nothing_to_do():
    assert batch_step(sent(40, sheet_written=True, outcomes=50), TODAY) is None


@pytest.mark.parametrize(
    ("outcomes", "approached", "pct"),
    [(45, 60, 75.0), (1, 3, 33.3), (2, 3, 66.7), (0, 50, 0.0), (0, 0, None)],
)
def test_outcomes_as_a_share_of_the_approached(outcomes, approached, pct):
    assert state(outcomes=outcomes, approached=approached).outcomes_pct == pct


RUN = RunState(
    run_id=2,
    created_at="2026-10-01T09:00:00+02:00",
    as_of=dt.date(2026, 10, 1),
    rows=10_000,
    selected=4_800,
    unbatched=0,
)


def test_campaign_steps_follow_up_and_survey():
    batches = [state("a-1", calls_due=10), state("b-1", calls_due=4, referrals_due=0)]
    assert campaign_steps(RUN, batches, []) == [
        Step(None, "followup", "follow-up: 14 calls due — run `kansen followup`")
    ]
    batches = [state("a-1", calls_due=1, referrals_due=1)]
    assert campaign_steps(RUN, batches, [])[0].text == (
        "follow-up: 1 call due and 1 referral waiting for the partner's answer — run `kansen followup`"
    )
    batches = [state("a-1", referrals_due=3)]
    assert campaign_steps(RUN, batches, [])[0].text == (
        "follow-up: 3 referrals waiting for the partner's answer — run `kansen followup`"
    )
    surveys = [SurveyState(1, dt.date(2026, 11, 1), 50, 50), SurveyState(2, dt.date(2026, 11, 15), 50, 10)]
    assert campaign_steps(RUN, [], surveys) == [
        Step(
            None,
            "survey",
            "survey 2: 40 of 50 sampled not called yet — call them and ingest the survey workbook",
        )
    ]


def test_campaign_steps_selection_and_batches():
    assert campaign_steps(None, [], []) == [
        Step(None, "select", "no selection yet — run `kansen select REGISTER`")
    ]
    waiting = RunState(1, "2026-10-01T09:00:00+02:00", dt.date(2026, 10, 1), 1_000, 480, unbatched=7)
    assert campaign_steps(waiting, [], []) == [
        Step(None, "batch", "7 people selected on 1 Oct 2026 in no batch yet — run `kansen batch`")
    ]


def test_next_steps_campaign_first_then_answers_before_plans():
    first = TODAY + 5 * DAY
    batches = [
        state("a-1"),  # plan
        sent(12, batch_id="b-1", sheet_written=True, last_appointment=TODAY - DAY),  # ingest
        state("c-1", planned=50, first_appointment=first, last_appointment=first),  # letters
        sent(12, batch_id="d-1"),  # sheet
        sent(40, batch_id="e-1", sheet_written=True, outcomes=50),  # done
        state("f-1"),  # plan
        sent(40, batch_id="g-1", sheet_written=True, outcomes=20, calls_due=2),  # complete
    ]
    steps = next_steps(RUN, batches, [], TODAY)
    assert [(s.batch, s.action) for s in steps] == [
        (None, "followup"),
        ("b-1", "ingest"),
        ("g-1", "complete"),
        ("d-1", "sheet"),
        ("c-1", "letters"),
        ("a-1", "plan"),
        ("f-1", "plan"),
    ]


@pytest.mark.parametrize(
    ("today", "months", "cutoff"),
    [
        ("2026-11-20", 3, "2026-08-20"),
        ("2026-05-31", 3, "2026-02-28"),
        ("2024-05-31", 3, "2024-02-29"),
        ("2027-01-15", 0, "2027-01-15"),
        ("2027-01-15", 13, "2025-12-15"),
    ],
)
def test_the_ledger_reads_no_one_spoken_to_after_the_cutoff(today, months, cutoff):
    settings = Settings.model_validate({"followup": {"months": months}})
    assert call_cutoff(settings, dt.date.fromisoformat(today)) == dt.date.fromisoformat(cutoff)


def test_follow_ups_due_per_batch_by_the_followup_rules():
    # Three months back from 20-11-2026 is 20-08-2026; two rounds; 'geen_contact' keeps a person on.
    settings = Settings()
    people = pd.DataFrame(
        [
            ("A", "b-1", "2026-07-01"),  # due, round 1
            ("B", "b-1", "2026-09-01"),  # too recent
            ("C", "b-2", "2026-06-01"),  # not reached once: due, round 2
            ("D", "b-2", "2026-06-01"),  # not reached twice: rounds used
            ("E", "b-2", "2026-06-01"),  # a final answer
            ("F", "b-3", "2026-08-20"),  # exactly three months: due
        ],
        columns=["client_id", "batch_id", "conversation_date"],
    ).assign(contact_result="gesproken", participation_potential="zelf")
    calls = {
        "C": {1: {"round": 1, "result": "geen_contact"}},
        "D": {1: {"round": 1, "result": "geen_contact"}, 2: {"round": 2, "result": "geen_contact"}},
        "E": {1: {"round": 1, "result": "niet_actief"}},
    }
    referrals = pd.DataFrame(
        [
            ("A", "coach_meedoen", "2026-10-01", None, "b-1"),  # no answer yet
            ("B", "wij_team", "2026-10-01", "in_behandeling", "b-1"),  # pending
            ("C", "wij_team", "2026-10-01", "gestart", "b-2"),  # answered
            ("D", "wij_team", "2026-11-21", None, "b-2"),  # made after today
        ],
        columns=["client_id", "destination", "referred_on", "result", "batch_id"],
    )
    rows = people.to_dict("records"), referrals.to_dict("records")
    assert due_per_batch(rows[0], calls, rows[1], settings, TODAY) == (
        {"b-1": 1, "b-2": 1, "b-3": 1},
        {"b-1": 2},
    )


# --------------------------------------------------------------------------- a campaign, step by step


def add_plan(campaign: Path, batch_id: str, first: dt.date) -> None:
    """Appointments for the whole batch from `first`, six a day, without letters."""
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        db.executemany(
            "INSERT INTO appointments (client_id, batch_id, date, start, end, consultant, planned_at)"
            " VALUES (?,?,?,'09:00','10:00','Anouk','t')",
            [
                (cid, batch_id, (first + (i // 6) * DAY).isoformat())
                for i, cid in enumerate(members(campaign, batch_id))
            ],
        )


@pytest.fixture
def stages(invoke, campaign: Path, small_register: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """Six batches, each at another stage of the cycle (see the test below)."""
    build_campaign(invoke, campaign, small_register)
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        batches = [r[0] for r in db.execute("SELECT batch_id FROM batches ORDER BY neighbourhood, seq")]
    assert len(batches) >= 6
    a, b, c, d, e, _ = batches[:6]
    send_letters(campaign, a, sent_on=TODAY - 40 * DAY)
    assert invoke("sheet", a, "-c", campaign).exit_code == 0
    ids = members(campaign, a)
    spoke = TODAY - 30 * DAY
    answers = {
        ids[0]: {
            "conversation_date": spoke.strftime("%d-%m-%Y"),
            "contact_result": "Gesproken",
            "location": "Thuis",
            "classification": "Niet maatschappelijk actief",
            "participation_potential": "Wil (meer) doen, zelf",
            "consent": "Ja",
            "referral:coach_meedoen": "Ja",
        },
        ids[1]: {"contact_result": "Niet thuis (twee keer)"},
        ids[2]: {"contact_result": "Afgezegd"},
    }
    filled = tmp_path / "ingevuld.xlsx"
    fill(campaign / "sheets" / f"{a}-registratie.xlsx", filled, answers)
    assert ingest(campaign, filled)["not_loaded"] == []
    send_letters(campaign, b, sent_on=TODAY - 12 * DAY)  # appointments still to come
    assert invoke("sheet", b, "-c", campaign).exit_code == 0
    send_letters(campaign, c, sent_on=TODAY - 12 * DAY)  # no sheet
    add_plan(campaign, d, TODAY + 10 * DAY)  # planned, no letters
    add_plan(campaign, e, TODAY - 2 * DAY)  # planned, the first day passed, no letters
    return campaign, batches


def test_status_of_a_campaign_at_every_stage(stages):
    campaign, batches = stages
    a, b, c, d, e, f = batches[:6]
    before = (ledger_dump(campaign), tree(campaign))
    result = workflow.run(campaign, load_settings(campaign), TODAY)
    assert (ledger_dump(campaign), tree(campaign)) == before
    by_id = {s.batch_id: s for s in result.batches}
    assert list(by_id) == batches

    n_a = len(members(campaign, a))
    sa = by_id[a]
    assert (sa.size, sa.approached, sa.outcomes) == (n_a, n_a, 3)
    assert sa.outcomes_pct == round(300 / n_a, 1)
    # send_letters plans every second person, from ten days after the letter, six a day.
    assert sa.planned == (n_a + 1) // 2
    assert sa.first_appointment == TODAY - 30 * DAY
    assert sa.last_appointment == TODAY - 30 * DAY + ((n_a - 1) // 2 * 2 // 6) * DAY
    assert sa.letters_sent_on == TODAY - 40 * DAY
    assert sa.sheet_written and sa.sheet_loaded_on is not None  # loaded just now, by the real clock
    # Spoken 30 days ago: the self-starter's call is three months off; the referral waits now.
    assert (sa.calls_due, sa.referrals_due) == (0, 1)

    sb = by_id[b]
    assert sb.sheet_written and sb.outcomes == 0 and sb.outcomes_pct == 0.0
    assert not by_id[c].sheet_written and by_id[c].letters_sent_on == TODAY - 12 * DAY
    sd = by_id[d]
    assert (sd.planned, sd.first_appointment, sd.letters_sent_on, sd.approached) == (
        len(members(campaign, d)),
        TODAY + 10 * DAY,
        None,
        0,
    )
    assert by_id[f].planned == 0 and by_id[f].outcomes_pct is None

    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        selected = db.execute("SELECT selected FROM selection_runs").fetchone()[0]
        batched = db.execute("SELECT count(*) FROM batch_members").fetchone()[0]
    assert (result.run.selected, result.run.unbatched) == (selected, selected - batched)

    last_b = TODAY - 2 * DAY + ((len(members(campaign, b)) - 1) // 2 * 2 // 6) * DAY
    steps = {s.batch: s for s in result.steps}
    assert (
        steps[None].text == "follow-up: 1 referral waiting for the partner's answer — run `kansen followup`"
    )
    assert steps[a].text == (
        f"{a}: outcomes in for 3 of {n_a} approached — {n_a - 3} people without an answer: "
        "complete the registration sheet and ingest it again"
    )
    assert steps[b].text == (
        f"{b}: letters sent 12 days ago, appointments until {en(last_b)} "
        "— ingest the filled-in registration sheet after them"
    )
    assert (
        steps[c].text == f"{c}: letters sent 12 days ago, no registration sheet yet — run `kansen sheet {c}`"
    )
    assert steps[d].action == "letters" and steps[e].action == "replan" and steps[f].action == "plan"
    assert [s.action for s in result.steps[:6]] == [
        "followup",
        "ingest",
        "complete",
        "sheet",
        "replan",
        "letters",
    ]


def test_json_is_the_workflows_and_the_terminal_names_the_next_steps(stages, invoke, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # the Dutch headers whole at 80 columns
    campaign, batches = stages
    before = (ledger_dump(campaign), tree(campaign))
    shown = invoke("status", "-c", campaign, "--json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout) == workflow.run(campaign, load_settings(campaign), TODAY).as_json()
    table = invoke("--lang", "nl", "status", "-c", campaign)
    assert table.exit_code == 0, table.stderr
    assert (ledger_dump(campaign), tree(campaign)) == before
    text = table.stdout
    assert f"Batches ({len(batches)}) op {TODAY:%d-%m-%Y}" in text
    assert "Volgende stappen:" in text and f"`kansen sheet {batches[2]}`" in " ".join(text.split())
    assert "Vandaag na te bellen: 0 nabelgesprekken; 1 verwijzing wacht op het antwoord van de partner." in (
        " ".join(text.split())
    )
    header = next(line for line in text.splitlines() if line.startswith("batch"))
    assert header.split() == ["batch", "n", "gepland", "brief", "blad", "uitkomst", "open", "enquête"]
    english = invoke("--lang", "en", "status", "-c", campaign).stdout
    assert f"Batches ({len(batches)}) on {TODAY.day} {TODAY:%b %Y}" in english
    assert "Next:" in english and f"run `kansen sheet {batches[2]}`" in " ".join(english.split())
    assert "Follow-up due today: 0 calls, 1 referral waiting for the partner's answer." in " ".join(
        english.split()
    )


def test_status_outside_a_campaign_says_so_and_writes_nothing(invoke, tmp_path):
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    result = invoke("status", "-c", folder)
    line = assert_clean_failure(result)
    assert "no ledger in" in line and "kansen init" in line
    assert tree(folder) == {}
    missing = invoke("status", "-c", tmp_path / "nowhere")
    assert_clean_failure(missing)
    assert not (tmp_path / "nowhere").exists()


def test_a_campaign_without_a_selection(invoke, campaign):
    # The fixture's folder is a campaign already (kansen.toml); init makes its ledger.
    assert invoke("init", campaign, "--force").exit_code == 0
    result = workflow.run(campaign, load_settings(campaign), TODAY)
    assert result.run is None and result.batches == []
    assert [s.action for s in result.steps] == ["select"]
    shown = invoke("--lang", "nl", "status", "-c", campaign)
    assert shown.exit_code == 0 and "Nog geen selectie." in shown.stdout


def test_a_long_campaign_is_cut_short_on_the_terminal(capsys):
    from kansen_cli.cli.status import SHOWN, show_status

    batches = [state(f"wijk-{i:02d}-1") for i in range(SHOWN + 5)]
    result = workflow.StatusResult(TODAY, RUN, batches, [], next_steps(RUN, batches, [], TODAY))
    show_status(result)
    out = capsys.readouterr().out
    assert "... and 5 more batches (--json lists them all)." in out
    assert "... and 5 more (--json lists them all)." in out
    assert f"wijk-{SHOWN - 1:02d}-1" in out and f"wijk-{SHOWN:02d}-1" not in out


# --------------------------------------------------------------------------- the demo


def test_status_of_the_demo_against_plain_sql_and_the_followup_command(demo_run):
    from kansen_cli.followup import due_calls, due_referrals
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.followups import current_followups, followup_people, open_referrals

    campaign, printed = demo_run
    assert printed.exit_code == 0
    settings = load_settings(campaign)
    before = (ledger_dump(campaign), tree(campaign))
    result = workflow.run(campaign, settings, TODAY)
    assert (ledger_dump(campaign), tree(campaign)) == before

    db = sqlite3.connect(f"file:{campaign / 'kansen.sqlite'}?mode=ro", uri=True)
    sizes = dict(db.execute("SELECT batch_id, count(*) FROM batch_people GROUP BY batch_id"))
    letters = {
        r[0]: r[1:]
        for r in db.execute("SELECT batch_id, count(*), max(sent_on) FROM letters GROUP BY batch_id")
    }
    outcomes = dict(db.execute("SELECT batch_id, count(*) FROM outcomes GROUP BY batch_id"))
    # A later round's batch (the demo's second round) writes no letters or outcomes rows: its
    # members' re-invitations are their attempts, and its sheet's results those attempts' outcomes.
    later = (
        "SELECT a.batch_id, count(DISTINCT a.client_id), max(a.on_date) FROM contact_attempts a"
        " JOIN round_members r ON r.batch_id = a.batch_id AND r.client_id = a.client_id {}"
        " GROUP BY a.batch_id"
    )
    letters |= {r[0]: r[1:] for r in db.execute(later.format(""))}
    outcomes |= {r[0]: r[1] for r in db.execute(later.format("WHERE a.outcome IS NOT NULL"))}
    sampled, answered = db.execute(
        "SELECT (SELECT count(*) FROM survey_members), (SELECT count(*) FROM survey_answers)"
    ).fetchone()
    db.close()
    assert {b.batch_id: b.size for b in result.batches} == sizes
    invited = [b for b in result.batches if b.letters_sent_on is not None]
    assert {b.batch_id: (b.approached, b.letters_sent_on.isoformat()) for b in invited} == letters
    assert {b.batch_id: b.outcomes for b in result.batches if b.outcomes} == outcomes
    assert sum(b.survey_sampled for b in result.batches) == sampled
    assert sum(b.survey_answered for b in result.batches) == answered
    assert [(s.sampled, s.answered) for s in result.surveys] == [(sampled, answered)]
    # The demo writes the registration sheets of its invited batches under their own names.
    assert {b.batch_id for b in result.batches if b.sheet_written} == set(letters)

    # Due today by `kansen followup`'s own path (every spoken person, every call, every referral).
    with open_ledger(campaign, create=False) as ledger:
        calls = due_calls(followup_people(ledger), current_followups(ledger), settings, TODAY)
        referrals = due_referrals(open_referrals(ledger), settings, TODAY)
    assert (sum(b.calls_due for b in result.batches), sum(b.referrals_due for b in result.batches)) == (
        len(calls),
        len(referrals),
    )
    assert {b.batch_id: b.calls_due for b in result.batches if b.calls_due} == calls[
        "batch_id"
    ].value_counts().to_dict()
    assert len(calls) + len(referrals) > 0  # the comparison compared something

    # Batches the demo did not invite are to be planned; the followup step names both counts.
    planned_not = [b.batch_id for b in result.batches if not b.planned]
    assert [s.batch for s in result.steps if s.action == "plan"] == planned_not
    assert result.steps[0].action == "followup"


def test_status_cli_on_the_demo(demo_run, invoke, tmp_path):
    campaign, _ = demo_run
    copy = tmp_path / "demo"
    shutil.copytree(campaign, copy)
    before = (ledger_dump(copy), tree(copy))
    shown = invoke("status", "-c", copy, "--json")
    assert shown.exit_code == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data == workflow.run(copy, load_settings(copy), TODAY).as_json()
    assert data["today"] == TODAY.isoformat() and data["selection"]["run_id"] == 1
    table = invoke("--lang", "nl", "status", "-c", copy)
    assert table.exit_code == 0
    assert "Volgende stappen:" in table.stdout and "kansen followup" in table.stdout
    assert (ledger_dump(copy), tree(copy)) == before
