"""Contact attempts in the ledger: every letter, call, doorstep visit and re-invitation.

One row per attempt (`contact_attempts`, migration 0005). An attempt is identified by person,
batch, channel, day and part of the day: writing it again with other values is a correction,
which replaces the row and keeps the old values in `history` (kind `attempt`). Writing the
same values again changes nothing, so loading a file twice is harmless.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kansen_cli.ledger.core import Ledger
from kansen_cli.ledger.ingests import record_history

if TYPE_CHECKING:
    import pandas as pd

# The columns an attempt is known by, and those a correction may change.
KEY = ("client_id", "batch_id", "channel", "on_date", "part_of_day")
VALUES = ("round", "by_whom", "outcome", "callback_on")


@dataclass(frozen=True)
class Attempt:
    """One attempt to reach a person. `outcome` is a phone outcome code (None for a letter)."""

    client_id: str
    batch_id: str
    round: int
    channel: str  # settings_routes.CHANNELS
    on_date: dt.date
    part_of_day: str = ""  # '', 'ochtend', 'middag', 'avond'
    by_whom: str | None = None
    outcome: str | None = None
    callback_on: dt.date | None = None

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.client_id, self.batch_id, self.channel, self.on_date.isoformat(), self.part_of_day)

    def values(self) -> tuple[object, ...]:
        callback = None if self.callback_on is None else self.callback_on.isoformat()
        return (self.round, self.by_whom, self.outcome, callback)


def write_attempts(
    db: sqlite3.Connection, attempts: Iterable[Attempt], source_file: str, stamp: str
) -> dict[str, int]:
    """Write attempts inside the caller's transaction; returns counts added, updated, unchanged."""
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    where = " AND ".join(f"{c} = ?" for c in KEY)
    for attempt in attempts:
        old = db.execute(
            f"SELECT attempt_id, {', '.join(VALUES)}, source_file FROM contact_attempts WHERE {where}",
            attempt.key(),
        ).fetchone()
        if old is None:
            db.execute(
                f"INSERT INTO contact_attempts ({', '.join(KEY + VALUES)}, source_file, loaded_at)"
                f" VALUES ({','.join('?' * (len(KEY) + len(VALUES) + 2))})",
                (*attempt.key(), *attempt.values(), source_file, stamp),
            )
            counts["added"] += 1
        elif tuple(old[1 : 1 + len(VALUES)]) == attempt.values():
            counts["unchanged"] += 1
        else:
            # The history row holds the client id in its own column, which the purge
            # pseudonymises; the JSON must not hold it a second time.
            before = dict(zip(KEY[1:], attempt.key()[1:], strict=True))
            before.update(dict(zip(VALUES, old[1 : 1 + len(VALUES)], strict=True)))
            before["source_file"] = old[-1]
            record_history(db, "attempt", attempt.client_id, before, stamp, source_file)
            db.execute(
                f"UPDATE contact_attempts SET {', '.join(f'{c} = ?' for c in VALUES)}, source_file = ?,"
                " loaded_at = ? WHERE attempt_id = ?",
                (*attempt.values(), source_file, stamp, old[0]),
            )
            counts["updated"] += 1
    return counts


def attempts_frame(ledger: Ledger, batch_id: str | None = None) -> pd.DataFrame:
    """Every attempt (of one batch, any round, when given) in date order per person."""
    where, params = ("", ()) if batch_id is None else (" WHERE a.batch_id = ?", (batch_id,))
    return ledger.frame(
        "SELECT a.client_id, a.batch_id, a.round, a.channel, a.on_date, a.part_of_day, a.by_whom,"
        " a.outcome, a.callback_on FROM contact_attempts a"
        + where
        + " ORDER BY a.client_id, a.on_date, CASE a.part_of_day WHEN 'ochtend' THEN 1"
        " WHEN 'middag' THEN 2 WHEN 'avond' THEN 3 ELSE 0 END, a.attempt_id",
        params,
    )
