"""Invariants of the routes in the report (issue 12), whatever the attempts: each person is
counted once per table, the counts by final result add up to the people approached, and the
attempts come back in date order per person. Expected values are counted here from the rows
drawn, not taken from the report."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_helpers import make_campaign
from kansen_cli.ledger import open_ledger
from kansen_cli.ledger.attempts import attempts_frame
from kansen_cli.ledger.reporting import read_report_data
from kansen_cli.report import build_report
from kansen_cli.settings import Settings
from kansen_cli.settings_routes import CHANNELS, PARTS_OF_DAY

NOW = "2026-03-01T10:00:00+01:00"
CODEBOOK = Settings().codebook
DAY0 = dt.date(2026, 1, 5)

attempt_strategy = st.tuples(
    st.sampled_from(CHANNELS),
    st.integers(0, 30),  # days after DAY0
    st.sampled_from(("", *PARTS_OF_DAY)),
    st.booleans(),  # in round 2 (only for people of the round-2 batch)
    st.one_of(st.none(), st.sampled_from([*CODEBOOK.phone_outcome, *CODEBOOK.contact_result])),
)
person_strategy = st.tuples(
    st.sampled_from(["noord-1", "zuid-1"]),
    st.sampled_from(["A", "B"]),
    st.lists(attempt_strategy, max_size=5),
    st.one_of(st.none(), st.sampled_from(list(CODEBOOK.contact_result))),
    st.sampled_from([None, "pijp"]),
)


def _ledger(campaign: Path, people: list, order: list[int]) -> dict[str, list]:
    """Insert the people; attempts in the drawn (shuffled) order. Returns each person's attempts."""
    kept: dict[str, list] = {}
    with open_ledger(campaign) as ledger, ledger.transaction() as db:
        db.execute(
            "INSERT INTO selection_runs VALUES (1, ?, '2026-01-01', 2, 'r.csv', 'a', '{}', 50, '{}', 40)",
            (NOW,),
        )
        for seq, (batch_id, nbh) in enumerate([("noord-1", "Noord"), ("zuid-1", "Zuid")]):
            db.execute(
                "INSERT INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at)"
                " VALUES (?, ?, ?, 1, 1, ?)",
                (batch_id, nbh, seq, NOW),
            )
        db.execute(
            "INSERT INTO batches (batch_id, neighbourhood, seq, run_id, seed, created_at, round, parent_id)"
            " VALUES ('noord-1-r2', 'Noord', 3, 1, 1, ?, 2, 'noord-1')",
            (NOW,),
        )
        rows = []
        for i, (batch_id, variant, attempts, result, place) in enumerate(people):
            cid = f"c{i:03d}"
            db.execute("INSERT INTO people (client_id, neighbourhood, run_id) VALUES (?, 'Noord', 1)", (cid,))
            db.execute("INSERT INTO batch_members VALUES (?, ?, ?, ?)", (cid, batch_id, i, variant))
            seen = set()
            for channel, day, part, later, outcome in attempts:
                second = later and batch_id == "noord-1"
                batch = "noord-1-r2" if second else batch_id
                key = (batch, channel, day, part)
                if key in seen:
                    continue  # the ledger keeps one attempt per person, batch, channel, day and part
                seen.add(key)
                rows.append(
                    (cid, batch, 2 if second else 1, channel, DAY0 + dt.timedelta(days=day), part, outcome)
                )
                kept.setdefault(cid, []).append(rows[-1])
                if second:
                    db.execute("INSERT OR IGNORE INTO round_members VALUES ('noord-1-r2', ?, ?)", (cid, i))
            if result is not None:
                spoken = result == CODEBOOK.roles.spoken
                db.execute(
                    "INSERT INTO outcomes (client_id, batch_id, contact_result, conversation_date,"
                    " classification, source_file, source_sha256, loaded_at) VALUES (?,?,?,?,?,?,?,?)",
                    (cid, batch_id, result, "2026-02-20" if spoken else None,
                     "niet_actief" if spoken else None, "f.xlsx", "x", NOW),
                )  # fmt: skip
            if place is not None or result is not None:
                db.execute(
                    "INSERT INTO appointments (client_id, batch_id, date, start, end, consultant, planned_at,"
                    " location) VALUES (?, ?, '2026-02-20', '10:00', '11:00', 'A', ?, ?)",
                    (cid, batch_id, NOW, place),
                )
        for j in order:
            if j < len(rows):
                cid, batch, rnd, channel, on, part, outcome = rows[j]
                db.execute(
                    "INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, part_of_day,"
                    " outcome, source_file, loaded_at) VALUES (?,?,?,?,?,?,?,'f.xlsx',?)",
                    (cid, batch, rnd, channel, on.isoformat(), part, outcome, NOW),
                )
        for j in range(len(rows)):
            if j not in order:
                cid, batch, rnd, channel, on, part, outcome = rows[j]
                db.execute(
                    "INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, part_of_day,"
                    " outcome, source_file, loaded_at) VALUES (?,?,?,?,?,?,?,'f.xlsx',?)",
                    (cid, batch, rnd, channel, on.isoformat(), part, outcome, NOW),
                )
    return kept


