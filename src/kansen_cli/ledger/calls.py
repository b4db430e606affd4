"""Ledger queries of the call workbook (`kansen calls`): who a batch's calls are for, the calls
made so far, and what a returned call workbook is checked against."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _
from kansen_cli.ledger.core import Ledger

if TYPE_CHECKING:
    import pandas as pd


def batch_info(ledger: Ledger, batch_id: str) -> dict[str, Any] | None:
    """The batch's round, the day a call cannot be older than (`made_on`) and what that day is
    (`since`, for the message), or None when the batch is unknown.

    Round 1: the as-of date of the selection the batch was made from, not the moment
    `kansen batch` ran: a campaign that records its past work (or the demo, whose cycle lies in
    the past) makes its batches after the calls it enters, but never calls anyone about a
    selection before its register was read. A later round: the day the previous round's letters
    went out, since its people are called because of that round's result (the selection's
    as-of day when those letters were never recorded).
    """
    from kansen_cli.ledger.rounds import round_batch_id

    row = ledger.query(
        "SELECT b.round, b.parent_id, s.as_of FROM batches b JOIN selection_runs s USING (run_id)"
        " WHERE b.batch_id = ?",
        (batch_id,),
    )
    if not row:
        return None
    round_no = int(row[0]["round"] or 1)
    made_on = dt.date.fromisoformat(str(row[0]["as_of"])[:10])
    since = _("the selection batch {batch} was made from").format(batch=batch_id)
    if round_no > 1 and row[0]["parent_id"]:
        root = str(row[0]["parent_id"])
        previous = root if round_no == 2 else round_batch_id(root, round_no - 1)
        sent = ledger.query("SELECT invited_on FROM batches WHERE batch_id = ?", (previous,))
        if sent and sent[0]["invited_on"]:
            made_on = dt.date.fromisoformat(str(sent[0]["invited_on"])[:10])
            since = _("the letters of round {round} ({batch}) went out").format(
                round=round_no - 1, batch=previous
            )
    return {"round": round_no, "made_on": made_on, "since": since}


def phone_calls(ledger: Ledger, batch_id: str) -> pd.DataFrame:
    """The batch's phone attempts in date order per person (columns of `attempts_frame`)."""
    from kansen_cli.ledger.attempts import attempts_frame

    frame = attempts_frame(ledger, batch_id)
    return frame[frame["channel"] == "phone"].reset_index(drop=True)


def recorded_calls(ledger: Ledger, batch_id: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(client id, yyyy-mm-dd, part of day) -> the phone attempt's values, for this batch."""
    rows = ledger.query(
        "SELECT client_id, on_date, part_of_day, round, by_whom, outcome, callback_on FROM contact_attempts"
        " WHERE batch_id = ? AND channel = 'phone'",
        (batch_id,),
    )
    return {
        (str(r["client_id"]), str(r["on_date"]), str(r["part_of_day"])): {
            "round": r["round"],
            "by_whom": r["by_whom"],
            "outcome": r["outcome"],
            "callback_on": r["callback_on"],
        }
        for r in rows
    }


def settle_contact_result(
    db: sqlite3.Connection,
    client_id: str,
    call: tuple[str, str],
    contact_result: str | None,
    source: tuple[str, str],
    stamp: str,
) -> None:
    """Make a final answer on the phone (roles.phone_contact_result) the person's contact result,
    after the call (`call`: yyyy-mm-dd, part of day) was written; caller holds the transaction.

    Only the person's latest call decides, and only an outcome that no registration sheet wrote
    is touched: none yet, or one a call workbook wrote (a conversation's result, or any result a
    consultant registered, stays). A corrected latest call that no longer settles anything
    (`contact_result` None) takes the call's result away again; the old row goes to the history.
    """
    from kansen_cli.calling import Call, in_order
    from kansen_cli.ledger.ingests import record_history
    from kansen_cli.ledger.outcomes import OUTCOME_FIELDS
    from kansen_cli.workbooks.calls import NAME

    name, sha256 = source
    made = db.execute(
        "SELECT on_date, part_of_day FROM contact_attempts WHERE client_id = ? AND channel = 'phone'",
        (client_id,),
    ).fetchall()
    latest = in_order(Call(dt.date.fromisoformat(str(d)), str(p or ""), "") for d, p in made)
    if not latest or (latest[-1].on_date.isoformat(), latest[-1].part_of_day) != call:
        return
    columns = ", ".join(OUTCOME_FIELDS)
    row = db.execute(
        f"SELECT {columns}, source_sha256 FROM outcomes WHERE client_id = ?", (client_id,)
    ).fetchone()
    if row is not None:
        from_call = (
            row[-1] == sha256
            or db.execute(
                "SELECT 1 FROM loaded_files WHERE sha256 = ? AND kind = ?", (row[-1], NAME)
            ).fetchone()
        )
        old = dict(zip(OUTCOME_FIELDS, row[:-1], strict=True))
        if not from_call or old["contact_result"] == contact_result:
            return
        record_history(db, "outcome", client_id, old, stamp, name)
        db.execute("DELETE FROM outcomes WHERE client_id = ?", (client_id,))
    if contact_result is None:
        return
    home = db.execute("SELECT batch_id FROM batch_members WHERE client_id = ?", (client_id,)).fetchone()
    db.execute(
        "INSERT INTO outcomes (client_id, batch_id, contact_result, source_file, source_sha256, loaded_at)"
        " VALUES (?,?,?,?,?,?)",
        (client_id, home[0], contact_result, name, sha256, stamp),
    )
