"""Every file the tool writes passes through here.

Three promises hold for all of them: a file appears whole or not at all (temporary file in
the same folder, fsync, then `os.replace`), it is readable by its owner only (mode 0600),
and an existing file is never replaced unless the user said `--force`. Text cells that a
spreadsheet would run as a formula are neutralised on the way out.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kansen_cli.errors import KansenError, OutputExistsError, StorageError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    from openpyxl import Workbook

FILE_MODE = 0o600
DIR_MODE = 0o700
# Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP),
# and the full-width forms of the first four, which East Asian input methods turn into them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def ensure_dir(path: Path) -> list[Path]:
    """Create a folder for output; every folder created here is private to its owner. Returns
    the folders it created, innermost first (so a caller can take them away again).

    `mkdir(parents=True, mode=...)` gives the mode to the last folder only, so the missing
    parents are made one by one; folders that existed already keep their mode."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)  # the umask may have taken bits off
    return missing


def explain_os_error(exc: OSError) -> KansenError | None:
    """A refusal of the disk in words, or None for another error. It names the folder, never
    the file (kansen's file names hold no personal data, but an input file's name might)."""
    import errno

    name = exc.filename or exc.filename2
    where = f"the folder {Path(os.fsdecode(name)).parent}" if name else "the campaign folder"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(
            _("the disk holding {where} is full; the command stopped. Make room and run it again").format(
                where=where
            )
        )
    if exc.errno == errno.EROFS:
        return StorageError(_("{where} is on a read-only disk; the command stopped").format(where=where))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StorageError(_("permission denied in {where}; the command stopped").format(where=where))
    if exc.errno == errno.EIO:
        return StorageError(
            _("the disk holding {where} reported an input/output error; the command stopped").format(
                where=where
            )
        )
    return None


def check_writable(path: Path, force: bool) -> None:
    """Refuse early, before any work is done, when a target exists and --force is absent."""
    if path.exists() and not force:
        raise OutputExistsError(_("{path} exists already; use --force to replace it").format(path=path))