PARTS = {"": 0, "ochtend": 1, "middag": 2, "avond": 3}


def test_whatever_the_attempts_people_are_counted_once(tmp_path_factory) -> None:
    toml = (
        '[letters.approach]\nB = "phone_first"\n\n[[planning.locations]]\ncode = "pijp"\nname = "De Pijp"\n'
    )

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(person_strategy, max_size=12), st.permutations(range(60)))
    def check(people, order) -> None:
        campaign = make_campaign(tmp_path_factory.mktemp("routes"))
        (campaign / "kansen.toml").write_text(toml, encoding="utf-8")
        from kansen_cli.settings import load_settings

        kept = _ledger(campaign, people, list(order))
        with open_ledger(campaign, create=False) as ledger:
            data = read_report_data(ledger)
            every = attempts_frame(ledger)
        report = build_report(data, load_settings(campaign)).data  # the consistency checks run here

        # Attempts in date order per person (day, then part of the day), in both readers.
        for frame in (data.attempts, every):
            assert frame is not None
            for _, own in frame.groupby("client_id", sort=False):
                stamps = [(d, PARTS[p]) for d, p in zip(own["on_date"], own["part_of_day"], strict=True)]
                assert stamps == sorted(stamps)

        approached = set(kept)
        assert report["approached"] == len(approached)
        # Counts by final result add up to the approached, each person once.
        assert sum(report["contact_results"].values()) == len(approached)
        assert sum(e["approached"] for e in report["by_variant"]) == len(approached)
        channels = {ch: {cid for cid, rows in kept.items() for r in rows if r[3] == ch} for ch in CHANNELS}
        if "by_channel" in report:
            for ch, entry in report["by_channel"].items():
                assert entry["approached"] == len(channels[ch])
                assert entry["reached"] <= entry["approached"]
            assert report["reached"] <= len(approached)
        else:
            assert not (channels["phone"] | channels["doorstep"] | channels["reinvitation"])
        if "phone" in report:
            assert report["phone"]["called"] == len(channels["phone"])
            assert sum(report["phone"]["last_outcome"].values()) == len(channels["phone"])
            assert report["phone"]["reached"] <= report["phone"]["called"]
        rounds = Counter(r[2] for rows in kept.values() for r in rows)
        if "by_round" in report:
            assert len(report["by_round"]) == len(rounds) == 2
            assert report["by_round"][-1]["approached"] == len(approached)
            second = {cid for cid, rows in kept.items() if any(r[2] == 2 for r in rows)}
            assert report["by_round"][1]["approached_in_round"] == len(second)
            assert report["by_round"][0]["spoken"] <= report["by_round"][1]["spoken"]
        if "by_approach" in report:
            assert sum(e["approached"] for e in report["by_approach"]) == len(approached)
        if "by_location" in report:
            assert sum(e["conversations"] for e in report["by_location"]) == report["spoken_in_period"]

    check()
