"""Ledger queries of the registration workbook: its people, what it is checked against, outcomes.

The registration kind (`workbooks.registration`) decides what changes (pure); `write_outcome`
here writes one outcome inside the ingest's transaction. The follow-up workbook's queries are
in `ledger.followups`, what every ingest records in `ledger.ingests`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import Ledger
from kansen_cli.ledger.ingests import record_history

if TYPE_CHECKING:
    import pandas as pd

OUTCOME_FIELDS = (
    "contact_result",
    "conversation_date",
    "location",
    "classification",
    "activity_types",
    "participation_potential",
    "referrals",
    "consent",
)
# Several-valued answers (activity types, referrals) are stored as codes joined by this
# separator, in codebook order; `report` splits on the same character.
MULTI_SEP = ";"


# ---- what the workbook is built from -----------------------------------------------------------


def sheet_people(ledger: Ledger, batch_id: str) -> pd.DataFrame:
    """Members of a batch (any round) in route order, with their appointment when one was
    planned (`location`: its location code, empty for a home visit)."""
    return ledger.frame(
        "SELECT m.client_id, m.position, m.variant, m.round, p.initials, p.prefix, p.surname, p.street,"
        " p.house_number, p.house_number_addition, p.postcode, p.city, p.phone,"
        " a.date AS appointment_date, a.start AS appointment_start, a.consultant, a.location, a.room"
        " FROM batch_people m JOIN people p USING (client_id)"
        " LEFT JOIN appointments a ON a.client_id = m.client_id AND a.batch_id = m.batch_id"
        " WHERE m.batch_id = ? ORDER BY m.position",
        (batch_id,),
    )


# ---- what a returned workbook is checked against -----------------------------------------------


def approached_on(ledger: Ledger, batch_id: str) -> dict[str, dt.date]:
    """Letter date per approached member: the letter row (round 1), else the batch's invitation
    date (a later round's batch records its re-invitation there)."""
    rows = ledger.query(
        "SELECT m.client_id, coalesce(l.sent_on, b.invited_on) FROM batch_people m"
        " JOIN batches b USING (batch_id)"
        " LEFT JOIN letters l ON l.client_id = m.client_id AND l.batch_id = m.batch_id"
        " WHERE m.batch_id = ?",
        (batch_id,),
    )
    return {r[0]: dt.date.fromisoformat(r[1][:10]) for r in rows if r[1]}


def batch_member_ids(ledger: Ledger, batch_id: str) -> set[str]:
    return {r[0] for r in ledger.query("SELECT client_id FROM batch_people WHERE batch_id = ?", (batch_id,))}


def current_outcomes(ledger: Ledger, batch_id: str | None = None) -> dict[str, dict[str, Any]]:
    """Each person's latest outcome (of the people of `batch_id`, any round, when given): a
    later round's sheet replaces the result its people had from round 1."""
    where, params = (
        ("WHERE client_id IN (SELECT client_id FROM batch_people WHERE batch_id = ?)", (batch_id,))
        if batch_id
        else ("", ())
    )
    rows = ledger.query(f"SELECT client_id, {', '.join(OUTCOME_FIELDS)} FROM outcomes {where}", params)
    return {r["client_id"]: {f: r[f] for f in OUTCOME_FIELDS} for r in rows}


# The attempts whose outcome is the contact result of the batch's registration sheet.
LETTER_CHANNELS = ("letter", "reinvitation")


def round_results(ledger: Ledger, batch_id: str) -> dict[str, str | None]:
    """client id -> the outcome of their letter (or re-invitation) attempt of this batch, for
    the people who have one: what this batch's sheet said last (None: not loaded yet)."""
    rows = ledger.query(
        "SELECT client_id, outcome FROM contact_attempts WHERE batch_id = ? AND channel IN (?, ?)"
        " ORDER BY on_date",
        (batch_id, *LETTER_CHANNELS),
    )
    return {r[0]: r[1] for r in rows}


def later_results(ledger: Ledger, batch_id: str) -> dict[str, str]:
    """client id -> the batch of a later round than `batch_id`'s whose sheet already gave them a
    result (their letter or re-invitation attempt there has an outcome): `outcomes` holds that
    later result, which a sheet of this earlier round must not overwrite."""
    rows = ledger.query(
        "SELECT a.client_id, a.batch_id FROM contact_attempts a"
        " JOIN batch_people p ON p.client_id = a.client_id AND p.batch_id = ?"
        " WHERE a.channel IN (?, ?) AND a.outcome IS NOT NULL"
        " AND a.round > (SELECT round FROM batches WHERE batch_id = ?)"
        " ORDER BY a.round, a.on_date",
        (batch_id, *LETTER_CHANNELS, batch_id),
    )
    return {r[0]: r[1] for r in rows}  # the highest round last, so it wins


def round_attempts(ledger: Ledger, batch_id: str) -> dict[str, dict[str, Any]]:
    """client id -> their latest letter or re-invitation attempt of this batch, as the history
    keeps an attempt (its key and values, without the attempt id and client id)."""
    from kansen_cli.ledger.attempts import KEY, VALUES

    columns = [c for c in (*KEY, *VALUES, "source_file") if c != "client_id"]
    rows = ledger.query(
        f"SELECT client_id, {', '.join(columns)} FROM contact_attempts WHERE batch_id = ?"
        " AND channel IN (?, ?) ORDER BY on_date, attempt_id",
        (batch_id, *LETTER_CHANNELS),
    )
    return {r[0]: dict(zip(columns, tuple(r)[1:], strict=True)) for r in rows}


def dependent_work(ledger: Ledger, batch_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """What later work hangs on the batch's outcomes, so that an ingest never undoes it silently.

    Returns (answered referrals: client id -> destination -> (result, file of the result),
    follow-up calls: client id -> [(round, file of the call)], in round order).
    """
    answered: dict[str, dict[str, tuple[str, str]]] = {}
    for r in ledger.query(
        "SELECT r.client_id, r.destination, r.result, r.source_file FROM referrals r"
        " JOIN batch_people m USING (client_id) WHERE m.batch_id = ? AND r.result IS NOT NULL",
        (batch_id,),
    ):
        answered.setdefault(r[0], {})[r[1]] = (r[2], r[3])
    calls: dict[str, list[tuple[int, str]]] = {}
    for r in ledger.query(
        "SELECT f.client_id, f.round, f.source_file FROM followups f"
        " JOIN batch_people m USING (client_id) WHERE m.batch_id = ? ORDER BY f.client_id, f.round",
        (batch_id,),
    ):
        calls.setdefault(r[0], []).append((int(r[1]), r[2]))
    return answered, calls


# ---- writing -----------------------------------------------------------------------------------


def write_outcome(
    db: sqlite3.Connection,
    batch_id: str | None,
    client_id: str,
    record: dict[str, Any],
    source: tuple[str, str],
    stamp: str,
) -> None:
    """Write one person's outcome from file `source` (name, sha256) of the sheet of `batch_id`;
    the referrals follow it, and so does the outcome of the person's letter attempt of that batch.

    The outcome row is the person's latest result and stays filed under their round-1 (home)
    batch, which the report and the follow-up count by, also when a later round's sheet
    replaced it; each round's own result is in its attempt (`write_round_result`). A sheet of an
    earlier round than the person's latest result writes only its attempt (the registration
    kind plans that as an `attempt` change, see `workbooks.registration`), never this.
    """
    name, sha256 = source
    values = [record[f] for f in OUTCOME_FIELDS]
    home = db.execute("SELECT batch_id FROM batch_members WHERE client_id = ?", (client_id,)).fetchone()
    db.execute(
        f"INSERT OR REPLACE INTO outcomes (client_id, batch_id, {', '.join(OUTCOME_FIELDS)}, source_file,"
        f" source_sha256, loaded_at) VALUES ({','.join('?' * (len(OUTCOME_FIELDS) + 5))})",
        (client_id, home[0] if home else batch_id, *values, name, sha256, stamp),
    )
    _follow_referrals(db, client_id, record, name, stamp)
    if batch_id is not None:
        write_round_result(db, batch_id, client_id, record["contact_result"], name, stamp)


def write_round_result(
    db: sqlite3.Connection,
    batch_id: str,
    client_id: str,
    contact_result: str,
    source_file: str,
    stamp: str,
    history: bool = True,
) -> None:
    """Set the outcome of the person's letter or re-invitation attempt of this batch to the sheet's
    contact result; a changed one keeps its old values in the history (`history=False`: the
    caller kept them already). No attempt (letters never recorded): nothing to set."""
    from kansen_cli.ledger.attempts import KEY, VALUES

    columns = ("attempt_id", *KEY, *VALUES, "source_file")
    rows = db.execute(
        f"SELECT {', '.join(columns)} FROM contact_attempts WHERE client_id = ? AND batch_id = ?"
        " AND channel IN (?, ?)",
        (client_id, batch_id, *LETTER_CHANNELS),
    ).fetchall()
    for row in rows:
        old = dict(zip(columns, row, strict=True))
        if old["outcome"] == contact_result:
            continue
        attempt_id = old.pop("attempt_id")
        del old["client_id"]  # in the history row's own column, which the purge pseudonymises
        if history:
            record_history(db, "attempt", client_id, old, stamp, source_file)
        db.execute(
            "UPDATE contact_attempts SET outcome = ? WHERE attempt_id = ?", (contact_result, attempt_id)
        )


def _follow_referrals(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source_file: str, stamp: str
) -> None:
    """The referrals table follows the outcome: one row per destination, results kept."""
    wanted = [code for code in (record["referrals"] or "").split(MULTI_SEP) if code]
    existing = {
        r[0]: r
        for r in db.execute(
            "SELECT destination, referred_on, result, result_date FROM referrals WHERE client_id = ?",
            (client_id,),
        )
    }
    for destination, row in existing.items():
        if destination not in wanted:
            old = {"destination": destination, "referred_on": row[1], "result": row[2], "result_date": row[3]}
            record_history(db, "referral", client_id, old, stamp, source_file)
            db.execute(
                "DELETE FROM referrals WHERE client_id = ? AND destination = ?", (client_id, destination)
            )
    for destination in wanted:
        if destination in existing:
            db.execute(
                "UPDATE referrals SET referred_on = ? WHERE client_id = ? AND destination = ?",
                (record["conversation_date"], client_id, destination),
            )
        else:
            db.execute(
                "INSERT INTO referrals (client_id, destination, referred_on, source_file, loaded_at)"
                " VALUES (?,?,?,?,?)",
                (client_id, destination, record["conversation_date"], source_file, stamp),
            )
