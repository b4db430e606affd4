"""Writing a set of output files together: all of them appear, or none does, and old ones come back.

A batch's letters are several files (the PDF, the workbooks, an HTML file per person) that
only make sense together, and once posted they are what the ledger says was sent. So:

1. `Staged` writes them into a private staging folder next to their targets first (the slow
   part, outside any ledger transaction);
2. `swap_in` moves them into place, setting the files they replace aside (a rename, fast: it is
   meant to run inside the ledger transaction that records them, just before its COMMIT);
3. leaving the `with` without error drops the set-aside files; with an error (the lock, the
   COMMIT, Ctrl-C) the new files go and the old ones come back, as if nothing had happened.

Output folders are never symbolic links, and clean-up removes only files kansen names itself
(`owned`), as regular files, never through a link.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kansen_cli.errors import UnsafeFolderError
from kansen_cli.i18n import _


def refuse_symlinks(folder: Path, within: Path | None = None) -> None:
    """Refuse `folder`, or a folder between `within` and it, that is a symbolic link.

    Writing, and above all cleaning up, through a link would touch files kansen never made.
    """
    folder = Path(folder)
    chain = [folder]
    if within is not None and folder.is_relative_to(within):
        chain += [p for p in folder.parents if p.is_relative_to(within) and p != Path(within)]
    for path in chain:
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISLNK(path.lstat().st_mode):
                raise UnsafeFolderError(
                    _(
                        "{path} is a symbolic link; kansen writes and cleans up only in real "
                        "folders (remove the link, or give --out the folder it points to)"
                    ).format(path=path)
                )


def owned(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """The regular files (not links) in `folder` whose names match `pattern`: files kansen made."""
    found = []
    for path in sorted(Path(folder).iterdir()):
        if pattern.fullmatch(path.name) and stat.S_ISREG(path.lstat().st_mode):
            found.append(path)
    return found


class Staged:
    """New files written aside in `folder`, waiting to be swapped in (module docstring)."""

    def __init__(self, folder: Path, force: bool) -> None:
        from kansen_cli import files

        refuse_symlinks(folder)
        self.folder, self.force = Path(folder), force
        self.created = files.ensure_dir(folder)
        self.staging = Path(tempfile.mkdtemp(dir=folder, prefix=".kansen-"))
        self.targets: list[Path] = []
        self.moved: list[Path] = []
        self.aside: dict[Path, Path] = {}
        self.backup: Path | None = None

    def write(self, contents: Mapping[Path, bytes], sheets: Mapping[Path, Any]) -> None:
        from kansen_cli import files

        for path, data in contents.items():
            files.write_bytes(self.staging / path.name, data)
        for path, frames in sheets.items():
            files.write_xlsx(self.staging / path.name, frames)
        self.targets = [*contents, *sheets]
        for path in self.targets:
            files.check_writable(path, self.force)

    def set_aside(self, path: Path) -> None:
        """Move an existing file out of the way, to come back if the swap is undone."""
        if self.backup is None:
            self.backup = Path(tempfile.mkdtemp(dir=self.folder, prefix=".kansen-old-"))
        self.aside[path] = self.backup / path.name
        os.replace(path, self.aside[path])

    def swap_in(self) -> None:
        """Put the new files in place; the ones they replace are set aside."""
        for path in self.targets:
            if os.path.lexists(path):
                self.set_aside(path)
            os.replace(self.staging / path.name, path)
            self.moved.append(path)

    def undo(self) -> None:
        for path in self.moved:
            path.unlink(missing_ok=True)
        for path, kept in self.aside.items():
            os.replace(kept, path)
        self._tidy()
        for path in self.created:  # innermost first
            with contextlib.suppress(OSError):
                path.rmdir()

    def _tidy(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.backup is not None:
            shutil.rmtree(self.backup, ignore_errors=True)


@contextlib.contextmanager
def staged(folder: Path, force: bool) -> Iterator[Staged]:
    """A `Staged` set of files: kept if the block ends well, undone (old files back) if not."""
    files = Staged(folder, force)
    try:
        yield files
    except BaseException:
        files.undo()
        raise
    files._tidy()


def write_together(
    folder: Path,
    contents: Mapping[Path, bytes],
    sheets: Mapping[Path, Any],
    force: bool,
    replace: re.Pattern[str] | None = None,
) -> list[Path]:
    """Write `contents` (bytes) and `sheets` (workbooks: sheet name -> frame) into `folder`.

    Every target must lie in `folder`. Returns the paths written, in the order given (contents
    first). On any failure nothing is left at the target paths, and folders this call made are
    removed again. With `replace`, the files in `folder` that kansen made (names matching it)
    and that are not among the new ones go (a dry run's previous sample).
    """
    with staged(folder, force) as files:
        files.write(contents, sheets)
        if replace is not None:
            keep = {p.name for p in files.targets}
            for old in owned(folder, replace):
                if old.name not in keep:
                    files.set_aside(old)
        files.swap_in()
    return files.moved
