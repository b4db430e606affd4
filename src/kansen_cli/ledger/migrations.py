"""Named migrations: what each schema step is, how it is applied, and the record of it.

A migration is a name (`0001_whole_cycle`), its SQL, and two declarations about the tables it
creates: which columns hold a person's data (`personal`, erased by `kansen purge`) and how a
person's events are dated (`events`, the purge's "last event"). Client-id columns need no
declaration: `ledger.personal` reads them from the schema.

Each migration runs in one transaction together with the row that records it in
`schema_migrations` (name, time applied), statement by statement: `sqlite3`'s
`executescript` would commit our transaction first. Statement ends are found with
`sqlite3.complete_statement`, so a trigger body or a string holding `;` stays whole.
`PRAGMA user_version` is kept equal to the number of migrations applied, as it was before
migrations had names: a ledger from then (user_version 1, no record table) is recorded as
having had the first migration, at an unknown time (applied_at NULL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

RECORD_TABLE = "schema_migrations"
RECORD_SQL = f"""
CREATE TABLE IF NOT EXISTS {RECORD_TABLE} (
    name       TEXT PRIMARY KEY,
    applied_at TEXT  -- NULL: applied before kansen_cli recorded migrations by name
)
"""


@dataclass(frozen=True)
class Migration:
    """One schema step. Never edit a released one: add the next.

    `personal`: table -> columns holding a person's data (names, addresses, free text about
    them), erased by the purge in the rows of the people purged. `events`: table -> a SELECT
    of (client_id, day as yyyy-mm-dd) for the dates of that table's rows, or None for a table
    whose rows are no event of their own; a later migration's entry for a table replaces an
    earlier one.
    """

    name: str
    sql: str
    personal: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    events: Mapping[str, str | None] = field(default_factory=dict)


def statements(sql: str) -> list[str]:
    """The SQL text cut into whole statements (a `;` in a string, comment or trigger body stays)."""
    found: list[str] = []
    start = 0
    end = sql.find(";")
    while end != -1:
        candidate = sql[start : end + 1]
        if sqlite3.complete_statement(candidate):
            found.append(candidate)
            start = end + 1
        end = sql.find(";", end + 1)
    rest = sql[start:]
    if rest.strip():
        found.append(rest)  # the last statement may go without `;`; if it is cut off, SQLite says so
    return found


def recorded(db: sqlite3.Connection) -> dict[str, str | None] | None:
    """Name -> time applied of every recorded migration; None for a ledger without the record."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (RECORD_TABLE,)
    ).fetchone()
    if exists is None:
        return None
    return {row[0]: row[1] for row in db.execute(f"SELECT name, applied_at FROM {RECORD_TABLE}")}


def unknown(db: sqlite3.Connection, known: Sequence[Migration]) -> list[str]:
    """What this ledger has that this program does not know: a newer kansen_cli wrote it."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    names = {m.name for m in known}
    extra = [f"migration {name}" for name in sorted(set(recorded(db) or ()) - names)]
    if not extra and version > len(known):
        extra = [f"schema {version}"]
    return extra


def up_to_date(db: sqlite3.Connection, known: Sequence[Migration]) -> bool:
    """Every known migration recorded: nothing to write."""
    done = recorded(db)
    return done is not None and all(m.name in done for m in known)


def pending(db: sqlite3.Connection, known: Sequence[Migration]) -> list[Migration]:
    """The known migrations this ledger has not had, in order."""
    done = recorded(db)
    if done is None:  # no record yet: user_version counts the migrations applied
        version = db.execute("PRAGMA user_version").fetchone()[0]
        return list(known[version:])
    return [m for m in known if m.name not in done]


def start_record(db: sqlite3.Connection, known: Sequence[Migration]) -> None:
    """Create the record table; a ledger from before it gets its first user_version migrations."""
    if recorded(db) is not None:
        return
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.execute(RECORD_SQL)
    db.executemany(
        f"INSERT INTO {RECORD_TABLE} (name, applied_at) VALUES (?, NULL)",
        [(m.name,) for m in known[:version]],
    )


def apply(db: sqlite3.Connection, migration: Migration, applied_at: str) -> None:
    """Run one migration and record it (the caller holds the transaction)."""
    for statement in statements(migration.sql):
        db.execute(statement)
    db.execute(f"INSERT INTO {RECORD_TABLE} (name, applied_at) VALUES (?, ?)", (migration.name, applied_at))
    count = db.execute(f"SELECT count(*) FROM {RECORD_TABLE}").fetchone()[0]
    db.execute(f"PRAGMA user_version = {int(count)}")


def personal_columns(known: Sequence[Migration]) -> dict[str, tuple[str, ...]]:
    """Every table's declared personal columns, over all migrations."""
    columns: dict[str, tuple[str, ...]] = {}
    for migration in known:
        for table, names in migration.personal.items():
            columns[table] = tuple(dict.fromkeys([*columns.get(table, ()), *names]))
    return columns


def event_queries(known: Sequence[Migration]) -> dict[str, str | None]:
    """Every table's event query (None: no events of its own); the latest declaration wins."""
    queries: dict[str, str | None] = {}
    for migration in known:
        queries.update(migration.events)
    return queries
