"""Bulk inserts of hundreds of thousands of rows inside one ledger transaction.

A secondary index kept up to date row by row is written in random order (batch members arrive
in client-id order, their index is by batch and position): once it outgrows SQLite's page
cache (2 MB by default) every insert spills pages to the journal and the file, which cost 25-36
seconds for 505,128 batch members on a busy machine, against 1-2.5 seconds to build the same
index afterwards from sorted keys. So the table's indexes are dropped for the insert and made
again, from the very SQL text the schema stored, in the same transaction: if anything fails,
the rollback brings the old ones back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def indexes_rebuilt(db: sqlite3.Connection, table: str) -> Iterator[None]:
    """Drop `table`'s own indexes (not those of its primary key or UNIQUE constraints) for the
    body, then create them again; the caller holds the transaction."""
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL"
        " ORDER BY name",
        (table,),
    ).fetchall()
    indexes = [(str(row[0]), str(row[1])) for row in rows]
    for name, _sql in indexes:
        db.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        db.execute(sql)


@contextmanager
def foreign_keys_off(db: sqlite3.Connection) -> Iterator[None]:
    """Foreign keys not enforced by this connection for the body (a transaction opened inside it).

    Only for inserts whose references hold by construction, checked by the caller: a batch
    member is one of the people just read from `people` under the same write lock, a run row
    belongs to the run inserted just before. Enforcing them cost a parent lookup per row: 40%
    of the CPU of inserting 505,128 batch members. SQLite ignores this pragma inside a
    transaction, hence outside; the setting is restored however the body ends.
    """
    enforced = bool(db.execute("PRAGMA foreign_keys").fetchone()[0])
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        if enforced:
            db.execute("PRAGMA foreign_keys = ON")
