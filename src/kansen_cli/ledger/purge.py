"""Ledger side of `kansen purge`: find people past retention, erase their personal data and
replace their client id by a pseudonym everywhere, in one transaction.

"Everywhere" is read from the schema (`ledger.personal`): every column holding client ids in
every table, and every column declared personal with the migration that made it. A person's
last event is the latest date of the event queries declared with the migrations.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kansen_cli.i18n import _
from kansen_cli.ledger import schema
from kansen_cli.ledger.core import Ledger, now
from kansen_cli.ledger.migrations import event_queries
from kansen_cli.ledger.personal import client_id_columns, columns, declared_personal, owners

# Stamped, in any table that has it, on the rows whose personal data was erased.
PURGED_AT = "purged_at"
EMPTY = "''"


@dataclass
class PurgeCounts:
    people_purged: int
    ids_pseudonymised: int


def last_event_sql() -> str:
    """The last thing that happened to each client id, whatever table it is in."""
    queries = [q for q in event_queries(schema.MIGRATIONS).values() if q is not None]
    union = "\n    UNION ALL ".join(queries)
    return (
        f"WITH events(client_id, day) AS (\n    {union}\n)\n"
        "SELECT client_id, max(day) AS last_event FROM events GROUP BY client_id"
    )


def _due(db: sqlite3.Connection, cutoff: dt.date) -> tuple[list[str], int]:
    """Client ids whose last event is before the cutoff, and how many of them have personal data."""
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT client_id FROM ({last_event_sql()}) WHERE last_event < ? AND client_id NOT LIKE 'ps-%'",
            (cutoff.isoformat(),),
        )
    ]
    with_data = {row[0] for row in db.execute("SELECT client_id FROM people WHERE purged_at IS NULL")}
    return ids, sum(1 for i in ids if i in with_data)


def _erase(db: sqlite3.Connection, id_columns: Mapping[str, tuple[str, ...]]) -> None:
    """Blank every declared personal column in the rows of the people in `purge_map`."""
    stamp = now()
    for table, personal in declared_personal(db, schema.MIGRATIONS).items():
        # NOT NULL columns cannot hold NULL: they get an empty text instead.
        blank = [f"{name} = {EMPTY if notnull else 'NULL'}" for name, notnull in personal.items()]
        params: list[str] = []
        if PURGED_AT in columns(db, table):
            blank.append(f"{PURGED_AT} = ?")
            params.append(stamp)
        whose = " OR ".join(f"{c} IN (SELECT old FROM purge_map)" for c in owners(id_columns, table))
        db.execute(f"UPDATE {table} SET {', '.join(blank)} WHERE {whose}", params)


def _pseudonymise(db: sqlite3.Connection, id_columns: Mapping[str, tuple[str, ...]]) -> None:
    """Replace every old client id in `purge_map` by its pseudonym, in every client-id column."""
    for table, names in id_columns.items():
        for column in names:
            db.execute(
                f"UPDATE {table} SET {column} = (SELECT new FROM purge_map WHERE old = {table}.{column})"
                f" WHERE {column} IN (SELECT old FROM purge_map)"
            )


def purge(
    ledger: Ledger, cutoff: dt.date, pseudonym: Callable[[str], str], dry_run: bool = False
) -> PurgeCounts:
    """Pseudonymise every client id whose last event is before `cutoff`, erasing personal data."""
    if dry_run:
        ids, people = _due(ledger.db, cutoff)
        return PurgeCounts(people, len(ids))
    ledger.db.execute("PRAGMA secure_delete = ON")
    with ledger.transaction() as db:
        ids, people = _due(db, cutoff)
        if not ids:
            return PurgeCounts(0, 0)
        # Client ids are keys referenced by other tables: check the references at commit.
        db.execute("PRAGMA defer_foreign_keys = ON")
        db.execute("CREATE TEMP TABLE purge_map (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
        db.executemany("INSERT INTO purge_map (new, old) VALUES (?, ?)", [(pseudonym(i), i) for i in ids])
        id_columns = client_id_columns(db)
        _erase(db, id_columns)
        _pseudonymise(db, id_columns)
        db.execute("DROP TABLE purge_map")
    _compact(ledger, people)
    return PurgeCounts(people, len(ids))


def _compact(ledger: Ledger, people: int) -> None:
    """Erased values may linger in free pages of the file; rewrite it without them.

    The purge is recorded by now: if the rewrite fails (a full disk: VACUUM needs room for a
    copy; a reader holding the file), say exactly that, not "nothing was recorded"."""
    from kansen_cli.errors import StorageError

    try:
        ledger.db.execute("VACUUM")
    except sqlite3.Error as exc:
        raise StorageError(
            _(
                "the personal data of {people} people was erased and recorded, but the "
                "ledger file could not be compacted afterwards ({exc}); the erased "
                "values were overwritten already (secure delete). Nothing more needs "
                "doing"
            ).format(people=people, exc=exc)
        ) from None
