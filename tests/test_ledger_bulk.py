"""Bulk inserts (`ledger.bulk`): indexes made again as they were, foreign keys enforced again,
and the check that replaces the per-member foreign-key lookups."""

from __future__ import annotations

import sqlite3

import pytest

from kansen_cli.errors import LedgerError
from kansen_cli.ledger.bulk import foreign_keys_off, indexes_rebuilt

# These tests assert the English messages; test_errors_language.py asserts the Dutch ones.
pytestmark = pytest.mark.usefixtures("english_messages")


def _schema(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def _small(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, g TEXT, n INTEGER, UNIQUE (g, n)) WITHOUT ROWID")
    db.execute("CREATE INDEX t_g ON t(g, n)")
    db.execute("CREATE INDEX t_n ON t(n) WHERE n > 2")


def test_indexes_come_back_with_their_own_sql_and_entries() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    _small(db)
    before = _schema(db)
    db.execute("BEGIN")
    with indexes_rebuilt(db, "t"):
        # The table's own indexes are gone meanwhile; the UNIQUE constraint's is kept.
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert names == {"sqlite_autoindex_t_2"}
        db.executemany("INSERT INTO t VALUES (?, ?, ?)", [("a", "x", 3), ("b", "x", 1), ("c", "y", 5)])
    db.execute("COMMIT")
    assert _schema(db) == before
    # The rebuilt index holds every row: counted through it, the partial one too.
    assert db.execute("SELECT count(*) FROM t INDEXED BY t_g WHERE g = 'x'").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM t INDEXED BY t_n WHERE n > 2").fetchone()[0] == 2


def test_a_failed_insert_rolls_back_to_the_old_indexes() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    _small(db)
    before = _schema(db)
    db.execute("BEGIN")
    with pytest.raises(sqlite3.IntegrityError), indexes_rebuilt(db, "t"):
        db.executemany("INSERT INTO t VALUES (?, ?, ?)", [("a", "x", 1), ("a", "y", 2)])
    db.execute("ROLLBACK")
    assert _schema(db) == before


def test_foreign_keys_are_enforced_again_after_the_body_however_it_ends() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE child (id INTEGER REFERENCES parent(id))")
    with foreign_keys_off(db):
        db.execute("INSERT INTO child VALUES (1)")  # not enforced here
    with pytest.raises(RuntimeError), foreign_keys_off(db):
        raise RuntimeError
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO child VALUES (2)")


def test_foreign_keys_stay_off_where_they_were_off() -> None:
    db = sqlite3.connect(":memory:", isolation_level=None)
    with foreign_keys_off(db):
        pass
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 0


def test_a_batch_of_someone_not_selected_is_refused_and_nothing_recorded(
    invoke, campaign, small_register
) -> None:
    """The check that stands in for the members' foreign keys: an assignment naming a person
    who was not read from `people` records nothing."""
    from kansen_cli.batching import make_batches
    from kansen_cli.ledger import open_ledger
    from kansen_cli.ledger.runs import record_batches

    assert invoke("select", small_register, "--as-of", "2026-10-01", "-c", campaign).exit_code == 0

    def assign(unbatched, taken):
        out = make_batches(unbatched, 250, 1, ["A", "B"], taken)
        out.loc[0, "client_id"] = "not-in-people"
        return out

    with open_ledger(campaign, create=False) as ledger:
        with pytest.raises(LedgerError, match="not among the selected"):
            record_batches(ledger, assign, seed=1)
        assert ledger.scalar("SELECT count(*) FROM batch_members") == 0
        assert ledger.scalar("SELECT count(*) FROM batches") == 0
        assert ledger.scalar("PRAGMA foreign_keys") == 1
