"""Storage faults in words, for every command: one place that names an error of the disk (by
errno: full, read-only, permission denied, I/O) or of the ledger file (by SQLite's code:
locked, full, read-only, damaged). The CLI shows what this returns instead of an internal error.
"""

from __future__ import annotations

import sqlite3

from kansen_cli.errors import KansenError


def explain(exc: BaseException) -> KansenError | None:
    """The tool's error for a fault of the disk or the ledger file, or None for any other error."""
    if isinstance(exc, OSError):
        from kansen_cli.files import explain_os_error

        return explain_os_error(exc)
    if isinstance(exc, sqlite3.Error):
        from kansen_cli.ledger.faults import explain as explain_sqlite

        return explain_sqlite(exc)
    return None
