"""The core of later rounds (`ledger.rounds`): who is in a round-2 batch, whatever the results.

The expectation is a plain loop over the results drawn, written here: the round-1 members whose
result is in invite_again, in route order, each once; a second run adds nobody.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansen_cli.errors import NotFoundError
from registration_helpers import AS_OF

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")

RESULTS = ("gesproken", "afgezegd", "niet_thuis", "niet_bereikt", "vervallen")


@pytest.fixture(scope="module")
def base_campaign(tmp_path_factory, small_register) -> Path:
    """A default campaign with its batches (of 20), nobody's result loaded yet."""
    from typer.testing import CliRunner

    from campaign_helpers import make_campaign
    from kansen_cli.cli import app

    campaign = make_campaign(tmp_path_factory.mktemp("base") / "campaign")
    runner = CliRunner()
    for args in (["select", str(small_register), "--as-of", AS_OF], ["batch", "--size", "20"]):
        result = runner.invoke(app, [*args, "-c", str(campaign)])
        assert result.exit_code == 0, result.stderr
    return campaign


def _first_batches(campaign: Path, count: int) -> dict[str, list[str]]:
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        names = [r[0] for r in db.execute("SELECT batch_id FROM batches ORDER BY batch_id LIMIT ?", (count,))]
        return {
            name: [
                r[0]
                for r in db.execute(
                    "SELECT client_id FROM batch_members WHERE batch_id = ? ORDER BY position", (name,)
                )
            ]
            for name in names
        }


def _load_results(campaign: Path, results: dict[str, tuple[str, str]]) -> None:
    """client id -> (round-1 batch, contact result), written as an ingest would leave them: the
    latest result in `outcomes` and the round's own on the letter attempt."""
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        db.executemany(
            "INSERT OR REPLACE INTO outcomes (client_id, batch_id, contact_result, source_file,"
            " source_sha256, loaded_at) VALUES (?,?,?,'t','t','t')",
            [(cid, batch, result) for cid, (batch, result) in results.items()],
        )
        _attempts(db, {cid: (batch, 1, result) for cid, (batch, result) in results.items()})


def _attempts(db: sqlite3.Connection, attempts: dict[str, tuple[str, int, str | None]]) -> None:
    """client id -> (batch, round, the round's own result or None): the letter of that round."""
    db.executemany(
        "INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, outcome,"
        " source_file, loaded_at) VALUES (?,?,?,?,'2026-10-01',?,'letters','t')",
        [
            (cid, batch, round_no, "letter" if round_no == 1 else "reinvitation", result)
            for cid, (batch, round_no, result) in attempts.items()
        ],
    )


def _round_members(campaign: Path) -> dict[str, list[str]]:
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        sql = "SELECT batch_id, client_id FROM round_members ORDER BY batch_id, position"
        rows = db.execute(sql).fetchall()
    found: dict[str, list[str]] = {}
    for batch, cid in rows:
        found.setdefault(batch, []).append(cid)
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), invite_again=st.sets(st.sampled_from(RESULTS)))
def test_round_two_holds_exactly_who_is_to_be_invited_again(
    base_campaign, tmp_path_factory, data, invite_again
):
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import record_round

    campaign = tmp_path_factory.mktemp("prop") / "campaign"
    shutil.copytree(base_campaign, campaign)
    batches = _first_batches(campaign, 3)
    results = {}
    for batch, people in batches.items():
        for cid in people:
            # None: no result loaded yet for this person.
            result = data.draw(st.none() | st.sampled_from(RESULTS))
            if result is not None:
                results[cid] = (batch, result)
    _load_results(campaign, results)

    with open_ledger(campaign, create=False) as ledger:
        made = record_round(ledger, 2, invite_again, list(batches))
        again = record_round(ledger, 2, invite_again, list(batches))

    expected = {}
    for batch, people in batches.items():
        chosen = [cid for cid in people if cid in results and results[cid][1] in invite_again]
        if chosen:
            expected[f"{batch}-r2"] = chosen
    assert _round_members(campaign) == expected
    assert {b.batch_id: b.added for b in made} == {b: len(p) for b, p in expected.items()}
    assert again == []


def test_a_batch_of_another_round_cannot_be_named(base_campaign, tmp_path):
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import record_round

    campaign = tmp_path / "campaign"
    shutil.copytree(base_campaign, campaign)
    with open_ledger(campaign, create=False) as ledger, pytest.raises(NotFoundError) as error:
        record_round(ledger, 3, ["niet_thuis"], ["x-1"])
    assert str(error.value).startswith("no batch of round 2 'x-1'")


