"""A ledger unchanged since it passed SQLite's page check is not read through again; any change is."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from campaign_helpers import make_campaign
from kansen_cli.errors import KansenError
from kansen_cli.ledger import core, open_ledger
from kansen_cli.ledger.verified import still_checked


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    campaign = make_campaign(tmp_path / "c")
    open_ledger(campaign).close()
    return campaign / "kansen.sqlite"


def _page_checks(monkeypatch, campaign: Path) -> int:
    """How many `PRAGMA quick_check` statements one open and close of the ledger runs."""
    seen: list[str] = []
    connect = core._connect

    def traced(path, on_wait):  # type: ignore[no-untyped-def]
        ledger = connect(path, on_wait)
        ledger.db.set_trace_callback(seen.append)
        return ledger

    monkeypatch.setattr(core, "_connect", traced)
    open_ledger(campaign, create=False).close()
    monkeypatch.setattr(core, "_connect", connect)
    return sum("quick_check" in statement for statement in seen)


def test_an_unchanged_ledger_is_checked_once(monkeypatch, ledger_file: Path) -> None:
    campaign = ledger_file.parent
    assert still_checked(ledger_file)
    assert _page_checks(monkeypatch, campaign) == 0
    # A change made outside kansen (here: a write by another program) brings the check back.
    with sqlite3.connect(ledger_file) as db:
        db.execute("CREATE TABLE elsewhere (x)")
    assert not still_checked(ledger_file)
    assert _page_checks(monkeypatch, campaign) == 1
    assert _page_checks(monkeypatch, campaign) == 0


def test_a_command_that_fails_leaves_no_note(ledger_file: Path) -> None:
    os.utime(ledger_file)  # changed: the next open checks every page
    with pytest.raises(KansenError), open_ledger(ledger_file.parent, create=False):
        raise KansenError("stopped")
    assert not still_checked(ledger_file)


def test_touched_copied_or_interrupted_ledgers_are_checked_again(tmp_path: Path, ledger_file: Path) -> None:
    original = ledger_file.stat()
    os.utime(ledger_file, ns=(original.st_atime_ns, original.st_mtime_ns + 1))
    assert not still_checked(ledger_file)
    open_ledger(ledger_file.parent, create=False).close()
    assert still_checked(ledger_file)
    # Setting the time back is not enough: the change time moved on.
    os.utime(ledger_file, ns=(original.st_atime_ns, original.st_mtime_ns))
    assert not still_checked(ledger_file)
    open_ledger(ledger_file.parent, create=False).close()
    # A copy with the same times, moved into place, is another file.
    copy = tmp_path / "copy.sqlite"
    shutil.copy2(ledger_file, copy)
    os.replace(copy, ledger_file)
    assert not still_checked(ledger_file)
    open_ledger(ledger_file.parent, create=False).close()
    # A hot journal beside it: a transaction was interrupted, SQLite will roll it back.
    journal = ledger_file.with_name("kansen.sqlite-journal")
    journal.write_bytes(b"")
    assert not still_checked(ledger_file)
    journal.unlink()
    assert still_checked(ledger_file)


def test_damage_after_a_clean_close_is_still_found(ledger_file: Path) -> None:
    campaign = ledger_file.parent
    with open_ledger(campaign, create=False) as ledger, ledger.transaction() as db:
        db.execute("CREATE TABLE filler (x)")
        db.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(200),) for _ in range(400)])
    assert still_checked(ledger_file)
    with sqlite3.connect(ledger_file) as db:
        page = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    with open(ledger_file, "r+b") as handle:
        handle.seek((pages - 3) * page)
        handle.write(b"\xff" * page)
    with pytest.raises(KansenError, match="beschadigd"):
        open_ledger(campaign, create=False)
