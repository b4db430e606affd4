"""Remembering that the ledger passed SQLite's check, so an unchanged file is not checked again.

`PRAGMA quick_check` reads every page: 3.6-5.3 s on a ledger of a million people on a busy
machine, more than a `kansen status` may take. The check guards against a file damaged
*outside* kansen (a failed copy, a network drive, a disk), and every such change alters the
file's size, modification or change time (the change time cannot be set back) or, for a copy
put in its place, its inode. So after a passed check, and when a command that opened a checked
ledger closes it in good order, the file's state is noted; the next command skips the page
check while the file is in exactly that state and no hot journal (an interrupted
transaction) lies beside it.

The notes live in the user's cache (`KANSEN_CACHE_DIR`, else `$XDG_CACHE_HOME/kansen` or
`~/.cache/kansen`), named by a hash of the ledger's path, not in the campaign folder: a
command that only reads leaves the campaign as it was (it may be a read-only share). They hold
no personal data; a cache that cannot be written only means the check runs every time.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

CACHE_ENV = "KANSEN_CACHE_DIR"


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kansen"


def note_path(ledger: Path) -> Path:
    import hashlib  # not at start-up: `kansen --help` imports the ledger package

    key = hashlib.sha256(str(Path(ledger).resolve()).encode()).hexdigest()[:32]
    return cache_dir() / "checked" / key


def file_state(ledger: Path) -> str:
    """What any change to the file alters: size, modification and change time, inode."""
    info = os.stat(ledger)
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}\n"


def still_checked(ledger: Path) -> bool:
    """True when the ledger is in the state last noted and no interrupted transaction waits."""
    if ledger.with_name(f"{ledger.name}-journal").exists():
        return False
    try:
        return note_path(ledger).read_text(encoding="ascii") == file_state(ledger)
    except (OSError, UnicodeDecodeError):
        return False


def note_checked(ledger: Path) -> None:
    """Note the ledger's present state as checked (atomically; silently not, if we cannot)."""
    target = note_path(ledger)
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        part.write_text(file_state(ledger), encoding="ascii")
        os.replace(part, target)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
