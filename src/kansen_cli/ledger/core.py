"""Opening the ledger, migrating it, and one transaction per command.

Concurrency, by design: every change happens in a transaction that takes SQLite's write lock
at its start (BEGIN IMMEDIATE), and a command reads what decides its writes inside that
transaction. A second writer waits a bounded time (`faults.lock_wait`), says so once through
`on_wait`, then stops cleanly. The journal stays SQLite's default rollback journal, not WAL:
campaign folders live on municipal network drives, where WAL's shared memory does not work,
and WAL would keep erased personal data in a second file (-wal) after `kansen purge`. Readers
therefore also wait, a bounded time, while a writer commits; most of a writer's transaction
holds only the RESERVED lock, under which readers go on reading the last committed state.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import LedgerError
from kansen_cli.files import FILE_MODE, ensure_dir
from kansen_cli.i18n import _
from kansen_cli.ledger import migrations, schema, verified
from kansen_cli.ledger.faults import WaitNotice, busy_error, damaged_error, explain, is_busy, lock_wait

if TYPE_CHECKING:
    import pandas as pd

LEDGER_FILE = "kansen.sqlite"


class NotACampaignError(LedgerError):
    """A command that would make a ledger ran in a folder without kansen.toml."""


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
    """A connection to one campaign's ledger; use `transaction()` for every change.

    `on_wait` is called once, with the seconds it will wait, when another command holds the
    ledger and this one has to wait for it.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection, on_wait: WaitNotice | None = None) -> None:
        self.path = path
        self.db = connection
        self.on_wait = on_wait
        self._said_waiting = False
        # Opened after SQLite's check passed (or on a file in the state it last passed in).
        self.checked = False

    def wait_for(self, statement: str) -> None:
        """Run `statement` (BEGIN IMMEDIATE, or a first read) now if the ledger is free; otherwise
        say so once and retry for up to the bounded wait, then stop with LedgerBusyError."""
        wait = lock_wait()
        try:
            self.db.execute("PRAGMA busy_timeout = 0")
            try:
                self.db.execute(statement)
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
            if self.on_wait is not None and not self._said_waiting:
                self._said_waiting = True
                self.on_wait(wait)
            self.db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            try:
                self.db.execute(statement)
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    raise busy_error(wait) from None
                raise
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: a killed or failing command leaves the ledger as it was.

        Only in a campaign: a ledger left in a folder without kansen.toml (made before kansen
        refused that, or its settings deleted) is read, but written only after `kansen init`.
        """
        require_campaign(self.path.parent)
        self.wait_for("BEGIN IMMEDIATE")
        try:
            yield self.db
            _test_pause()
            self.db.execute("COMMIT")
        except BaseException as exc:
            self._abandon(exc)
            raise

    def _abandon(self, exc: BaseException) -> None:
        """Roll back what is left, and say what went wrong in words where it can be named.

        On a full disk (and some I/O errors) SQLite has rolled the transaction back already;
        a ROLLBACK then fails and must not hide the cause.
        """
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            named = explain(exc, self.path)
            if named is not None:
                raise named from exc

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

    def close(self, stamp: bool = True) -> None:
        """Close the connection; a checked ledger closed in good order is noted as checked
        (`ledger.verified`), so the next command need not read every page again."""
        self.db.close()
        if stamp and self.checked:
            verified.note_checked(self.path)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(stamp=exc_type is None)


def require_campaign(campaign: Path) -> None:
    """Refuse a folder without kansen.toml: a ledger (names and addresses of thousands of
    people) is only ever made in a folder that `kansen init` made a campaign, never by
    accident in whatever folder a command happened to run in, on default settings."""
    from kansen_cli.settings import SETTINGS_FILE, settings_path

    if not settings_path(campaign).is_file():
        folder = Path(campaign).resolve()
        raise NotACampaignError(
            _(
                "{folder} is no campaign folder (no {SETTINGS_FILE}); nothing was "
                "written. Run `kansen init {folder}` first: it writes the settings and "
                "the ledger"
            ).format(folder=folder, SETTINGS_FILE=SETTINGS_FILE)
        )


def open_ledger(campaign: Path, create: bool = True, on_wait: WaitNotice | None = None) -> Ledger:
    """Open (and migrate) the campaign's ledger; create it, mode 0600, when asked.

    A new ledger is made only in a campaign folder, one with kansen.toml (`require_campaign`).
    Before anything else it is checked (`PRAGMA quick_check`): a damaged or empty file is
    refused, so that no command reads figures from it or writes into it. A file still in the
    state in which it last passed is not read through again (`ledger.verified`).
    """
    path = ledger_path(campaign)
    if not path.exists():
        if not create:
            raise LedgerError(
                _(
                    "no ledger in {folder}; run `kansen init` there first (or `kansen "
                    "select`, in a campaign folder)"
                ).format(folder=Path(campaign).resolve())
            )
        require_campaign(campaign)
        _create(path)
    elif path.stat().st_size == 0:
        # kansen never leaves an empty ledger (a new one is made aside and moved in whole):
        # an empty file is a lost one, e.g. a copy that failed, and must not pass as "no history".
        raise damaged_error(path, "the file is empty, 0 bytes")
    ledger = _connect(path, on_wait)
    try:
        _check(ledger, every_page=not verified.still_checked(path))
        ledger.checked = True
        if not migrations.up_to_date(ledger.db, schema.MIGRATIONS):
            _migrate(ledger, schema.MIGRATIONS)
    except BaseException:
        ledger.close(stamp=False)
        raise
    return ledger


def _connect(path: Path, on_wait: WaitNotice | None) -> Ledger:
    connection = sqlite3.connect(path, isolation_level=None, timeout=lock_wait())
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    return Ledger(path, connection, on_wait)


def _check(ledger: Ledger, every_page: bool = True) -> None:
    """Refuse a file that is no SQLite database, a damaged one, or one from a newer kansen_cli.

    `every_page=False` (a file unchanged since it passed) skips only SQLite's page check."""
    path = ledger.path
    try:
        # The first read waits, bounded, if a writer is committing: a lock is no damage.
        ledger.wait_for("SELECT count(*) FROM sqlite_master")
        quick_check = "PRAGMA quick_check(5)" if every_page else "SELECT 'ok'"
        problems = [str(r[0]) for r in ledger.db.execute(quick_check)]
        newer = migrations.unknown(ledger.db, schema.MIGRATIONS)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            raise busy_error(lock_wait()) from None
        if "not a database" in str(exc):
            raise LedgerError(
                _("{path} is not a kansen ledger (not an SQLite database)").format(path=path)
            ) from None
        raise damaged_error(path, f"SQLite: {exc}") from None
    if problems != ["ok"]:
        raise damaged_error(path, f"SQLite's check found: {problems[0]}")
    if newer:
        raise LedgerError(
            _("{path} was written by a newer kansen_cli ({newer}); upgrade kansen_cli").format(
                path=path, newer=", ".join(newer)
            )
        )


def _create(path: Path) -> None:
    """A new ledger, made and migrated under a temporary name beside `path`, then moved in whole.

    So kansen never leaves an empty or half-migrated `kansen.sqlite`; a killed run leaves at
    most a `.kansen.sqlite.<random>.part` (mode 0600). If another command made the ledger
    meanwhile, that one is kept.
    """
    made = ensure_dir(path.parent)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    tmp = Path(name)
    try:
        with _connect(tmp, None) as ledger:
            _migrate(ledger, schema.MIGRATIONS)
        _move_in_new(tmp, path)
    except BaseException:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _move_in_new(tmp: Path, path: Path) -> None:
    """`tmp` becomes `path` unless that exists already (another command made it meanwhile).

    A hard link never replaces a file; where the file system has none (some network shares),
    a rename after a last look does."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if not path.exists():
            os.replace(tmp, path)


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
                        _("{path}: migration {name} failed ({exc}); nothing of it was applied").format(
                            path=ledger.path, name=todo[0].name, exc=exc
                        )
                    ) from None
        if len(todo) <= 1:
            return
