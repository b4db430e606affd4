"""Ledger queries for registration: outcomes, referrals, follow-up calls, history, loaded files.

`ingest` decides what changes (pure); `apply_plan` here writes that plan in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import Ledger, now

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.ingest import IngestPlan
    from kansen_cli.settings import Settings
    from kansen_cli.sheets import FilledWorkbook

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


# ---- queries for export and report -------------------------------------------------------------


def outcomes(ledger: Ledger) -> pd.DataFrame:
    return ledger.frame("SELECT * FROM outcomes ORDER BY batch_id, client_id")


def history(ledger: Ledger) -> pd.DataFrame:
    return ledger.frame("SELECT * FROM history ORDER BY id")


def referrals(ledger: Ledger) -> pd.DataFrame:
    return ledger.frame("SELECT * FROM referrals ORDER BY client_id, destination")


def followups(ledger: Ledger) -> pd.DataFrame:
    return ledger.frame("SELECT * FROM followups ORDER BY client_id, round")


def loaded_files(ledger: Ledger) -> pd.DataFrame:
    return ledger.frame("SELECT * FROM loaded_files ORDER BY id")


# ---- what the workbooks are built from ---------------------------------------------------------


def sheet_people(ledger: Ledger, batch_id: str) -> pd.DataFrame:
    """Members of a batch in route order, with their appointment when one was planned."""
    return ledger.frame(
        "SELECT m.client_id, m.position, p.initials, p.prefix, p.surname, p.street, p.house_number,"
        " p.house_number_addition, p.postcode, p.city, p.phone,"
        " a.date AS appointment_date, a.start AS appointment_start, a.consultant"
        " FROM batch_members m JOIN people p USING (client_id)"
        " LEFT JOIN appointments a ON a.client_id = m.client_id"
        " WHERE m.batch_id = ? ORDER BY m.position",
        (batch_id,),
    )


def approached_on(ledger: Ledger, batch_id: str) -> dict[str, dt.date]:
    """Letter date per approached member: the letter row, else the batch's invitation date."""
    rows = ledger.query(
        "SELECT m.client_id, coalesce(l.sent_on, b.invited_on) FROM batch_members m"
        " JOIN batches b USING (batch_id) LEFT JOIN letters l ON l.client_id = m.client_id"
        " WHERE m.batch_id = ?",
        (batch_id,),
    )
    return {r[0]: dt.date.fromisoformat(r[1][:10]) for r in rows if r[1]}


def batch_member_ids(ledger: Ledger, batch_id: str) -> set[str]:
    return {r[0] for r in ledger.query("SELECT client_id FROM batch_members WHERE batch_id = ?", (batch_id,))}


def current_outcomes(ledger: Ledger, batch_id: str | None = None) -> dict[str, dict[str, Any]]:
    where, params = ("WHERE batch_id = ?", (batch_id,)) if batch_id else ("", ())
    rows = ledger.query(f"SELECT client_id, {', '.join(OUTCOME_FIELDS)} FROM outcomes {where}", params)
    return {r["client_id"]: {f: r[f] for f in OUTCOME_FIELDS} for r in rows}