@contextlib.contextmanager
def atomic_open(path: Path, force: bool = False) -> Iterator[IO[bytes]]:
    """Open a binary file that only appears at `path` once the block ends without error.

    Inside `held_back()`, it appears only when that says so (`HeldBack.publish`)."""
    path = Path(path)
    check_writable(path, force)
    held = _HELD.get()
    made = ensure_dir(path.parent)
    if held is not None:
        held.folders.extend(made)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if held is not None:
            held.waiting.append((Path(tmp_name), path, force))
            return
        _move_in(Path(tmp_name), path, force)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def _move_in(tmp: Path, path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise OutputExistsError(
            _("{path} appeared while writing; use --force to replace it").format(path=path)
        )
    os.replace(tmp, path)


class HeldBack:
    """Files written whole under temporary names, waiting to be moved to their own names.

    A command that records in the ledger what it writes holds its files back, moves them in
    just before COMMIT (`publish`, renames only: quick), and takes them away again if the
    transaction does not commit after all. So no file stays behind for a change that was
    not recorded, and the slow writing never happens while the ledger is locked for long.
    """

    def __init__(self) -> None:
        self.waiting: list[tuple[Path, Path, bool]] = []  # (temporary file, target, force)
        self.published: list[Path] = []  # targets moved in that did not exist before
        self.folders: list[Path] = []  # folders made for them, innermost first

    def publish(self) -> None:
        """Move every waiting file to its name (refusing, as ever, to replace one without force)."""
        while self.waiting:
            tmp, path, force = self.waiting[0]
            existed = path.exists()
            _move_in(tmp, path, force)
            self.waiting.pop(0)
            if not existed:
                self.published.append(path)

    def discard(self) -> None:
        """Drop the files still waiting (their temporary files go; nothing appeared)."""
        for tmp, _path, _force in self.waiting:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self.waiting.clear()

    def withdraw(self) -> None:
        """Take away everything: waiting files, new files moved in, and the folders made for them."""
        self.discard()
        for path in self.published:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self.published.clear()
        for folder in self.folders:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
        self.folders.clear()


_HELD: contextvars.ContextVar[HeldBack | None] = contextvars.ContextVar("kansen_held_back", default=None)


@contextlib.contextmanager
def held_back() -> Iterator[HeldBack]:
    """Every file written through this module inside the block waits for `publish()`; files
    not published when the block ends are dropped, and on an error everything is withdrawn."""
    held = HeldBack()
    token = _HELD.set(held)
    try:
        yield held
    except BaseException:
        held.withdraw()
        raise
    finally:
        _HELD.reset(token)
    held.discard()


def write_bytes(path: Path, data: bytes, force: bool = False) -> Path:
    with atomic_open(path, force) as handle:
        handle.write(data)
    return Path(path)


def write_text(path: Path, text: str, force: bool = False) -> Path:
    return write_bytes(path, text.encode("utf-8"), force)


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would evaluate (for CSV output)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    out = frame.copy()
    # By position: a frame may repeat a column name, and out[name] would then be a frame.
    for index in range(out.shape[1]):
        series = out.iloc[:, index]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_datetime64_any_dtype(series):
            continue
        text = series.astype("string")
        risky = text.str.startswith(FORMULA_TRIGGERS).fillna(False)
        if risky.any():
            out.isetitem(index, series.where(~risky, "'" + text))
    return out


def write_csv(
    path: Path,
    frame: pd.DataFrame,
    force: bool = False,
    delimiter: str = ";",
) -> Path:
    """CSV for Dutch Excel: semicolon, UTF-8 with BOM, CRLF, formula triggers neutralised."""
    buffer = io.StringIO()
    # CRLF as Excel writes it; it also makes the csv module quote values holding a bare CR,
    # which would otherwise end the row early in every reader.
    neutralise_frame(frame).to_csv(
        buffer, sep=delimiter, index=False, date_format="%Y-%m-%d", lineterminator="\r\n"
    )
    return write_bytes(path, buffer.getvalue().encode("utf-8-sig"), force)


def _cell_value(value: Any) -> Any:
    """Plain Python values for openpyxl; missing values become empty cells."""
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes | dt.date):
        return value.item()  # numpy scalar
    return value


def frame_rows(frame: pd.DataFrame) -> Iterator[list[Any]]:
    for row in frame.itertuples(index=False, name=None):
        yield [_cell_value(v) for v in row]


def write_xlsx(
    path: Path,
    sheets: Mapping[str, pd.DataFrame],
    force: bool = False,
) -> Path:
    """One sheet per frame, header in row 1, text kept text (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # Refuse before building: an unsaved write-only workbook leaves open temp files behind.
    check_writable(Path(path), force)
    workbook = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        header = []
        for column in frame.columns:
            cell = WriteOnlyCell(sheet, value=str(column))
            cell.data_type = "s"
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for values in frame_rows(frame):
            sheet.append([_text_safe_cell(sheet, WriteOnlyCell, v) for v in values])
    return save_workbook(path, workbook, force)


def _text_safe_cell(sheet: Any, cell_type: Any, value: Any) -> Any:
    if isinstance(value, str):
        cell = cell_type(sheet, value=value)
        cell.data_type = "s"  # a string starting with "=" stays a string
        return cell
    return value


def save_workbook(path: Path, workbook: Workbook, force: bool = False) -> Path:
    """Save any openpyxl workbook atomically; no cell leaves as a formula."""
    if not getattr(workbook, "write_only", False):
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    with atomic_open(path, force) as handle:
        workbook.save(handle)
    return Path(path)


def write_table(path: Path, frame: pd.DataFrame, force: bool = False, sheet: str = "data") -> Path:
    """CSV or XLSX, chosen by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xlsx":
        return write_xlsx(path, {sheet: frame}, force)
    if suffix in (".csv", ".txt"):
        return write_csv(path, frame, force)
    from kansen_cli.errors import KansenError

    raise KansenError(
        _("{path}: unknown output type {suffix!r}; use .csv or .xlsx").format(path=path, suffix=suffix)
    )
