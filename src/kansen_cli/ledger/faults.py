"""What can go wrong under the ledger, said in words: a lock held by another command, a full or
read-only disk, a damaged file. One place turns SQLite's error codes into the tool's errors.

The lock: one kansen command writes a campaign's ledger at a time (SQLite's write lock, taken
at the start of each transaction). A second command waits a bounded time, says so once through
the ledger's `on_wait` callback (the CLI prints it; a workflow never prints), and then stops
with `LedgerBusyError` instead of SQLite's "database is locked".
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from kansen_cli.errors import KansenError, LedgerBusyError, LedgerDamagedError, StorageError
from kansen_cli.i18n import _

# How long a command waits for another one to finish with the ledger. Long enough for any
# commit, short enough that a user is not left wondering; the environment variable shortens
# (or lengthens) it, e.g. for tests.
LOCK_WAIT_SECONDS = 30.0
LOCK_WAIT_ENV = "KANSEN_LOCK_WAIT"

# Called once, with the seconds it will wait, when a command has to wait for the ledger.
WaitNotice = Callable[[float], None]


def lock_wait() -> float:
    value = os.environ.get(LOCK_WAIT_ENV, "").strip()
    try:
        return max(0.0, float(value)) if value else LOCK_WAIT_SECONDS
    except ValueError:
        return LOCK_WAIT_SECONDS


def _code(exc: sqlite3.Error) -> str:
    """SQLite's error name (`SQLITE_BUSY`, `SQLITE_FULL`, …), from the message where Python lacks it."""
    name = getattr(exc, "sqlite_errorname", None)
    if name:
        return str(name)
    text = str(exc).lower()
    for fragment, guess in (
        ("locked", "SQLITE_BUSY"),
        ("disk is full", "SQLITE_FULL"),
        ("readonly", "SQLITE_READONLY"),
        ("malformed", "SQLITE_CORRUPT"),
        ("not a database", "SQLITE_NOTADB"),
        ("disk i/o error", "SQLITE_IOERR"),
        ("unable to open", "SQLITE_CANTOPEN"),
    ):
        if fragment in text:
            return guess
    return ""


def is_busy(exc: sqlite3.Error) -> bool:
    return _code(exc).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def busy_error(waited: float) -> LedgerBusyError:
    return LedgerBusyError(
        _(
            "another kansen command is working in this campaign and did not finish "
            "within {waited:g} s; this command stopped without changing anything. "
            "Run it again once the other one is done"
        ).format(waited=waited)
    )


def damaged_error(path: Path, detail: str) -> LedgerDamagedError:
    return LedgerDamagedError(
        _(
            "{path} is damaged ({detail}); kansen changed nothing. Restore the "
            "ledger from a backup (or ask for help before running more commands in "
            "this campaign)"
        ).format(path=path, detail=detail)
    )


def explain(exc: sqlite3.Error, path: Path | None = None) -> KansenError | None:
    """The tool's error for an SQLite error it can name, or None for one it cannot.

    SQLite's messages name no values, only the kind of failure; the folder is the campaign's.
    """
    code = _code(exc)
    where = f"the campaign folder {Path(path).parent}" if path is not None else "the campaign folder"
    ledger = path if path is not None else Path("kansen.sqlite")
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return busy_error(lock_wait())
    if code.startswith("SQLITE_FULL"):
        return StorageError(
            _("the disk holding {where} is full; nothing was recorded. Make room and run again").format(
                where=where
            )
        )
    if code.startswith("SQLITE_READONLY"):
        return StorageError(
            _("{where} is read-only (or the ledger in it is); nothing was recorded").format(where=where)
        )
    if code.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return StorageError(
            _(
                "the ledger in {where} cannot be opened for writing (a read-only folder "
                "or permission denied); nothing was recorded"
            ).format(where=where)
        )
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return damaged_error(ledger, str(exc))
    if code.startswith("SQLITE_IOERR"):
        return StorageError(
            _("the disk holding {where} reported an input/output error; nothing was recorded").format(
                where=where
            )
        )
    return None
