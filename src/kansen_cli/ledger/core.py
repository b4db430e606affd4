"""Opening the ledger, migrating it, and one transaction per command."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import LedgerError
from kansen_cli.files import FILE_MODE, ensure_dir
from kansen_cli.ledger import migrations, schema

if TYPE_CHECKING:
    import pandas as pd

LEDGER_FILE = "kansen.sqlite"


def ledger_path(campaign: Path) -> Path:
    return Path(campaign) / LEDGER_FILE


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# TEST ONLY: seconds to sleep inside every transaction, after its writes and before COMMIT, so
# a test can SIGKILL a command at a known point (tests/test_ledger.py). Never set it otherwise.
TEST_PAUSE_ENV = "KANSEN_TEST_PAUSE_IN_TRANSACTION"


def _test_pause() -> None:
    seconds = os.environ.get(TEST_PAUSE_ENV)
    if not seconds:
        return
    import sys
    import time

    sys.stderr.write("KANSEN_TEST: paused in transaction\n")
    sys.stderr.flush()
    time.sleep(float(seconds))


class Ledger:
    """A connection to one campaign's ledger; use `transaction()` for every change."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.db = connection

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a killed or failing command leaves the ledger as it was."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
            _test_pause()
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        return self.db.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        import pandas as pd

        cursor = self.db.cursor()
        cursor.row_factory = None  # plain tuples: pandas reads them in C, sqlite3.Row one by one
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=names)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_ledger(campaign: Path, create: bool = True) -> Ledger:
    """Open (and migrate) the campaign's ledger; create it, mode 0600, when asked."""
    path = ledger_path(campaign)
    if not path.exists():
        if not create:
            raise LedgerError(
                f"no ledger in {Path(campaign).resolve()}; run `kansen init` or `kansen select` there first"
            )
        ensure_dir(path.parent)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    try:
        newer = migrations.unknown(connection, schema.MIGRATIONS)
    except sqlite3.DatabaseError:
        connection.close()
        raise LedgerError(f"{path} is not a kansen ledger (not an SQLite database)") from None
    if newer:
        connection.close()
        raise LedgerError(
            f"{path} was written by a newer kansen_cli ({', '.join(newer)}); upgrade kansen_cli"
        )
    ledger = Ledger(path, connection)
    if not migrations.up_to_date(connection, schema.MIGRATIONS):
        try:
            _migrate(ledger, schema.MIGRATIONS)
        except BaseException:
            connection.close()
            raise
    return ledger


def _migrate(ledger: Ledger, known: Sequence[migrations.Migration]) -> None:
    """Each pending migration in a transaction of its own, with its record: all of it or none."""
    while True:
        with ledger.transaction() as db:
            migrations.start_record(db, known)
            todo = migrations.pending(db, known)
            if todo:
                try:
                    migrations.apply(db, todo[0], now())
                except sqlite3.Error as exc:
                    raise LedgerError(
                        f"{ledger.path}: migration {todo[0].name} failed ({exc}); nothing of it was applied"
                    ) from None
        if len(todo) <= 1:
            return
