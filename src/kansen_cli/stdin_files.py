"""`-` for stdin where a command reads a register or a workbook.

The readers need a file (a workbook by its suffix, a CSV's encoding sniffed from its bytes), so
stdin is copied into a private temporary file first: in a folder only the user can enter
(0700), the file itself 0600, removed afterwards even on an error. Messages say `stdin`, never
the temporary path.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kansen_cli.errors import KansenError

STDIN = "-"
STDIN_NAME = "stdin"

# How a workbook starts: a zip (xlsx, xlsm, ods) or an OLE2 compound file (xls).
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_stdin(path: Path | str) -> bool:
    return str(path) == STDIN


def _suffix(head: bytes) -> str:
    if head.startswith(_ZIP):
        return ".xlsx"
    if head.startswith(_OLE2):
        return ".xls"
    return ".csv"


@contextlib.contextmanager
def stdin_as_file(path: Path, stream: BinaryIO) -> Iterator[Path]:
    """`path` itself, or for `-` a private temporary copy of `stream` (named stdin.csv or
    stdin.xlsx by its first bytes), removed when the block ends."""
    if not is_stdin(path):
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="kansen-stdin-"))  # mode 0700
    try:
        head = stream.read(8)
        target = folder / (STDIN_NAME + _suffix(head))
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(head)
            shutil.copyfileobj(stream, out)
        try:
            yield target
        except KansenError as exc:
            said = str(exc).replace(str(target), STDIN_NAME).replace(target.name, STDIN_NAME)
            if said == str(exc):
                raise
            try:
                again = type(exc)(said)
            except TypeError:  # an error class with its own arguments
                again = KansenError(said)
            raise again from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
