"""What `ingest` records for every file of any workbook kind: replaced values and the file itself.

The kind's own records (outcomes, follow-up calls, …) are written by the kind's ledger module;
these two tables are shared: `history` keeps every value a later file replaced, and
`loaded_files` every file that loaded, with its counts.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kansen_cli.ledger.core import now

if TYPE_CHECKING:
    from kansen_cli.workbooks.plan import Change, IngestPlan

ChangeWriter = Callable[[sqlite3.Connection, "IngestPlan", "Change", str], None]


def record_history(
    db: sqlite3.Connection, kind: str, client_id: str, old: dict[str, Any], stamp: str, source_file: str
) -> None:
    """Keep a record that is about to be replaced or removed (caller holds the transaction)."""
    db.execute(
        "INSERT INTO history (kind, client_id, old_json, replaced_at, source_file) VALUES (?,?,?,?,?)",
        (kind, client_id, json.dumps(old, sort_keys=True), stamp, source_file),
    )


def record_loaded_file(
    db: sqlite3.Connection,
    sha256: str,
    name: str,
    kind: str,
    batch_id: str | None,
    stamp: str,
    counts: dict[str, int],
) -> None:
    db.execute(
        "INSERT INTO loaded_files (sha256, name, kind, batch_id, loaded_at, counts_json)"
        " VALUES (?,?,?,?,?,?)",
        (sha256, name, kind, batch_id, stamp, json.dumps(counts)),
    )


def loaded_since(
    db: sqlite3.Connection, kind: str, batch_id: str | None, since: str, sha256: str
) -> list[tuple[str, str]]:
    """(name, loaded_at) of the other files of this kind and batch loaded since `since` (its second too)."""
    rows = db.execute(
        "SELECT name, max(loaded_at) FROM loaded_files WHERE kind = ? AND coalesce(batch_id, '') = ?"
        " AND loaded_at >= ? AND sha256 != ? GROUP BY sha256, name ORDER BY max(loaded_at)",
        (kind, batch_id or "", since, sha256),
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def write_plan(db: sqlite3.Connection, plan: IngestPlan, write: ChangeWriter) -> None:
    """Write one file's planned changes and record the file as loaded (caller holds the transaction).

    `write` is the workbook kind's writer of one record; the replaced record goes to the
    history first, unchanged records are not touched.
    """
    stamp = now()
    for change in plan.changes:
        if change.action == "unchanged":
            continue
        if change.old is not None:
            record_history(db, change.kind, change.client_id, change.old, stamp, plan.file)
        write(db, plan, change, stamp)
    record_loaded_file(db, plan.sha256, plan.file, plan.kind, plan.batch_id, stamp, plan.counts())
