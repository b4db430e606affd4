"""Ledger side of `kansen purge`: find people past retention, blank their personal data and
replace their client id by a pseudonym everywhere, in one transaction."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kansen_cli.ledger.core import Ledger, now
from kansen_cli.ledger.runs import PERSON_COLUMNS

# Every table that holds a client id. People's personal columns are blanked separately.
CLIENT_ID_TABLES = (
    "run_rows",
    "people",
    "batch_members",
    "appointments",
    "letters",
    "outcomes",
    "referrals",
    "followups",
    "history",
)
# Everything the letters needed, except what the figures still count by.
PERSONAL_COLUMNS = tuple(c for c in PERSON_COLUMNS if c not in ("client_id", "neighbourhood"))

# The last thing that happened to each client id, whatever table it is in. Timestamps are
# cut to their date so that dates and times compare as text.
LAST_EVENT_SQL = """
WITH events(client_id, day) AS (
    SELECT r.client_id, s.as_of FROM run_rows r JOIN selection_runs s USING (run_id)
        WHERE r.client_id IS NOT NULL
    UNION ALL SELECT m.client_id, substr(b.created_at, 1, 10)
        FROM batch_members m JOIN batches b USING (batch_id)
    UNION ALL SELECT client_id, date FROM appointments
    UNION ALL SELECT client_id, sent_on FROM letters
    UNION ALL SELECT client_id, coalesce(conversation_date, substr(loaded_at, 1, 10)) FROM outcomes
    UNION ALL SELECT client_id, coalesce(result_date, substr(loaded_at, 1, 10)) FROM referrals
    UNION ALL SELECT client_id, coalesce(call_date, substr(loaded_at, 1, 10)) FROM followups
)
SELECT client_id, max(day) AS last_event FROM events GROUP BY client_id
"""


@dataclass
class PurgeResult:
    cutoff: str
    people_purged: int
    ids_pseudonymised: int

    def as_json(self) -> dict[str, object]:
        return {
            "cutoff": self.cutoff,
            "people_purged": self.people_purged,
            "ids_pseudonymised": self.ids_pseudonymised,
        }


def _due(db: sqlite3.Connection, cutoff: dt.date) -> tuple[list[str], int]:
    """Client ids whose last event is before the cutoff, and how many of them have personal data."""
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT client_id FROM ({LAST_EVENT_SQL}) WHERE last_event < ? AND client_id NOT LIKE 'ps-%'",
            (cutoff.isoformat(),),
        )
    ]
    with_data = {row[0] for row in db.execute("SELECT client_id FROM people WHERE purged_at IS NULL")}
    return ids, sum(1 for i in ids if i in with_data)


def purge(
    ledger: Ledger, cutoff: dt.date, pseudonym: Callable[[str], str], dry_run: bool = False
) -> PurgeResult:
    """Pseudonymise every client id whose last event is before `cutoff`."""
    if dry_run:
        ids, people = _due(ledger.db, cutoff)
        return PurgeResult(cutoff.isoformat(), people, len(ids))
    ledger.db.execute("PRAGMA secure_delete = ON")
    with ledger.transaction() as db:
        ids, people = _due(db, cutoff)
        if not ids:
            return PurgeResult(cutoff.isoformat(), 0, 0)
        # Client ids are keys referenced by other tables: check the references at commit.
        db.execute("PRAGMA defer_foreign_keys = ON")
        db.execute("CREATE TEMP TABLE purge_map (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
        db.executemany("INSERT INTO purge_map (new, old) VALUES (?, ?)", [(pseudonym(i), i) for i in ids])
        blank = ", ".join(f"{c} = NULL" for c in PERSONAL_COLUMNS)
        db.execute(
            f"UPDATE people SET {blank}, purged_at = ? WHERE client_id IN (SELECT old FROM purge_map)",
            (now(),),
        )
        for table in CLIENT_ID_TABLES:
            db.execute(
                f"UPDATE {table} SET client_id = (SELECT new FROM purge_map WHERE old = {table}.client_id)"
                " WHERE client_id IN (SELECT old FROM purge_map)"
            )
        db.execute("DROP TABLE purge_map")
    # Erased values may linger in free pages of the file; rewrite it without them.
    ledger.db.execute("VACUUM")
    return PurgeResult(cutoff.isoformat(), people, len(ids))
