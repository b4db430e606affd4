"""Ledger queries of the follow-up workbook: who may be called, calls made, referrals' answers.

The follow-up kind (`workbooks.followup`) decides what changes (pure); the two writers here
record one call or one partner's answer inside the ingest's transaction.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import Ledger

if TYPE_CHECKING:
    import pandas as pd


def followup_people(ledger: Ledger) -> pd.DataFrame:
    """Spoken people with their potential and conversation date, personal data not purged."""
    return ledger.frame(
        "SELECT o.client_id, o.batch_id, o.contact_result, o.conversation_date, o.participation_potential,"
        " o.referrals,"
        " p.initials, p.prefix, p.surname, p.street, p.house_number, p.house_number_addition,"
        " p.postcode, p.city, p.phone"
        " FROM outcomes o JOIN people p USING (client_id) WHERE p.purged_at IS NULL"
        " ORDER BY o.batch_id, o.client_id"
    )


# How many follow-up lists a referral `r` was on: the follow-up workbooks loaded since it was
# recorded or last answered (`followup.due_referrals` stops listing it after
# `followup.referral_rounds`). Shared with `ledger.status`, which counts what is due.
REFERRAL_LISTS = (
    "(SELECT count(DISTINCT f.sha256) FROM loaded_files f"
    " WHERE f.kind = 'followup' AND f.loaded_at >= r.loaded_at"
    " AND NOT (f.loaded_at = r.loaded_at AND f.name = r.source_file))"
)


def open_referrals(ledger: Ledger) -> pd.DataFrame:
    """Every referral with `lists`: the follow-up workbooks loaded since it was recorded or last
    answered (distinct files; the same file loaded twice is one list). Times have whole seconds:
    a list loaded in the same second counts, unless it is the file that gave the answer."""
    return ledger.frame(
        "SELECT r.client_id, r.destination, r.referred_on, r.result, o.batch_id,"
        " p.initials, p.prefix, p.surname, p.phone, " + REFERRAL_LISTS + " AS lists"
        " FROM referrals r JOIN people p USING (client_id) LEFT JOIN outcomes o USING (client_id)"
        " WHERE p.purged_at IS NULL ORDER BY o.batch_id, r.client_id, r.destination"
    )


def current_followups(ledger: Ledger) -> dict[str, dict[int, dict[str, Any]]]:
    """Calls made: client id -> round -> the call."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for r in ledger.query("SELECT client_id, round, call_date, result, mark FROM followups"):
        out.setdefault(r["client_id"], {})[int(r["round"])] = {
            "round": int(r["round"]),
            "call_date": r["call_date"],
            "result": r["result"],
            "mark": r["mark"],
        }
    return out


def current_referrals(ledger: Ledger) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (r["client_id"], r["destination"]): {
            "referred_on": r["referred_on"],
            "result": r["result"],
            "result_date": r["result_date"],
        }
        for r in ledger.query(
            "SELECT client_id, destination, referred_on, result, result_date FROM referrals"
        )
    }


def write_call(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source_file: str, stamp: str
) -> None:
    """Record one follow-up call (round, date, result, mark); a call of the same round is replaced."""
    db.execute(
        "INSERT OR REPLACE INTO followups (client_id, round, call_date, result, mark, source_file,"
        " loaded_at) VALUES (?,?,?,?,?,?,?)",
        (
            client_id,
            record["round"],
            record["call_date"],
            record["result"],
            record.get("mark"),
            source_file,
            stamp,
        ),
    )


def write_referral_result(
    db: sqlite3.Connection, client_id: str, record: dict[str, Any], source_file: str, stamp: str
) -> None:
    """Record a partner's answer to a referral."""
    db.execute(
        "UPDATE referrals SET result = ?, result_date = ?, source_file = ?, loaded_at = ?"
        " WHERE client_id = ? AND destination = ?",
        (record["result"], record["result_date"], source_file, stamp, client_id, record["destination"]),
    )
