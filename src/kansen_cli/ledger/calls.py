"""Ledger queries of the call workbook (`kansen calls`): who a batch's calls are for, the calls
made so far, and what a returned call workbook is checked against."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import Ledger

if TYPE_CHECKING:
    import pandas as pd


def batch_info(ledger: Ledger, batch_id: str) -> dict[str, Any] | None:
    """The batch's round and the day it was made from (a call cannot be older), or None when unknown.

    That day is the as-of date of the selection the batch was made from, not the moment
    `kansen batch` ran: a campaign that records its past work (or the demo, whose cycle lies in
    the past) makes its batches after the calls it enters, but never calls anyone about a
    selection before its register was read.
    """
    row = ledger.query(
        "SELECT b.round, s.as_of FROM batches b JOIN selection_runs s USING (run_id) WHERE b.batch_id = ?",
        (batch_id,),
    )
    if not row:
        return None
    return {
        "round": int(row[0]["round"] or 1),
        "made_on": dt.date.fromisoformat(str(row[0]["as_of"])[:10]),
    }


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