def current_followups(ledger: Ledger) -> dict[str, dict[int, dict[str, Any]]]:
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for r in ledger.query("SELECT client_id, round, call_date, result FROM followups"):
        out.setdefault(r["client_id"], {})[int(r["round"])] = {
            "round": int(r["round"]),
            "call_date": r["call_date"],
            "result": r["result"],
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


def followup_people(ledger: Ledger) -> pd.DataFrame:
    """Spoken people with their potential and conversation date, personal data not purged."""
    return ledger.frame(
        "SELECT o.client_id, o.batch_id, o.contact_result, o.conversation_date, o.participation_potential,"
        " p.initials, p.prefix, p.surname, p.street, p.house_number, p.house_number_addition,"
        " p.postcode, p.city, p.phone"
        " FROM outcomes o JOIN people p USING (client_id) WHERE p.purged_at IS NULL"
        " ORDER BY o.batch_id, o.client_id"
    )


def open_referrals(ledger: Ledger) -> pd.DataFrame:
    return ledger.frame(
        "SELECT r.client_id, r.destination, r.referred_on, r.result, o.batch_id,"
        " p.initials, p.prefix, p.surname, p.phone"
        " FROM referrals r JOIN people p USING (client_id) LEFT JOIN outcomes o USING (client_id)"
        " WHERE p.purged_at IS NULL ORDER BY o.batch_id, r.client_id, r.destination"
    )


# ---- writing a plan ----------------------------------------------------------------------------


def load_file(
    ledger: Ledger, filled: FilledWorkbook, settings: Settings, today: dt.date, skip_invalid: bool
) -> tuple[IngestPlan, bool]:
    """Validate one returned workbook against the ledger and load it: one transaction.

    The ledger is read inside the same transaction that writes, so two ingests running at
    once cannot both plan against the same old state. Returns the plan and whether it loaded.
    A test may set KANSEN_TEST_PAUSE_IN_TRANSACTION (see `ledger.core`) to kill `ingest` here.
    """
    from kansen_cli.ingest import (
        FollowupContext,
        IngestPlan,
        RegistrationContext,
        plan_followup,
        plan_registration,
    )
    from kansen_cli.sheets import REGISTRATION

    with ledger.transaction() as db:
        if filled.kind == REGISTRATION:
            batch_id = filled.batch_id or ""
            if ledger.scalar("SELECT 1 FROM batches WHERE batch_id = ?", (batch_id,)) is None:
                plan = IngestPlan(filled.name, filled.sha256, filled.kind, batch_id, file_level=True)
                plan.problems.add(
                    filled.name, None, None, batch_id, "unknown_batch", "this campaign has no such batch"
                )
                return plan, False
            context = RegistrationContext(
                members=batch_member_ids(ledger, batch_id),
                approached_on=approached_on(ledger, batch_id),
                current=current_outcomes(ledger, batch_id),
                today=today,
            )
            plan = plan_registration(filled, context, settings)
        else:
            followup_context = FollowupContext(
                outcomes=current_outcomes(ledger),
                followups=current_followups(ledger),
                referrals=current_referrals(ledger),
                today=today,
            )
            plan = plan_followup(filled, followup_context, settings)
        if not plan.loadable(skip_invalid):
            return plan, False
        write_plan(db, plan)
    return plan, True


def write_plan(db: sqlite3.Connection, plan: IngestPlan) -> None:
    """Write one file's planned changes and record the file as loaded (caller holds the transaction)."""
    stamp = now()
    for change in plan.changes:
        if change.action == "unchanged":
            continue
        if change.old is not None:
            db.execute(
                "INSERT INTO history (kind, client_id, old_json, replaced_at, source_file)"
                " VALUES (?,?,?,?,?)",
                (change.kind, change.client_id, json.dumps(change.old, sort_keys=True), stamp, plan.file),
            )
        if change.kind == "outcome":
            _write_outcome(db, plan, change.client_id, change.record, stamp)
        elif change.kind == "followup":
            rec = change.record
            db.execute(
                "INSERT OR REPLACE INTO followups (client_id, round, call_date, result, source_file,"
                " loaded_at) VALUES (?,?,?,?,?,?)",
                (change.client_id, rec["round"], rec["call_date"], rec["result"], plan.file, stamp),
            )
        elif change.kind == "referral":
            rec = change.record
            db.execute(
                "UPDATE referrals SET result = ?, result_date = ?, source_file = ?, loaded_at = ?"
                " WHERE client_id = ? AND destination = ?",
                (
                    rec["result"],
                    rec["result_date"],
                    plan.file,
                    stamp,
                    change.client_id,
                    rec["destination"],
                ),
            )
    db.execute(
        "INSERT INTO loaded_files (sha256, name, kind, batch_id, loaded_at, counts_json)"
        " VALUES (?,?,?,?,?,?)",
        (plan.sha256, plan.file, plan.kind, plan.batch_id, stamp, json.dumps(plan.counts())),
    )


def _write_outcome(db: Any, plan: IngestPlan, client_id: str, record: dict[str, Any], stamp: str) -> None:
    values = [record[f] for f in OUTCOME_FIELDS]
    db.execute(
        f"INSERT OR REPLACE INTO outcomes (client_id, batch_id, {', '.join(OUTCOME_FIELDS)}, source_file,"
        f" source_sha256, loaded_at) VALUES ({','.join('?' * (len(OUTCOME_FIELDS) + 5))})",
        (client_id, plan.batch_id, *values, plan.file, plan.sha256, stamp),
    )
    # The referrals table follows the outcome: one row per destination, results kept.
    from kansen_cli.ingest import MULTI_SEP

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
            db.execute(
                "INSERT INTO history (kind, client_id, old_json, replaced_at, source_file)"
                " VALUES (?,?,?,?,?)",
                ("referral", client_id, json.dumps(old, sort_keys=True), stamp, plan.file),
            )
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
                (client_id, destination, record["conversation_date"], plan.file, stamp),
            )
