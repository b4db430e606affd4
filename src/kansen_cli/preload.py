"""Parsing a workbook's sheet in a second thread while the command is still starting up.

calamine parses a sheet with the GIL released (python-calamine's `from_path` and
`get_sheet_by_*` run inside `allow_threads`), so on a second core the sheet is parsed while
the main thread imports typer, the settings, pandas and pyarrow: on a 100,000-row workbook
the two take about as long, so `kansen check` no longer waits for one after the other.

The preload is only a head start: `register.workbook` takes the parsed sheet when it asks for
the same file and sheet, and otherwise (or when the preload failed) reads the file itself, so
errors are reported exactly as without it. This module imports only the standard library:
it runs before typer is imported.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# The options of `kansen check` that take a value (so the value is not taken for the file).
_VALUE_OPTIONS = frozenset({"--campaign", "-c", "--encoding", "--delimiter", "--sheet", "--wijken"})

_pending: dict[tuple[str, str | None], _Preload] = {}


class _Preload:
    """One sheet being parsed in a daemon thread: (workbook, sheet name, sheet) or None."""

    def __init__(self, path: str, sheet: str | None) -> None:
        self.path = path
        self.sheet = sheet
        self.result: tuple[Any, str, Any] | None = None
        self.thread = threading.Thread(target=self._run, name="kansen-preload", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            import python_calamine as calamine

            workbook = calamine.CalamineWorkbook.from_path(self.path)
            names = workbook.sheet_names
            name = self.sheet if self.sheet is not None else (names[0] if names else None)
            if name is None or name not in names:
                return
            self.result = (workbook, name, workbook.get_sheet_by_name(name))
        except Exception:  # the reader opens the file again and says what is wrong with it
            self.result = None


def _key(path: Path, sheet: str | None) -> tuple[str, str | None]:
    return (str(Path(path).resolve()), sheet)


def start(path: Path, sheet: str | None = None) -> None:
    """Begin parsing `sheet` (default: the first) of the workbook at `path`, if it is one."""
    path = Path(path)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES or not path.is_file():
        return
    key = _key(path, sheet)
    if key not in _pending:
        _pending[key] = _Preload(key[0], sheet)


def take(path: Path, sheet: str | None) -> tuple[Any, str, Any] | None:
    """The preloaded (workbook, sheet name, calamine sheet) for `path`, waiting for it to be
    parsed; None when nothing was preloaded or the preload failed. A preload is taken once."""
    if not _pending:
        return None
    preload = _pending.pop(_key(path, sheet), None)
    if preload is None:
        return None
    preload.thread.join()
    return preload.result


def start_from_argv(args: Sequence[str]) -> None:
    """Begin parsing the register of a `kansen check FILE` command line, before typer has
    parsed it; any other command line starts nothing (typer still parses and checks it)."""
    words = [a for a in args if a != "--debug"]
    if not words or words[0] != "check":
        return
    register: str | None = None
    sheet: str | None = None
    rest = iter(words[1:])
    for word in rest:
        name, eq, value = word.partition("=")
        if name in _VALUE_OPTIONS:
            if not eq:
                value = next(rest, "")
            if name == "--sheet":
                sheet = value
        elif word == "--":
            register = register or next(rest, None)
            break
        elif not word.startswith("-") and register is None:
            register = word
    if register:
        try:
            start(Path(register), sheet)
        except OSError:
            return
