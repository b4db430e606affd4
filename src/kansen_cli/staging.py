"""Writing a set of output files together: all of them appear, or none does.

A batch's letters are several files (the PDF, the workbooks, an HTML file per person) that
only make sense together. They are written into a private staging folder next to their
targets first and then moved into place; if anything fails on the way, the files already
moved and the folders made for them are taken away again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def write_together(
    folder: Path,
    contents: Mapping[Path, bytes],
    sheets: Mapping[Path, Any],
    force: bool,
    replace_folder: bool = False,
) -> list[Path]:
    """Write `contents` (bytes) and `sheets` (workbooks: sheet name -> frame) into `folder`.

    Every target must lie in `folder`. Returns the paths written, in the order given (contents
    first). On any failure nothing is left at the target paths, and folders this call made are
    removed again. With replace_folder, files in `folder` that are not among the new ones go
    (a dry run's previous sample).
    """
    import contextlib
    import os
    import shutil
    import tempfile

    from kansen_cli import files

    created = files.ensure_dir(folder)
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".kansen-"))
    moved: list[Path] = []
    try:
        for path, data in contents.items():
            files.write_bytes(staging / path.name, data)
        for path, frames in sheets.items():
            files.write_xlsx(staging / path.name, frames)
        targets = [*contents, *sheets]
        for path in targets:
            files.check_writable(path, force)
        if replace_folder:
            keep = {p.name for p in targets}
            for old in folder.iterdir():
                if old.is_file() and old.name not in keep:
                    old.unlink()
        for path in targets:
            os.replace(staging / path.name, path)
            moved.append(path)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        for path in created:  # innermost first
            with contextlib.suppress(OSError):
                path.rmdir()
        raise
    staging.rmdir()
    return moved
