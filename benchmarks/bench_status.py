"""`kansen status --json` on a ledger with a million people against plain per-batch counts.

Usage: python benchmarks/bench_status.py [--people 1000000] [--repeat 3]
The ledger is bench_report's (report_ledger.py: 4,000 batches of 250, a letter to everyone,
outcomes, referrals, follow-up calls) plus what status also reads: an appointment for every
member, the last tenth of the batches not yet sent (no letters, no outcomes), and a survey. It
is built once and kept under benchmarks/.data. Status runs with KANSEN_TODAY fixed, so the
follow-ups due are the same every run.

The reference is the floor of any per-batch overview: a Python process that opens the same
ledger with sqlite3 and runs `SELECT batch_id, count(*) ... GROUP BY batch_id` over the four
per-batch tables status counts (members, appointments, letters, outcomes).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from harness import DATA, PYTHON, compare
from report_ledger import build

# Conversations in the ledger run from October 2026 to August 2027: with three follow-up months,
# about two thirds of the self-starters are due on this day.
TODAY = "2027-09-01"
UNSENT_SHARE = 10  # the last 1 in 10 batches: planned, no letters yet
SURVEY_SIZE = 50
REFERENCE_TABLES = ("batch_members", "appointments", "letters", "outcomes")


def add_status_rows(campaign: Path) -> None:
    """Appointments for everyone, unsent batches and a survey: the states status tells apart."""
    db = sqlite3.connect(campaign / "kansen.sqlite", isolation_level=None)
    try:
        db.execute("BEGIN")
        # Eight visits a day from a week after the batch's letter date, one consultant per batch.
        db.execute(
            "INSERT INTO appointments (client_id, batch_id, date, start, end, consultant, planned_at)"
            " SELECT m.client_id, m.batch_id,"
            " date(b.invited_on, '+' || (7 + (m.position - 1) / 8) || ' days'),"
            " printf('%02d:00', 9 + (m.position - 1) % 8), printf('%02d:45', 9 + (m.position - 1) % 8),"
            " 'Consulent ' || (b.seq % 7), b.created_at"
            " FROM batch_members m JOIN batches b USING (batch_id)"
        )
        unsent = [
            r[0]
            for r in db.execute(
                "SELECT batch_id FROM batches ORDER BY batch_id LIMIT (SELECT count(*) FROM batches) / ?"
                " OFFSET (SELECT count(*) FROM batches) * (? - 1) / ?",
                (UNSENT_SHARE, UNSENT_SHARE, UNSENT_SHARE),
            )
        ]
        db.execute("CREATE TEMP TABLE unsent (batch_id TEXT PRIMARY KEY)")
        db.executemany("INSERT INTO unsent VALUES (?)", [(b,) for b in unsent])
        members = "SELECT client_id FROM batch_members WHERE batch_id IN (SELECT batch_id FROM unsent)"
        for table in ("followups", "referrals", "outcomes", "letters"):
            db.execute(f"DELETE FROM {table} WHERE client_id IN ({members})")
        db.execute("UPDATE batches SET invited_on = NULL WHERE batch_id IN (SELECT batch_id FROM unsent)")
        _add_survey(db)
        db.execute("COMMIT")
    finally:
        db.close()


def _add_survey(db: sqlite3.Connection) -> None:
    """A survey of SURVEY_SIZE participants and as many non-participants, 60% answered."""
    db.execute(
        "INSERT INTO surveys (survey_id, created_at, drawn_on, seed, size, strata, questions_json)"
        " VALUES (1, '2027-08-20T10:00:00+02:00', '2027-08-20', 2016, ?, '', '{}')",
        (SURVEY_SIZE,),
    )
    for group, condition in (("participant", "= 'gesproken'"), ("non_participant", "!= 'gesproken'")):
        db.execute(
            "INSERT INTO survey_members (survey_id, client_id, grp, stratum)"
            f" SELECT 1, client_id, ?, '' FROM outcomes WHERE contact_result {condition}"
            " ORDER BY client_id LIMIT ?",
            (group, SURVEY_SIZE),
        )
    db.execute(
        "INSERT INTO survey_answers (survey_id, client_id, call_date, result, mark, source_file, loaded_at)"
        " SELECT survey_id, client_id, '2027-08-25', 'afgenomen', 8, 'enquete-1.xlsx', '2027-08-26'"
        " FROM survey_members WHERE abs(random()) % 10 < 6"
    )


def status_campaign(people: int, seed: int = 2015) -> Path:
    """The benchmark campaign with `people` people, built once and kept under benchmarks/.data."""
    campaign = DATA / f"status-campaign-{people}-{seed}"
    done = campaign / ".complete"
    if not done.exists():
        import shutil

        shutil.rmtree(campaign, ignore_errors=True)
        build(campaign, people, seed)
        add_status_rows(campaign)
        done.write_text("ok\n")
    from kansen_cli.ledger import open_ledger

    # A ledger built by an older kansen_cli is migrated here, not in the first timed run.
    open_ledger(campaign, create=False).close()
    return campaign


def reference(campaign: Path) -> None:
    """The reference side: per-batch counts of the four tables, fetched and summed."""
    db = sqlite3.connect(f"file:{campaign / 'kansen.sqlite'}?mode=ro", uri=True)
    total = 0
    for table in REFERENCE_TABLES:
        rows = db.execute(f"SELECT batch_id, count(*) FROM {table} GROUP BY batch_id").fetchall()
        total += sum(n for _, n in rows)
    db.close()
    print(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        reference(args.reference)
        return
    campaign = status_campaign(args.people)
    os.environ["KANSEN_TODAY"] = TODAY  # the children inherit it
    compare(
        f"status {args.people:>9,} people vs sqlite3 GROUP BY",
        [[PYTHON, "-m", "kansen_cli", "status", "-c", str(campaign), "--json"]],
        [[PYTHON, str(Path(__file__)), "--reference", str(campaign)]],
        args.repeat,
    )


if __name__ == "__main__":
    main()
