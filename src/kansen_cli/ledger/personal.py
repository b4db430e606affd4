"""Where a person is in the ledger: the columns holding client ids, read from the schema, and
the columns holding their data, as declared with the migrations that made them.

The purge works from these, so a table added by a later migration is pseudonymised without
anyone remembering to list it; its personal columns are erased once declared (`personal` in
`ledger/schema.py`), and `tests/test_purge.py` scans every column for what was not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from kansen_cli.errors import LedgerError
from kansen_cli.i18n import _
from kansen_cli.ledger.migrations import Migration, personal_columns

CLIENT_ID = "client_id"


def tables(db: sqlite3.Connection) -> list[str]:
    """The ledger's own tables (SQLite's internal ones left out)."""
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(row[0] for row in rows)


def columns(db: sqlite3.Connection, table: str) -> dict[str, bool]:
    """Column name -> whether it is NOT NULL."""
    rows = db.execute('SELECT name, "notnull" FROM pragma_table_info(?)', (table,))
    return {row[0]: bool(row[1]) for row in rows}


def _primary_key(db: sqlite3.Connection, table: str) -> list[str]:
    rows = db.execute("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (table,))
    return [row[0] for row in rows]


def _references(db: sqlite3.Connection, table: str) -> list[tuple[str, str, str]]:
    """(column, parent table, parent column) of every foreign key of `table`."""
    found = []
    for row in db.execute('SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)', (table,)):
        source, parent, target = row[0], row[1], row[2]
        if target is None:  # `REFERENCES people` points at the parent's primary key
            key = _primary_key(db, parent)
            target = key[0] if len(key) == 1 else None
        if target is not None:
            found.append((source, parent, target))
    return found


def client_id_columns(db: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Table -> its columns holding client ids: named `client_id` or `*_client_id`, or a
    foreign key to such a column (followed through any number of tables)."""
    found = {
        (table, name)
        for table in tables(db)
        for name in columns(db, table)
        if name == CLIENT_ID or name.endswith("_" + CLIENT_ID)
    }
    edges = [(table, *ref) for table in tables(db) for ref in _references(db, table)]
    grown = True
    while grown:
        before = len(found)
        found |= {(table, source) for table, source, parent, target in edges if (parent, target) in found}
        grown = len(found) > before
    result: dict[str, tuple[str, ...]] = {}
    for table, name in sorted(found):
        result[table] = (*result.get(table, ()), name)
    return result


def declared_personal(db: sqlite3.Connection, known: Sequence[Migration]) -> dict[str, dict[str, bool]]:
    """Table -> declared personal column -> NOT NULL, for the tables this ledger has."""
    present = set(tables(db))
    result: dict[str, dict[str, bool]] = {}
    for table, names in personal_columns(known).items():
        if table not in present:
            continue  # dropped by a later migration
        have = columns(db, table)
        missing = [n for n in names if n not in have]
        if missing:
            raise LedgerError(
                _("the schema declares {table}.{missing} personal, but the ledger has no such column").format(
                    table=table, missing=missing[0]
                )
            )
        result[table] = {n: have[n] for n in names}
    return result


def owners(id_columns: Mapping[str, tuple[str, ...]], table: str) -> tuple[str, ...]:
    """The client-id columns that tie a table's personal data to people; refused when none."""
    found = id_columns.get(table, ())
    if not found:
        raise LedgerError(
            _("{table} has personal columns but no client id: nobody's data could be erased").format(
                table=table
            )
        )
    return found