def test_someone_whose_result_comes_in_later_joins_in_route_order(base_campaign, tmp_path):
    """A late sheet: the round-2 batch grows, positions stay 1..n in round-1 order."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import record_round

    campaign = tmp_path / "campaign"
    shutil.copytree(base_campaign, campaign)
    [(batch, people)] = _first_batches(campaign, 1).items()
    _load_results(campaign, {people[4]: (batch, "niet_thuis")})
    with open_ledger(campaign, create=False) as ledger:
        record_round(ledger, 2, ["niet_thuis"])
    _load_results(campaign, {people[1]: (batch, "niet_thuis")})
    with open_ledger(campaign, create=False) as ledger:
        [grown] = record_round(ledger, 2, ["niet_thuis"])
    assert (grown.size, grown.added) == (2, 1)
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        rows = db.execute("SELECT client_id, position FROM round_members ORDER BY position").fetchall()
    assert rows == [(people[1], 1), (people[4], 2)]


def test_a_later_round_letter_takes_the_rounds_sender_only_where_one_is_set():
    from kansen_cli.letters import later_round_fields
    from kansen_cli.settings import Settings, preset

    # Groningen's defaults: the re-invitation template, round 1's sender and signature.
    assert later_round_fields(Settings()) == {"template": "herinvitatie"}
    assert later_round_fields(preset("nijmegen")) == {
        "template": "herinvitatie",
        "sender_department": "Klantmanagers Werk en Inkomen",
        "signature_name": "Uw klantmanager",
        "signature_title": "Gemeente Nijmegen",
    }


def _round_two(campaign: Path, not_home: list[int]) -> tuple[str, list[str]]:
    """The first batch's people at positions `not_home` (0-based) not at home in round 1, and
    their round-2 batch made; returns (round-1 batch, its people)."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import record_round

    [(batch, people)] = _first_batches(campaign, 1).items()
    _load_results(campaign, {people[i]: (batch, "niet_thuis") for i in not_home})
    with open_ledger(campaign, create=False) as ledger:
        record_round(ledger, 2, ["niet_thuis"])
    return batch, people


def test_round_three_takes_the_round_two_result_not_the_latest(base_campaign, tmp_path):
    """Round 2's sheet said niet_thuis for people[2]; people[5]'s round-2 row is still blank, so
    their latest result is round 1's niet_thuis: only people[2] goes into round 3."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import record_round, still_to_invite_again

    campaign = tmp_path / "campaign"
    shutil.copytree(base_campaign, campaign)
    batch, people = _round_two(campaign, [2, 5])
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        _attempts(db, {people[2]: (f"{batch}-r2", 2, "niet_thuis"), people[5]: (f"{batch}-r2", 2, None)})
    with open_ledger(campaign, create=False) as ledger:
        assert still_to_invite_again(ledger, ["niet_thuis"], 3) == {f"{batch}-r2": 1}
        # At max_round 2 there is no round 3 to point to.
        assert still_to_invite_again(ledger, ["niet_thuis"], 2) == {}
        [made] = record_round(ledger, 3, ["niet_thuis"])
    assert (made.batch_id, made.parent_id, made.size) == (f"{batch}-r3", batch, 1)
    assert _round_members(campaign)[f"{batch}-r3"] == [people[2]]


def test_a_round_batch_whose_letters_went_out_is_not_grown(base_campaign, tmp_path):
    """A result that comes in after the round-2 letters went out is refused, nothing written."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import RoundClosedError, record_round

    campaign = tmp_path / "campaign"
    shutil.copytree(base_campaign, campaign)
    batch, people = _round_two(campaign, [4])
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        db.execute("UPDATE batches SET invited_on = '2026-11-02' WHERE batch_id = ?", (f"{batch}-r2",))
    _load_results(campaign, {people[1]: (batch, "niet_thuis")})
    with open_ledger(campaign, create=False) as ledger, pytest.raises(RoundClosedError) as error:
        record_round(ledger, 2, ["niet_thuis"])
    message = str(error.value)
    assert f"1 person of batch {batch} to be invited again" in message
    assert f"{batch}-r2 went out on 2 Nov 2026" in message
    assert "kansen batch --round 2 BATCH" in message
    assert people[1] not in message
    assert _round_members(campaign) == {f"{batch}-r2": [people[4]]}


def test_a_no_on_the_phone_that_the_codebook_invites_again_goes_into_round_two(base_campaign, tmp_path):
    """Nijmegen: 'geen afspraak' is invited again; said on the phone, no letter went, so the
    round-1 result is the one the call settled (in `outcomes`), not a letter attempt's."""
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.rounds import record_round

    campaign = tmp_path / "campaign"
    shutil.copytree(base_campaign, campaign)
    (batch, people), *_ = _first_batches(campaign, 1).items()
    phoned_no, lettered, phoned_then_lettered = people[:3]
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        db.executemany(
            "INSERT INTO outcomes (client_id, batch_id, contact_result, source_file, source_sha256,"
            " loaded_at) VALUES (?,?,?,'t','t','t')",
            [(phoned_no, batch, "geen_afspraak"), (phoned_then_lettered, batch, "geen_afspraak")],
        )
        db.executemany(
            "INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, outcome,"
            " source_file, loaded_at) VALUES (?,?,1,'phone','2026-10-02',?,'bellen','t')",
            [(phoned_no, batch, "geen_gesprek"), (phoned_then_lettered, batch, "geen_gehoor")],
        )
        # Called, not reached, then lettered: the letter's own (blank) result is this round's.
        _attempts(db, {lettered: (batch, 1, "geen_afspraak"), phoned_then_lettered: (batch, 1, None)})
    with open_ledger(campaign, create=False) as ledger:
        record_round(ledger, 2, ["geen_afspraak"], [batch])
    assert _round_members(campaign) == {f"{batch}-r2": sorted([phoned_no, lettered], key=people.index)}
